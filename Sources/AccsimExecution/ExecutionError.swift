/// An error while preparing or running a simulation, with the context a user needs: the node and
/// the field or input concerned. Rendered once, by the CLI.
public struct ExecutionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var node: String?
    public var message: String
    /// Whether the error is in what the user supplied (an input of the wrong shape or type)
    /// rather than in the simulation itself.
    public var isBadInput: Bool

    public init(node: String? = nil, _ message: String, isBadInput: Bool = false) {
        self.node = node
        self.message = message
        self.isBadInput = isBadInput
    }

    public var description: String {
        if let node { return "node '\(node)': \(message)" }
        return message
    }
}
