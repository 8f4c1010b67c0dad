/// Which `vector_unit.cycles_per_op` entry a vector-unit layer uses.
public enum VectorOpClass: String, Sendable, Hashable, Codable, CaseIterable {
    /// add (elements × add).
    case add
    /// max_pool and avg_pool (output elements × window taps), mean (input elements).
    case pool
    /// lookup_table.
    case lookupTable = "lookup_table"
    /// softmax (elements).
    case softmax
    /// requantize, leaky_relu and clamp: the vector unit's multiply/shift/clamp path.
    case requantize
    /// concat and pad (output elements).
    case copy
}
