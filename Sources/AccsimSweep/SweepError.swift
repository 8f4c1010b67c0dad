/// A problem with a sweep that stops it: a bad argument (a malformed range, an unknown key), a
/// sweep file that does not decode, or an unreadable or foreign results file.
public struct SweepError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem.
    public enum Kind: Sendable, Hashable {
        /// Bad arguments or sweep file contents: the user must change the command (exit status 2).
        case usage
        /// A results file cannot be read, written or parsed.
        case file
    }

    /// The kind of problem.
    public var kind: Kind
    /// The message, naming the argument, file or key concerned.
    public var message: String

    /// An error of `kind`.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// A usage error.
    public init(_ message: String) {
        self.init(.usage, message)
    }

    public var description: String { message }
}
