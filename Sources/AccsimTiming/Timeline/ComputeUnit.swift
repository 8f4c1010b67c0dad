/// The unit a compute step runs on.
public enum ComputeUnit: String, Sendable, Hashable, Codable, CaseIterable {
    /// The systolic array (and the requantizer behind it).
    case array
    /// The vector unit (elementwise operations, pooling, lookup tables, softmax, copies).
    case vector
}
