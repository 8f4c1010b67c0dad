/// Why a compute step started later than the end of the previous one.
///
/// An array step that waited for a load is attributed to the buffer that load filled (`input` or
/// `weight`; a wait for the requantizer's parameters counts as `weight`); a step that waited for
/// the store that frees its half of the output buffer is attributed to `output`. Every stall of
/// the vector unit is attributed to `vector`, whichever transfer it waited for (the step's timing
/// still names that transfer).
public enum StallCause: String, Sendable, Hashable, Codable, CaseIterable {
    /// Waited for an input-buffer load.
    case input
    /// Waited for a weight-buffer (or bias) load.
    case weight
    /// Waited for the store that frees the output buffer half.
    case output
    /// The vector unit waited.
    case vector
}
