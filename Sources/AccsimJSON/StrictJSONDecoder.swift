/// Decodes `Decodable` values from JSON strictly, naming every problem by its key path
/// (`nodes[3].attributes.requantizer.zero_pint: unknown key 'zero_pint' (expected one of: …)`).
///
/// Unlike Foundation's JSONDecoder:
/// - **Unknown keys are errors.** Every key of an object must be accepted by the `CodingKey` type
///   the decoded type reads it with (synthesized `CodingKeys` accept only their own names). The
///   error lists the keys the type asked for and suggests the nearest one. Types that read an
///   object through `allKeys` with keys accepting any string (`[String: T]`) accept every key.
/// - **Integers decode from integer literals only**, in range: `1.0`, `1e3` and `1.5` are rejected
///   for `Int32` (integral or not), and so is `300` for `UInt8`. A number with a fraction or an
///   exponent is a floating-point number by its spelling.
/// - Doubles and Floats decode from any number (a Float must stay finite); Bools only from `true`
///   and `false`; Strings only from strings.
/// - A missing key, a value of the wrong JSON type, or reading past the end of an array is an
///   error naming its path. `decodeIfPresent` and optionals treat absent keys and `null` alike.
///
/// Errors thrown by the decoded types themselves (`DecodingError`s, or any other error) are
/// converted to ``JSONError`` with their path.
public struct StrictJSONDecoder: Sendable {
    /// The deepest nesting of arrays and objects the parser accepts.
    public var maxDepth: Int
    /// Passed to the values being decoded as `Decoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable]

    public init(maxDepth: Int = JSONParser.defaultMaxDepth, userInfo: [CodingUserInfoKey: any Sendable] = [:]) {
        self.maxDepth = maxDepth
        self.userInfo = userInfo
    }

    /// Parses `bytes` (UTF-8 JSON) and decodes a `T` from them.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(JSONError) -> T {
        try decode(type, from: JSONParser(maxDepth: maxDepth).parse(bytes))
    }

    /// Decodes a `T` from an already parsed value.
    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws(JSONError) -> T {
        try JSONUnboxing.decode(type, from: value, at: [], userInfo: userInfo.mapValues { $0 as Any })
    }
}
