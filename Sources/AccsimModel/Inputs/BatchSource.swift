import AccsimArithmetic

/// The inputs of a run, produced chunk by chunk: a batch of ``sampleCount`` samples for the
/// graph's inputs, read from an `.npy` file (``NPYChunkReader``) or generated from a seed, of
/// which ``chunk(_:)`` returns any range of samples. Every chunk holds exactly the values of the
/// same samples of the whole batch (``ModelInputs/batch(npy:for:model:)`` and
/// ``ModelInputs/seeded(for:samples:seed:)``), so a run in chunks computes what a run of the
/// whole batch does, with memory bounded by the chunk.
public struct BatchSource: Sendable {
    private enum Kind: Sendable {
        case npy(NPYChunkReader, TensorInfo)
        case seeded(UInt64)
    }

    /// The graph the inputs are for.
    public let graph: Graph
    /// Samples in the batch.
    public let sampleCount: Int
    private let kind: Kind

    /// The batch in the `.npy` file at `path` for `graph`'s single input; only the header is read
    /// now, with the errors of ``ModelInputs/batch(npy:for:model:)`` that depend on no value.
    public init(npy path: String, for graph: Graph, model: String) throws(ModelError) {
        guard graph.inputs.count == 1, let info = graph.tensor(named: graph.inputs[0]) else {
            throw ModelInputs.multipleInputsError(graph, model: model)
        }
        let reader = try NPYChunkReader(path: path)
        try info.checkInput(shape: reader.shape, dtype: reader.dtype, source: path)
        self.graph = graph
        sampleCount = reader.sampleCount
        kind = .npy(reader, info)
    }

    /// `samples` generated samples for every graph input, as ``ModelInputs/seeded(for:samples:seed:)``.
    public init(seededFor graph: Graph, samples: Int, seed: UInt64) {
        self.graph = graph
        sampleCount = samples
        kind = .seeded(seed)
    }

    /// The inputs of samples `range` of the batch: one `[range.count, …]` tensor per graph input.
    public func chunk(_ range: Range<Int>) throws(ModelError) -> [String: IntTensor] {
        precondition(range.lowerBound >= 0 && range.upperBound <= sampleCount, "samples outside the batch")
        switch kind {
        case .npy(let reader, let info):
            let array = try reader.readSamples(range)
            let tensor = try info.inputTensor(
                from: array, source: reader.path, firstElement: range.lowerBound * reader.sampleElements)
            return [info.name: tensor]
        case .seeded(let seed):
            return ModelInputs.seeded(for: graph, samples: sampleCount, seed: seed, range: range)
        }
    }
}

/// Labels read chunk by chunk from an `.npy` file: one integer per sample of a batch, checked
/// when opened with the errors of ``ModelInputs/labels(npy:samples:)``.
public struct LabelSource: Sendable {
    private let reader: NPYChunkReader
    private let type: ElementType

    /// The labels in the `.npy` file at `path` for a batch of `samples`.
    public init(npy path: String, samples: Int) throws(ModelError) {
        reader = try NPYChunkReader(path: path)
        guard let type = reader.dtype.elementType else {
            throw ModelError(file: path, "labels must be integers, got dtype \(reader.dtype)")
        }
        guard reader.elementCount == samples else {
            throw ModelError(file: path, "\(reader.elementCount) labels for \(samples) samples")
        }
        self.type = type
    }

    /// The labels of samples `range`.
    public func labels(_ range: Range<Int>) throws(ModelError) -> [Int] {
        let bytes = try reader.readElements(range)
        return ConstantData(elementType: type, bytes: bytes).int32Values().map(Int.init)
    }
}
