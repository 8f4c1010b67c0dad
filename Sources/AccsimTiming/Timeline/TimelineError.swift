/// A malformed timeline input: a dependency that does not name an earlier step of the right kind,
/// or a negative size.
public struct TimelineError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Index of the offending step.
    public var step: Int
    /// What is wrong with it.
    public var message: String

    /// An error about step `step`.
    public init(step: Int, _ message: String) {
        self.step = step
        self.message = message
    }

    /// `step N: message`.
    public var description: String { "timeline step \(step): \(message)" }
}
