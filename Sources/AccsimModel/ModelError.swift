/// An error in a model or tensor file, with the context a user needs to fix it: the file, the node
/// and the field involved. Rendered once, by the CLI, through `description`.
public struct ModelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file the error was found in, when known.
    public var file: String?
    /// The node (layer) the error concerns, when it concerns one.
    public var node: String?
    /// A dotted path to the offending field (e.g. `attributes.requantizer.shifts[3]`).
    public var field: String?
    /// What is wrong, in one sentence.
    public var message: String

    public init(file: String? = nil, node: String? = nil, field: String? = nil, _ message: String) {
        self.file = file
        self.node = node
        self.field = field
        self.message = message
    }

    /// The same error, attributed to `file` if it had no file yet.
    public func inFile(_ path: String) -> ModelError {
        var copy = self
        if copy.file == nil { copy.file = path }
        return copy
    }

    public var description: String {
        var context: [String] = []
        if let file { context.append(file) }
        if let node { context.append("node '\(node)'") }
        if let field { context.append("field '\(field)'") }
        return context.isEmpty ? message : context.joined(separator: ": ") + ": " + message
    }
}
