/// Which `vector_unit.cycles_per_op` entry a vector-unit layer uses.
public enum VectorOpClass: String, Sendable, Hashable, Codable, CaseIterable {
    /// add (elements × add).
    case add
    /// max_pool and avg_pool (output elements × window taps), mean (input elements).
    case pool
    /// lookup_table and int16_activation (LiteRT's int16 LOGISTIC/TANH table interpolation).
    case lookupTable = "lookup_table"
    /// softmax and int16_softmax (elements).
    case softmax
    /// requantize, leaky_relu and clamp: the vector unit's multiply/shift/clamp path.
    case requantize
    /// concat and pad (output elements).
    case copy
}
