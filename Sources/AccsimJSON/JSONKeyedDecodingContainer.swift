/// A keyed container over one JSON object. Every key it is asked about is recorded (for the
/// "expected one of" list of unknown-key errors); a missing required key is an error naming its
/// path.
struct JSONKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: JSONValueDecoder
    let object: JSONObject
    let codingPath: [any CodingKey]
    private let entry: JSONKeyTracker.Entry

    init(decoder: JSONValueDecoder, object: JSONObject, codingPath: [any CodingKey]) {
        self.decoder = decoder
        self.object = object
        self.codingPath = codingPath
        entry = decoder.tracker.entry(for: object, at: codingPath, keyedBy: Key.self)
    }

    var allKeys: [Key] { object.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool {
        entry.request(key.stringValue)
        return object[key.stringValue] != nil
    }

    private func value(for key: Key) throws(JSONError) -> JSONValue {
        entry.request(key.stringValue)
        guard let value = object[key.stringValue] else {
            entry.missingKeyReported = true
            throw JSONError(
                .missingKey, path: JSONCodingPath.render(codingPath + [key]),
                "missing required key '\(key.stringValue)'")
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        try value(for: key) == .null
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        try JSONUnboxing.bool(from: value(for: key), at: codingPath + [key])
    }

    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try JSONUnboxing.string(from: value(for: key), at: codingPath + [key])
    }

    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        try JSONUnboxing.double(from: value(for: key), at: codingPath + [key])
    }

    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        try JSONUnboxing.float(from: value(for: key), at: codingPath + [key])
    }

    func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
        try JSONUnboxing.integer(Int.self, from: value(for: key), at: codingPath + [key])
    }

    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 {
        try JSONUnboxing.integer(Int8.self, from: value(for: key), at: codingPath + [key])
    }

    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 {
        try JSONUnboxing.integer(Int16.self, from: value(for: key), at: codingPath + [key])
    }

    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 {
        try JSONUnboxing.integer(Int32.self, from: value(for: key), at: codingPath + [key])
    }

    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 {
        try JSONUnboxing.integer(Int64.self, from: value(for: key), at: codingPath + [key])
    }

    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt {
        try JSONUnboxing.integer(UInt.self, from: value(for: key), at: codingPath + [key])
    }

    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 {
        try JSONUnboxing.integer(UInt8.self, from: value(for: key), at: codingPath + [key])
    }

    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 {
        try JSONUnboxing.integer(UInt16.self, from: value(for: key), at: codingPath + [key])
    }

    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 {
        try JSONUnboxing.integer(UInt32.self, from: value(for: key), at: codingPath + [key])
    }

    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 {
        try JSONUnboxing.integer(UInt64.self, from: value(for: key), at: codingPath + [key])
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder.decode(type, from: value(for: key), at: codingPath + [key])
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        entry.request(key.stringValue)
        guard let value = object[key.stringValue], value != .null else { return nil }
        return try decoder.decode(type, from: value, at: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        let value = try value(for: key)
        guard case .object(let nested) = value else {
            throw JSONError.typeMismatch(expected: "an object", found: value, at: codingPath + [key])
        }
        return KeyedDecodingContainer(
            JSONKeyedDecodingContainer<NestedKey>(decoder: decoder, object: nested, codingPath: codingPath + [key]))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        let value = try value(for: key)
        guard case .array(let elements) = value else {
            throw JSONError.typeMismatch(expected: "an array", found: value, at: codingPath + [key])
        }
        return JSONUnkeyedDecodingContainer(decoder: decoder, elements: elements, codingPath: codingPath + [key])
    }

    func superDecoder() throws -> any Decoder {
        entry.request("super")
        return decoder.sameScopeDecoder(for: object["super"] ?? .null, at: codingPath + [JSONKey("super")])
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        entry.request(key.stringValue)
        return decoder.sameScopeDecoder(for: object[key.stringValue] ?? .null, at: codingPath + [key])
    }
}
