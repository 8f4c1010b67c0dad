import AccsimArithmetic
import AccsimExecution
import AccsimModel

/// One layer's tensors for one sample, as RTL bring-up needs them (`accsim export-mem`): the
/// activation input, the weights and bias, the expected output and, for layers on the array, the
/// int32 accumulators before bias.
public struct LayerTensors: Sendable {
    /// Node index and name.
    public var layer: Int
    /// The name.
    public var name: String
    /// Operation kind, e.g. `conv2d`.
    public var op: String
    /// The first input (the activation), its declared shape and type.
    public var input: IntTensor
    /// The input's zero point.
    public var inputZeroPoint: Int32
    /// The weights (conv: OHWI, FC: `[O, D]`), for conv and fully connected layers.
    public var weights: IntTensor?
    /// Weight zero points (one, or one per output channel).
    public var weightZeroPoints: [Int32]
    /// The int32 bias, if the layer has one.
    public var bias: IntTensor?
    /// The layer's output.
    public var output: IntTensor
    /// The accumulators `[M, channels]` (output-pixel-major, no bias), for layers on the array.
    public var accumulators: IntTensor?
}

extension HardwareSimulation {
    /// The tensors of layer `index` when `inputs` (one sample) runs along the schedule.
    public func layerTensors(_ index: Int, sample inputs: [String: IntTensor]) -> LayerTensors {
        let node = graph.nodes[index]
        var producer: [String: Int] = [:]
        for (position, other) in graph.nodes.enumerated() { producer[other.outputs[0]] = position }
        let wanted = Set(node.inputs.compactMap { producer[$0] })
        var outputs: [Int: IntTensor] = [:]
        let capture = schedule.layers[index].gemm.map(GEMMLayerCapture.init(plan:))
        _ = runSample(
            inputs,
            observe: { position, tensor in
                if position == index || wanted.contains(position) { outputs[position] = tensor }
            }, observer: { position in position == index ? capture : nil })

        func tensor(_ slot: Int) -> IntTensor? {
            guard slot < node.inputs.count else { return nil }
            let name = node.inputs[slot]
            if let position = producer[name] { return outputs[position] }
            if let input = inputs[name] { return input }
            guard let data = graph.constants[name], let info = graph.tensor(named: name) else { return nil }
            return IntTensor(
                shape: info.shape, elementType: data.elementType, values: data.int32Values(count: info.elementCount))
        }
        let isGEMM = schedule.layers[index].gemm != nil
        let accumulators = capture.flatMap { $0.isComplete ? $0 : nil }.map {
            IntTensor(
                shape: [$0.scatteredAccumulators.count / $0.channels, $0.channels], elementType: .int32,
                values: $0.scatteredAccumulators)
        }
        let empty = IntTensor(shape: [0], elementType: .int8, values: [])
        return LayerTensors(
            layer: index, name: node.name, op: node.operation.kind.rawValue, input: tensor(0) ?? empty,
            inputZeroPoint: graph.tensor(named: node.inputs[0])?.zeroPoint() ?? 0,
            weights: isGEMM ? tensor(1) : nil,
            weightZeroPoints: isGEMM ? (graph.tensor(named: node.inputs[1])?.quantization?.zeroPoints ?? [0]) : [],
            bias: isGEMM ? tensor(2) : nil, output: outputs[index] ?? empty, accumulators: accumulators)
    }
}
