/// Encodes `Encodable` values as JSON, deterministically: the same value always gives the same
/// bytes.
///
/// - Object keys appear in the order the type encodes them (declaration order for synthesized
///   conformances). A `Dictionary` encodes in its own, unspecified order: encode sorted key-value
///   pairs (or a ``JSONObject``) where the order matters.
/// - `nil` optionals encoded with `encodeIfPresent` (synthesized conformances) are omitted;
///   elements of arrays of optionals are written as `null`.
/// - Doubles in their shortest round-tripping form (`0.1`, `1e-05`, `1.0`); Floats likewise by
///   their own shortest form; a non-finite value is an error naming its path.
/// - Integers in decimal; a `UInt64` above `Int64.max` is an error.
/// - Strings escaped per RFC 8259; non-ASCII characters are written as UTF-8.
///
/// The output carries no trailing newline.
public struct JSONWriter: Sendable {
    /// Layout of the output.
    public enum Style: Sendable, Hashable {
        /// Two-space indentation, one member per line, arrays of scalars on one line.
        case pretty
        /// No whitespace at all.
        case compact
    }

    /// The layout.
    public var style: Style
    /// Passed to the values being encoded as `Encoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable]

    public init(style: Style = .pretty, userInfo: [CodingUserInfoKey: any Sendable] = [:]) {
        self.style = style
        self.userInfo = userInfo
    }

    /// `value` as UTF-8 JSON text.
    public func encode<T: Encodable>(_ value: T) throws(JSONError) -> [UInt8] {
        try serialize(self.value(of: value))
    }

    /// `value` as JSON text.
    public func encodeToString<T: Encodable>(_ value: T) throws(JSONError) -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }

    /// `value` as a ``JSONValue`` tree (no text).
    public func value<T: Encodable>(of value: T) throws(JSONError) -> JSONValue {
        do {
            if let primitive = try JSONValueEncoder.primitive(value, at: []) { return primitive }
            let node = JSONEncodingNode()
            try value.encode(to: JSONValueEncoder(node: node, codingPath: [], userInfo: userInfo))
            return node.finished()
        } catch let error as JSONError {
            throw error
        } catch let EncodingError.invalidValue(_, context) {
            throw JSONError(.unencodable, path: JSONCodingPath.render(context.codingPath), context.debugDescription)
        } catch {
            throw JSONError(.unencodable, "\(error)")
        }
    }

    /// The text of an existing ``JSONValue``.
    public func serialize(_ value: JSONValue) throws(JSONError) -> [UInt8] {
        var serializer = JSONSerializer(pretty: style == .pretty)
        try serializer.write(value)
        return serializer.output
    }
}
