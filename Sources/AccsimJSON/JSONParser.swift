/// Parses JSON text (RFC 8259) into a ``JSONValue``.
///
/// - A number without fraction or exponent that fits `Int64` becomes `.int`; every other number
///   becomes `.double`, converted by `Double(String)` (correctly rounded). A number too large for
///   a Double (`1e400`) is an error.
/// - Strings must be valid UTF-8; every escape is supported, `\u` escapes must pair surrogates.
/// - A key repeated in one object is an error.
/// - Nesting deeper than ``maxDepth`` arrays and objects is an error, so hostile input cannot
///   exhaust the stack. No input makes the parser crash.
///
/// Errors carry the byte offset, line and column of the problem (``JSONError/location``).
public struct JSONParser: Sendable {
    /// The default nesting limit.
    public static let defaultMaxDepth = 512

    /// The deepest nesting of arrays and objects accepted.
    public var maxDepth: Int

    public init(maxDepth: Int = JSONParser.defaultMaxDepth) {
        self.maxDepth = maxDepth
    }

    /// Parses one JSON value filling `bytes` (surrounding whitespace allowed).
    public func parse(_ bytes: [UInt8]) throws(JSONError) -> JSONValue {
        var state = JSONParserState(bytes: bytes, maxDepth: maxDepth)
        return try state.parseDocument()
    }

    /// Parses one JSON value from the UTF-8 of `text`.
    public func parse(_ text: String) throws(JSONError) -> JSONValue {
        try parse(Array(text.utf8))
    }
}
