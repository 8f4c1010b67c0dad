import AccsimArithmetic
import AccsimHardware
import AccsimMapping
import AccsimModel
import AccsimTiming

/// A graph mapped onto a hardware config: the schedule, every layer's timing and traffic, and a
/// data path that computes conv and fully connected layers tile by tile, fold by fold, in the
/// order the schedule gives, with the hardware's accumulator overflow.
///
/// Data: the array's fold partial sums start at 0 and add their products in reduction order
/// (`overflow.add`, as the PEs do); each partial sum is added to the accumulator buffer with
/// `overflow.add` in schedule order; the bias is added last, then the requantizer. Under `wrap`
/// this equals the graph executor whatever the order; under `saturate` it is the hardware's
/// order, which can differ from the reference's per-product order.
public struct HardwareSimulation: Sendable {
    public let graph: Graph
    public let hardware: HardwareConfig
    public let schedule: Schedule
    /// Timing and traffic per layer, in node order.
    public let results: [LayerResult]
    private let reference: GraphExecutor

    /// Maps `graph` (validated) onto `hardware` (validated) and times every layer. `kernels`
    /// computes the data of the layers that do not follow the schedule (all of them under `wrap`):
    /// the fast kernels by default, bit-identical to the reference ones.
    public init(graph: Graph, hardware: HardwareConfig, kernels: KernelSelection = .fast) throws(ExecutionError) {
        self.graph = graph
        self.hardware = hardware
        for node in graph.nodes {
            switch node.operation {
            case .conv2D, .fullyConnected: try Self.checkOperandTypes(node, graph: graph, hardware: hardware)
            default: continue
            }
        }
        do {
            schedule = try Mapper(hardware: hardware).schedule(graph)
        } catch {
            throw ExecutionError(node: error.layer, error.message)
        }
        results = schedule.results()
        reference = GraphExecutor(graph: graph, overflow: hardware.array.overflow, kernels: kernels)
    }

    /// The array multiplies `array.input_type` activations by `array.weight_type` weights: a
    /// layer operand of the same type runs in one pass; int16 on an 8-bit multiplier in two
    /// slices (``MultiPass``); int4 weights sign-extend into int8 or int16 multipliers. A layer
    /// with int64 accumulators needs `array.accumulator_bits` 64.
    private static func checkOperandTypes(_ node: Node, graph: Graph, hardware: HardwareConfig) throws(ExecutionError) {
        func fits(_ layer: ElementType, _ array: ElementType) -> Bool {
            layer == array || (layer == .int16 && array == .int8)
                || (layer == .int4 && (array == .int8 || array == .int16))
                || (layer == .int8 && array == .int16)
        }
        if let input = graph.tensor(named: node.inputs[0]), !fits(input.elementType, hardware.array.inputType) {
            throw ExecutionError(
                node: node.name,
                "activations '\(input.name)' are \(input.elementType.rawValue) but the array multiplies \(hardware.array.inputType.rawValue) activations (array.input_type)"
            )
        }
        if let weights = graph.tensor(named: node.inputs[1]), !fits(weights.elementType, hardware.array.weightType) {
            throw ExecutionError(
                node: node.name,
                "weights '\(weights.name)' are \(weights.elementType.rawValue) but the array multiplies \(hardware.array.weightType.rawValue) weights (array.weight_type)"
            )
        }
        let accumulator: ElementType? =
            switch node.operation {
            case .conv2D(let p): p.accumulator
            case .fullyConnected(let p): p.accumulator
            default: nil
            }
        if accumulator == .int64 {
            throw ExecutionError(
                node: node.name,
                "the layer accumulates in int64 (LiteRT int16x8); the array's accumulators are \(hardware.array.accumulatorBits)-bit (array.accumulator_bits)"
            )
        }
    }

    /// Activation and weight slices of a conv / FC node on this array (1 × 1 when the operands fit
    /// the multipliers).
    func slices(_ node: Node) -> (activation: Int, weight: Int) {
        let x = graph.tensor(named: node.inputs[0])?.elementType ?? .int8
        let w = graph.tensor(named: node.inputs[1])?.elementType ?? .int8
        return (
            MultiPass.slices(
                operandBits: x == .uint8 ? 8 : x.bitWidth, multiplierBits: hardware.array.inputType.bitWidth),
            MultiPass.slices(
                operandBits: w == .uint8 ? 8 : w.bitWidth, multiplierBits: hardware.array.weightType.bitWidth)
        )
    }

    /// When the data path follows the schedule tile by tile.
    public enum TiledData: Sendable {
        /// Always (the tests compare it with the reference kernels).
        case always
        /// Only when the order can change results (saturating accumulators); with wrapping
        /// accumulators the engine's kernels (fast by default) give the identical result faster.
        case whenOrderMatters
    }

