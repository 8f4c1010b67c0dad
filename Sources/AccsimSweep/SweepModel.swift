import AccsimArithmetic
import AccsimModel

/// A model in a sweep: its graph, where it came from, its identity (part of every point id) and,
/// optionally, the data to run through it.
public struct SweepModel: Sendable {
    /// The file as named on the command line or in the sweep file.
    public var file: String
    /// The validated graph.
    public var graph: Graph
    /// The model's identity, ``ModelIdentity/hash(of:)`` of ``graph``: the same graph read from
    /// any file format has the same hash (the `model_hash` column).
    public var contentHash: String
    /// Inputs (and labels) to compute outputs and accuracy with; nil: timing only.
    public var data: SweepInputData?

    /// A model as given.
    public init(file: String, graph: Graph, data: SweepInputData? = nil) {
        self.file = file
        self.graph = graph
        self.contentHash = ModelIdentity.hash(of: graph)
        self.data = data
    }
}

/// The data a sweep runs through a model: one `[N, …]` batch per graph input and, optionally, N
/// labels for top-1 accuracy.
public struct SweepInputData: Sendable {
    /// One batch per graph input.
    public var batches: [String: IntTensor]
    /// One label per sample, for accuracy.
    public var labels: [Int]?
    /// FNV-1a of the batches (by input name: shape, type, values) and the labels, 16 hex digits.
    public let contentHash: String

    /// Input data as given.
    public init(batches: [String: IntTensor], labels: [Int]? = nil) {
        self.batches = batches
        self.labels = labels
        var bytes: [UInt8] = []
        for name in batches.keys.sorted() {
            guard let tensor = batches[name] else { continue }
            bytes += Array("\(name):\(tensor.elementType.rawValue)\(tensor.shape):".utf8)
            for value in tensor.values { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
        }
        if let labels {
            bytes += Array("labels:".utf8)
            for label in labels { withUnsafeBytes(of: Int64(label).littleEndian) { bytes += $0 } }
        }
        contentHash = SweepHash.hex(bytes)
    }

    /// Number of samples.
    public var samples: Int { batches.values.first?.shape.first ?? 0 }
}
