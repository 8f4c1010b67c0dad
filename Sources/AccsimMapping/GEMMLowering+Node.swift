import AccsimArithmetic
import AccsimModel
import AccsimTiming

extension GEMMLowering {
    /// The GEMM of a conv2d or fully_connected `node` of a validated `graph`, or nil for any other
    /// operation.
    static func lower(_ node: Node, in graph: Graph) throws(MappingError) -> GEMMLowering? {
        func tensor(_ index: Int) throws(MappingError) -> TensorInfo {
            guard index < node.inputs.count, let t = graph.tensor(named: node.inputs[index]) else {
                throw MappingError(layer: node.name, "input \(index) is missing; map only validated graphs")
            }
            return t
        }
        guard let outName = node.outputs.first, let out = graph.tensor(named: outName) else {
            throw MappingError(layer: node.name, "the output tensor is missing; map only validated graphs")
        }
        switch node.operation {
        case .conv2D(let p):
            let x = try tensor(0)
            let w = try tensor(1)
            let bias = node.inputs.count > 2 ? try tensor(2) : nil
            let geometry = ConvGeometry(
                inputHeight: x.shape[1], inputWidth: x.shape[2], inputChannels: x.shape[3],
                outputHeight: out.shape[1], outputWidth: out.shape[2], outputChannels: out.shape[3],
                kernel: Size2D(height: w.shape[1], width: w.shape[2]), stride: p.stride, dilation: p.dilation,
                padding: p.padding, groups: p.groups)
            let shape = GEMMShape(
                m: geometry.outputHeight * geometry.outputWidth,
                k: geometry.taps * geometry.groupInputChannels,
                n: geometry.groupOutputChannels)
            return GEMMLowering(
                source: .conv2D(geometry), groups: p.groups, shape: shape, input: x.name, weights: w.name,
                bias: bias?.name, output: out.name, inputElementBytes: x.elementType.byteWidth,
                weightElementBytes: w.elementType.byteWidth, outputElementBytes: out.elementType.byteWidth,
                biasBytes: bias?.byteCount ?? 0)
        case .fullyConnected:
            let x = try tensor(0)
            let w = try tensor(1)
            let bias = node.inputs.count > 2 ? try tensor(2) : nil
            return GEMMLowering(
                source: .fullyConnected, groups: 1, shape: GEMMShape(m: 1, k: w.shape[1], n: w.shape[0]),
                input: x.name, weights: w.name, bias: bias?.name, output: out.name,
                inputElementBytes: x.elementType.byteWidth, weightElementBytes: w.elementType.byteWidth,
                outputElementBytes: out.elementType.byteWidth, biasBytes: bias?.byteCount ?? 0)
        default:
            return nil
        }
    }
}
