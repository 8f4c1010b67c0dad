/// An unkeyed container over one JSON array. Reading past the end is an error naming the index.
struct JSONUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    let decoder: JSONValueDecoder
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    private(set) var currentIndex = 0

    init(decoder: JSONValueDecoder, elements: [JSONValue], codingPath: [any CodingKey]) {
        self.decoder = decoder
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }

    var isAtEnd: Bool { currentIndex >= elements.count }

    private var currentPath: [any CodingKey] { codingPath + [JSONKey(index: currentIndex)] }

    /// The current element and its path; advances past it.
    private mutating func next() throws(JSONError) -> (value: JSONValue, path: [any CodingKey]) {
        guard currentIndex < elements.count else {
            let count = elements.count
            throw JSONError(
                .invalidValue, path: JSONCodingPath.render(codingPath),
                "the array has \(count) element\(count == 1 ? "" : "s"); more are expected")
        }
        let element = (elements[currentIndex], currentPath)
        currentIndex += 1
        return element
    }

    mutating func decodeNil() throws -> Bool {
        guard currentIndex < elements.count else {
            _ = try next()
            return false
        }
        if elements[currentIndex] == .null {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool {
        let (value, path) = try next()
        return try JSONUnboxing.bool(from: value, at: path)
    }

    mutating func decode(_ type: String.Type) throws -> String {
        let (value, path) = try next()
        return try JSONUnboxing.string(from: value, at: path)
    }

    mutating func decode(_ type: Double.Type) throws -> Double {
        let (value, path) = try next()
        return try JSONUnboxing.double(from: value, at: path)
    }

    mutating func decode(_ type: Float.Type) throws -> Float {
        let (value, path) = try next()
        return try JSONUnboxing.float(from: value, at: path)
    }

    mutating func decode(_ type: Int.Type) throws -> Int {
        let (value, path) = try next()
        return try JSONUnboxing.integer(Int.self, from: value, at: path)
    }

    mutating func decode(_ type: Int8.Type) throws -> Int8 {
        let (value, path) = try next()
        return try JSONUnboxing.integer(Int8.self, from: value, at: path)
    }

    mutating func decode(_ type: Int16.Type) throws -> Int16 {
        let (value, path) = try next()
        return try JSONUnboxing.integer(Int16.self, from: value, at: path)
    }

    mutating func decode(_ type: Int32.Type) throws -> Int32 {
        let (value, path) = try next()
        return try JSONUnboxing.integer(Int32.self, from: value, at: path)
    }

    mutating func decode(_ type: Int64.Type) throws -> Int64 {
        let (value, path) = try next()
        return try JSONUnboxing.integer(Int64.self, from: value, at: path)
    }

    mutating func decode(_ type: UInt.Type) throws -> UInt {
        let (value, path) = try next()
        return try JSONUnboxing.integer(UInt.self, from: value, at: path)
    }

    mutating func decode(_ type: UInt8.Type) throws -> UInt8 {
        let (value, path) = try next()
        return try JSONUnboxing.integer(UInt8.self, from: value, at: path)
    }

    mutating func decode(_ type: UInt16.Type) throws -> UInt16 {
        let (value, path) = try next()
        return try JSONUnboxing.integer(UInt16.self, from: value, at: path)
    }

    mutating func decode(_ type: UInt32.Type) throws -> UInt32 {
        let (value, path) = try next()
        return try JSONUnboxing.integer(UInt32.self, from: value, at: path)
    }

    mutating func decode(_ type: UInt64.Type) throws -> UInt64 {
        let (value, path) = try next()
        return try JSONUnboxing.integer(UInt64.self, from: value, at: path)
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, path) = try next()
        return try decoder.decode(type, from: value, at: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<
        NestedKey
    > {
        let (value, path) = try next()
        guard case .object(let object) = value else {
            throw JSONError.typeMismatch(expected: "an object", found: value, at: path)
        }
        return KeyedDecodingContainer(
            JSONKeyedDecodingContainer<NestedKey>(decoder: decoder, object: object, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (value, path) = try next()
        guard case .array(let nested) = value else {
            throw JSONError.typeMismatch(expected: "an array", found: value, at: path)
        }
        return JSONUnkeyedDecodingContainer(decoder: decoder, elements: nested, codingPath: path)
    }

    mutating func superDecoder() throws -> any Decoder {
        let (value, path) = try next()
        return decoder.sameScopeDecoder(for: value, at: path)
    }
}
