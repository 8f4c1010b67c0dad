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
        let outputSummaries = graph.outputs.compactMap { name -> OutputSummary? in
            guard let tensor = outputs[name] else { return nil }
            return OutputSummary(
                name: name, shape: tensor.shape, type: tensor.elementType.rawValue,
                crc32: TensorChecksum.crc32Hex(tensor),
                predictions: tensor.shape.count == 2 ? Classification.argmax(tensor) : nil)
        }
        self.init(
            graph: graph, modelFile: modelFile, hardware: hardware, performance: performance, samples: samples,
            inputSource: inputSource, outputSummaries: outputSummaries, accuracy: accuracy,
            accsimVersion: accsimVersion)
    }

    /// The report of a run whose outputs were summarised chunk by chunk (``OutputAccumulator``).
    public init(
        graph: Graph, modelFile: String, hardware: ResolvedHardware?, performance: [LayerPerformance]?,
        samples: Int, inputSource: String, outputSummaries: [OutputSummary], accuracy: Accuracy?,
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

extension RunReport {
    /// The output summaries of a run in chunks: every graph output's CRC-32 and, for `[N, classes]`
    /// outputs, its predictions, updated chunk by chunk in sample order; the summaries equal those
    /// of the whole batch's outputs (``RunReport/init(graph:modelFile:hardware:performance:samples:inputSource:outputs:accuracy:accsimVersion:)``).
    public struct OutputAccumulator: Sendable {
        private struct Entry: Sendable {
            var name: String
            var shape: [Int]
            var type: String
            var crc: UInt32 = 0
            var predictions: [Int]?
            var predictionCount = 0
        }
        private var entries: [Entry]
        private let predictionLimit: Int?

        /// Summaries of `graph`'s outputs for a batch of `samples`. `predictionLimit` keeps only
        /// the first predictions (the table lists 20), so that nothing grows with the batch; nil
        /// keeps them all (the JSON report lists them).
        public init(graph: Graph, samples: Int, predictionLimit: Int? = nil) {
            self.predictionLimit = predictionLimit
            entries = graph.outputs.compactMap { name in
                guard let info = graph.tensor(named: name) else { return nil }
                let shape = [samples] + info.shape.dropFirst()
                return Entry(
                    name: name, shape: shape, type: info.elementType.rawValue,
                    predictions: shape.count == 2 ? [] : nil)
            }
        }

        /// Adds the next chunk's outputs (`[chunk, …]` per graph output).
        public mutating func add(_ outputs: [String: IntTensor]) {
            for index in entries.indices {
                guard let tensor = outputs[entries[index].name] else { continue }
                entries[index].crc = TensorChecksum.update(entries[index].crc, with: tensor)
                guard entries[index].predictions != nil else { continue }
                let predictions = Classification.argmax(tensor)
                entries[index].predictionCount += predictions.count
                let room = predictionLimit.map { max(0, $0 - entries[index].predictions!.count) } ?? predictions.count
                entries[index].predictions!.append(contentsOf: predictions.prefix(room))
            }
        }

        /// The summaries, in graph-output order.
        public var summaries: [OutputSummary] {
            entries.map {
                OutputSummary(
                    name: $0.name, shape: $0.shape, type: $0.type, crc32: TensorChecksum.hex($0.crc),
                    predictions: $0.predictions, predictionCount: $0.predictionCount)
            }
        }
    }
}

extension RunReport {
    /// A bound on the memory one listed prediction takes while the JSON report is built and
    /// rendered: the integer (8 B), its node in the JSON tree, and its text in the encoded bytes and
    /// in the String (a few bytes each), rounded up. (10⁵ digits samples with `--format json` peak
    /// 0.8 MiB above `--format table`: the report reuses memory the chunks freed.)
    public static let bytesPerListedPrediction = 64

    /// Checks that the predictions the JSON report lists, one per sample of every `[N, classes]`
    /// output, fit in `limit` bytes (``ModelInputs/batchMemoryLimit``): unlike the outputs, which
    /// are summarised chunk by chunk, they are held until the report is written. The error names
    /// `what` (`--batch 1000000000`) and the limit.
    public static func checkPredictionMemory(
        for graph: Graph, samples: Int, what: String, limit: Int = ModelInputs.batchMemoryLimit
    ) throws(ModelError) {
        let classified = graph.outputs.filter { graph.tensor(named: $0)?.shape.count == 2 }.count
        guard classified > 0 else { return }
        let perSample = classified * bytesPerListedPrediction
        let (needed, overflow) = perSample.multipliedReportingOverflow(by: samples)
        guard overflow || needed > limit else { return }
        let size = overflow ? "more than 8 EiB" : ModelInputs.mebibytes(needed)
        throw ModelError(
            "\(what): the JSON report (--format json, --report) lists every sample's prediction, which needs \(size) "
                + "(\(samples) samples × \(perSample) B), over the limit of \(ModelInputs.mebibytes(limit)) (\(ModelInputs.batchMemoryVariable), by default half the physical memory); run fewer samples, "
                + "or drop --report and use --format table or csv, which need no per-sample memory")
    }
}
