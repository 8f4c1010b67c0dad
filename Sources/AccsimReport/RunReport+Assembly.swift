import AccsimArithmetic
import AccsimHardware
import AccsimMapping
import AccsimModel

extension RunReport {
    /// The report of a run of `graph` (read from `modelFile`): per layer its shape, MACs and
    /// parameters, with `performance` (one per node, from the mapped hardware) when there is one;
    /// the totals; every graph output in `outputs` with its CRC-32 and, for `[N, classes]`
    /// outputs, the predictions.
    public init(
        graph: Graph, modelFile: String, hardware: ResolvedHardware?, performance: [LayerPerformance]?,
        samples: Int, inputSource: String, outputs: [String: IntTensor], accuracy: Accuracy?,
        accsimVersion: String
    ) {
        let layers = graph.nodes.enumerated().map { index, node in
            let info = graph.tensor(named: node.outputs[0])
            return LayerSummary(
                index: index, name: node.name, op: node.operation.kind.rawValue,
                outputShape: info?.shape ?? [], outputType: info?.elementType.rawValue ?? "",
                macs: graph.macs(of: node), parameterBytes: graph.parameterBytes(of: node),
                performance: performance?[index])
        }
        let total = performance.flatMap { layers in hardware.map { LayerPerformance.total(layers, hardware: $0.config) }
        }
        let outputSummaries = graph.outputs.compactMap { name -> OutputSummary? in
            guard let tensor = outputs[name] else { return nil }
            return OutputSummary(
                name: name, shape: tensor.shape, type: tensor.elementType.rawValue,
                crc32: TensorChecksum.crc32Hex(tensor),
                predictions: tensor.shape.count == 2 ? Classification.argmax(tensor) : nil)
        }
        self.init(
            accsimVersion: accsimVersion,
            model: ModelSummary(name: graph.name, file: modelFile, producer: graph.metadata["producer"]),
            hardware: hardware.map {
                HardwareSummary(name: $0.name, file: $0.file, configHash: $0.hash, config: $0.config)
            },
            samples: samples, inputSource: inputSource, layers: layers,
            totals: Totals(macs: graph.totalMACs, parameterBytes: graph.totalParameterBytes, performance: total),
            outputs: outputSummaries, accuracy: accuracy)
    }
}