    /// Runs a batch (one `[N, …]` tensor per graph input) and returns each graph output `[N, …]`.
    /// `progress`, if given, is called after each layer of each sample.
    public func run(
        batches: [String: IntTensor], threads: Int = 1, tiled: TiledData = .whenOrderMatters,
        progress: (@Sendable () -> Void)? = nil
    ) throws(ExecutionError) -> [String: IntTensor] {
        let followOrder = tiled == .always || hardware.array.overflow == .saturate
        guard followOrder else { return try reference.run(batches: batches, threads: threads, progress: progress) }
        let simulation = self
        return try reference.run(
            batches: batches, threads: threads,
            substitute: { index, node, operand in
                simulation.tiledGEMM(layer: simulation.schedule.layers[index], node: node, operand: operand)
            }, progress: progress)
    }

    /// Runs one sample along the schedule; `observe` sees every layer's output, `observer(index)`
    /// what the tiled data path computes for conv/FC layer `index` (nil: not observed). The hook
    /// of AccsimTracing.
    package func runSample(
        _ inputs: [String: IntTensor], observe: @escaping (Int, IntTensor) -> Void,
        observer: @escaping (Int) -> TiledGEMMObserver?
    ) -> [String: IntTensor] {
        reference.runSample(inputs, observe: observe) { index, node, operand in
            self.tiledGEMM(layer: self.schedule.layers[index], node: node, operand: operand, observer: observer(index))
        }
    }

    /// The output of a conv or fully connected layer computed along the schedule; nil for other
    /// layers. `observer` (tracing) sees the operands, the accumulators and every requantizer step.
    func tiledGEMM(layer: LayerSchedule, node: Node, operand: (Int) -> IntTensor, observer: TiledGEMMObserver? = nil)
        -> IntTensor?
    {
        guard case .gemm(let plan) = layer.work else { return nil }
        let overflow = hardware.array.overflow
        let input = operand(0)
        let weights = operand(1)
        let bias = node.inputs.count > 2 ? operand(2).values : nil
        let inputZeroPoint = reference.info(node.inputs[0])?.zeroPoint() ?? 0
        let weightZeroPoints = reference.weightZeroPoints(node.inputs[1])
        guard let outputInfo = reference.info(node.outputs[0]), let requantizer = node.operation.outputRequantizer
        else { return nil }
        let groups = plan.lowering.groups
        let operands: [GEMMOperands] = (0..<groups).map { group in
            switch node.operation {
            case .conv2D(let parameters):
                GEMMOperands.conv2D(
                    input: input, inputZeroPoint: inputZeroPoint, weights: weights, weightZeroPoints: weightZeroPoints,
                    parameters: parameters, group: group)
            default:
                GEMMOperands.fullyConnected(
                    input: input, inputZeroPoint: inputZeroPoint, weights: weights, weightZeroPoints: weightZeroPoints)
            }
        }
        var accumulators = operands.map { [Int32](repeating: 0, count: $0.m * $0.n) }
        let slices = slices(node)
        for step in layer.steps {
            guard let tile = step.compute?.tile else { continue }
            operands[tile.group].accumulate(
                folds: tile.folds, overflow: overflow, activationSlices: slices.activation, weightSlices: slices.weight,
                into: &accumulators[tile.group])
        }
        observer?.observe(operands: operands, accumulators: accumulators)  // trace hook
        // Scatter C[m, n] of each group to NHWC / [N, O] and requantize after the bias.
        let groupColumns = plan.lowering.shape.n
        let channels = groups * groupColumns
        var values = [Int32](repeating: 0, count: outputInfo.elementCount)
        for group in 0..<groups {
            let c = accumulators[group]
            for row in 0..<operands[group].m {
                for column in 0..<groupColumns {
                    let channel = group * groupColumns + column
                    var acc = c[row * groupColumns + column]
                    if let bias { acc = overflow.add(acc, bias[channel]) }
                    if let observer {  // trace hook: the requantizer step with everything it did
                        let step = requantizer.step(acc, channel: channel)
                        observer.observe(
                            row: row, channel: channel, accumulator: c[row * groupColumns + column],
                            bias: bias?[channel], step: step)
                        values[row * channels + channel] = step.output
                    } else {
                        values[row * channels + channel] = requantizer.apply(acc, channel: channel)
                    }
                }
            }
        }
        return IntTensor(shape: outputInfo.shape, elementType: outputInfo.elementType, values: values)
    }
}

extension HardwareSimulation {
    /// The performance of every layer, in node order.
    public var performance: [LayerPerformance] {
        schedule.performance(results)
    }
}
