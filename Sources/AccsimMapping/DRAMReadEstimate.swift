/// The DRAM bytes a GEMM layer reads under one tiling and loop order, computed exactly from the
/// tile counts before the schedule is built (the schedule's loads add up to the same numbers).
public struct DRAMReadEstimate: Sendable, Hashable {
    /// The loop order estimated.
    public var order: LoopOrder
    /// Activation bytes loaded, re-reads and conv halo rows included.
    public var inputBytes: Int
    /// Weight bytes loaded, re-reads included.
    public var weightBytes: Int
    /// Bias bytes (int32), read once per layer.
    public var biasBytes: Int

    /// An estimate as given.
    public init(order: LoopOrder, inputBytes: Int, weightBytes: Int, biasBytes: Int) {
        self.order = order
        self.inputBytes = inputBytes
        self.weightBytes = weightBytes
        self.biasBytes = biasBytes
    }

    /// All bytes read.
    public var totalBytes: Int { inputBytes + weightBytes + biasBytes }
}
