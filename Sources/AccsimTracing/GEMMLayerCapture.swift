import AccsimArithmetic
import AccsimExecution
import AccsimMapping

/// What the tiled data path computed for one conv or fully connected layer of the traced sample.
final class GEMMLayerCapture: TiledGEMMObserver {
    /// Output channels (all groups).
    let channels: Int
    /// Per group: the operands and the accumulators `C[M×N]`.
    private(set) var operands: [GEMMOperands] = []
    private(set) var accumulators: [[Int32]] = []
    /// Per output `row · channels + channel`: accumulator before bias, bias, requantizer step.
    private(set) var accumulatorValues: [Int32]
    private(set) var biases: [Int32?]
    private(set) var steps: [Requantizer.Step?]

    init(plan: GEMMLayerPlan) {
        channels = plan.lowering.groups * plan.lowering.shape.n
        let outputs = plan.lowering.shape.m * channels
        accumulatorValues = [Int32](repeating: 0, count: outputs)
        biases = [Int32?](repeating: nil, count: outputs)
        steps = [Requantizer.Step?](repeating: nil, count: outputs)
    }

    package func observe(operands: [GEMMOperands], accumulators: [[Int32]]) {
        self.operands = operands
        self.accumulators = accumulators
    }

    package func observe(row: Int, channel: Int, accumulator: Int32, bias: Int32?, step: Requantizer.Step) {
        let index = row * channels + channel
        accumulatorValues[index] = accumulator
        biases[index] = bias
        steps[index] = step
    }

    /// Whether the data path reported the layer.
    var isComplete: Bool { !operands.isEmpty }

    /// The accumulators (no bias) as `[M, channels]`, output-pixel-major: the layout whose CRC
    /// the layer-end record carries.
    var scatteredAccumulators: [Int32] { accumulatorValues }
}
