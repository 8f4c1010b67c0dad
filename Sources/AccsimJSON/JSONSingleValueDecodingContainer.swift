/// The single-value container of a ``JSONValueDecoder``.
struct JSONSingleValueDecodingContainer: SingleValueDecodingContainer {
    let decoder: JSONValueDecoder

    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool {
        decoder.value == .null
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        try JSONUnboxing.bool(from: decoder.value, at: codingPath)
    }

    func decode(_ type: String.Type) throws -> String {
        try JSONUnboxing.string(from: decoder.value, at: codingPath)
    }

    func decode(_ type: Double.Type) throws -> Double {
        try JSONUnboxing.double(from: decoder.value, at: codingPath)
    }

    func decode(_ type: Float.Type) throws -> Float {
        try JSONUnboxing.float(from: decoder.value, at: codingPath)
    }

    func decode(_ type: Int.Type) throws -> Int {
        try JSONUnboxing.integer(Int.self, from: decoder.value, at: codingPath)
    }

    func decode(_ type: Int8.Type) throws -> Int8 {
        try JSONUnboxing.integer(Int8.self, from: decoder.value, at: codingPath)
    }

    func decode(_ type: Int16.Type) throws -> Int16 {
        try JSONUnboxing.integer(Int16.self, from: decoder.value, at: codingPath)
    }

    func decode(_ type: Int32.Type) throws -> Int32 {
        try JSONUnboxing.integer(Int32.self, from: decoder.value, at: codingPath)
    }

    func decode(_ type: Int64.Type) throws -> Int64 {
        try JSONUnboxing.integer(Int64.self, from: decoder.value, at: codingPath)
    }

    func decode(_ type: UInt.Type) throws -> UInt {
        try JSONUnboxing.integer(UInt.self, from: decoder.value, at: codingPath)
    }

    func decode(_ type: UInt8.Type) throws -> UInt8 {
        try JSONUnboxing.integer(UInt8.self, from: decoder.value, at: codingPath)
    }

    func decode(_ type: UInt16.Type) throws -> UInt16 {
        try JSONUnboxing.integer(UInt16.self, from: decoder.value, at: codingPath)
    }

    func decode(_ type: UInt32.Type) throws -> UInt32 {
        try JSONUnboxing.integer(UInt32.self, from: decoder.value, at: codingPath)
    }

    func decode(_ type: UInt64.Type) throws -> UInt64 {
        try JSONUnboxing.integer(UInt64.self, from: decoder.value, at: codingPath)
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decoder.decode(type, from: decoder.value, at: codingPath)
    }
}
