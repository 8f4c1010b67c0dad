import AccsimChecksum

/// The one rule for a model's identity, used by trace headers (`model.hash`), sweep rows
/// (`model_hash`, part of every point id) and anything else that must say "the same model":
/// the 64-bit ``FNV1a`` of the graph's canonical `.q` encoding (``QModelWriter/encode(_:)``),
/// as 16 hex digits.
///
/// Because it hashes the graph and not the file, the same graph has the same identity whatever
/// format it was read from (`.q`, TFLite, ONNX, a SCALE-Sim topology) and whichever tool wrote
/// the file; any change to a weight, a requantizer, a shape or a name changes it.
public enum ModelIdentity {
    /// The identity of `graph`; "unencodable" for a graph the `.q` writer refuses (a validated
    /// graph always encodes).
    public static func hash(of graph: Graph) -> String {
        guard let bytes = try? QModelWriter.encode(graph) else { return "unencodable" }
        return FNV1a.hex(bytes)
    }
}
