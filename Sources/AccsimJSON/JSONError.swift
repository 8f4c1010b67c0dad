/// An error reading, decoding or encoding JSON, with the context needed to find it: the key path
/// of the offending value (`nodes[3].attributes.requantizer.shifts[0]`) and, for syntax errors,
/// the position in the input.
public struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem this is.
    public enum Kind: Sendable, Hashable {
        /// The bytes are not well-formed JSON (or exceed the nesting limit).
        case syntax
        /// An object has a key the decoded type does not know.
        case unknownKey
        /// A required key is absent.
        case missingKey
        /// A value has the wrong JSON type (a string where an integer is expected, …).
        case typeMismatch
        /// A value has the right JSON type but is not acceptable (out of range, not an integer,
        /// rejected by the decoded type, too few array elements, …).
        case invalidValue
        /// A value cannot be encoded (a non-finite double, an integer outside `Int64`, …).
        case unencodable
    }

    /// A position in the input of a parser.
    public struct Location: Sendable, Hashable {
        /// Zero-based byte offset.
        public var offset: Int
        /// One-based line number (lines end at `\n`).
        public var line: Int
        /// One-based column, counted in Unicode scalars from the start of the line.
        public var column: Int

        public init(offset: Int, line: Int, column: Int) {
            self.offset = offset
            self.line = line
            self.column = column
        }
    }

    /// The kind of problem.
    public var kind: Kind
    /// The key path of the offending value (`tensors[2].quantization.scales`); empty for the root
    /// value and for syntax errors.
    public var path: String
    /// What is wrong, in one sentence.
    public var message: String
    /// Where in the input a syntax error was found.
    public var location: Location?

    public init(_ kind: Kind, path: String = "", _ message: String, location: Location? = nil) {
        self.kind = kind
        self.path = path
        self.message = message
        self.location = location
    }

    /// `line L, column C (byte O): message`, `path: message`, or the message alone.
    public var description: String {
        var prefix: [String] = []
        if let location {
            prefix.append("line \(location.line), column \(location.column) (byte \(location.offset))")
        }
        if !path.isEmpty { prefix.append(path) }
        return prefix.isEmpty ? message : prefix.joined(separator: ": ") + ": " + message
    }
}
