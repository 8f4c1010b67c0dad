/// The `Decoder` behind ``StrictJSONDecoder``: reads one ``JSONValue`` at a coding path. Keyed
/// containers register their object with the scope's ``JSONKeyTracker``, which reports unknown
/// keys when the value has been decoded.
final class JSONValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any]
    let tracker: JSONKeyTracker

    init(value: JSONValue, codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: Any], tracker: JSONKeyTracker) {
        self.value = value
        self.codingPath = codingPath
        self.userInfo = userInfo
        self.tracker = tracker
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else {
            throw JSONError.typeMismatch(expected: "an object", found: value, at: codingPath)
        }
        return KeyedDecodingContainer(
            JSONKeyedDecodingContainer<Key>(decoder: self, object: object, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else {
            throw JSONError.typeMismatch(expected: "an array", found: value, at: codingPath)
        }
        return JSONUnkeyedDecodingContainer(decoder: self, elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        JSONSingleValueDecodingContainer(decoder: self)
    }

    /// Decodes a child value in a scope of its own.
    func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, at path: [any CodingKey]) throws(JSONError) -> T {
        try JSONUnboxing.decode(type, from: value, at: path, userInfo: userInfo)
    }

    /// A decoder for a value that belongs to this scope (super decoders).
    func sameScopeDecoder(for value: JSONValue, at path: [any CodingKey]) -> JSONValueDecoder {
        JSONValueDecoder(value: value, codingPath: path, userInfo: userInfo, tracker: tracker)
    }
}
