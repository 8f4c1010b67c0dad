import AccsimArithmetic

/// Sees what the tiled data path computes for one conv or fully connected layer: the operands
/// and final accumulators of every group, then every requantizer step. Used by tracing only;
/// without an observer the data path does not build the steps.
package protocol TiledGEMMObserver: AnyObject {
    /// Every group's GEMM operands (zero points subtracted) and accumulators `C[M×N]` (no bias).
    func observe(operands: [GEMMOperands], accumulators: [[Int32]])
    /// The requantizer step of output `(row, channel)`: the accumulator before bias, the bias,
    /// and what the requantizer did.
    func observe(row: Int, channel: Int, accumulator: Int32, bias: Int32?, step: Requantizer.Step)
}
