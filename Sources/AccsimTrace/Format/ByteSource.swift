/// Reads what ``ByteSink`` writes, with bounds checks that fail with a message instead of
/// trapping.
struct ByteSource {
    let bytes: [UInt8]
    var position: Int
    let end: Int

    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.position = start
        self.end = end ?? bytes.count
    }

    var remaining: Int { end - position }
    var isAtEnd: Bool { position >= end }

    struct Overrun: Error {
        var message: String
    }

    mutating func u8() throws(Overrun) -> UInt8 {
        guard position < end else { throw Overrun(message: "field runs past the end of the record") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func u32() throws(Overrun) -> UInt32 {
        guard remaining >= 4 else { throw Overrun(message: "field runs past the end of the record") }
        var value: UInt32 = 0
        for i in 0..<4 { value |= UInt32(bytes[position + i]) << (8 * UInt32(i)) }
        position += 4
        return value
    }

    mutating func u64() throws(Overrun) -> UInt64 {
        let low = try u32()
        let high = try u32()
        return UInt64(low) | UInt64(high) << 32
    }

    mutating func uvarint() throws(Overrun) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try u8()
            if shift == 63 && byte > 1 { throw Overrun(message: "varint overflows 64 bits") }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
            if shift > 63 { throw Overrun(message: "varint longer than 10 bytes") }
        }
    }

    /// An unsigned varint that must fit `Int`.
    mutating func int() throws(Overrun) -> Int {
        let value = try uvarint()
        guard value <= UInt64(Int.max) else { throw Overrun(message: "value \(value) is out of range") }
        return Int(value)
    }

    mutating func svarint() throws(Overrun) -> Int64 {
        let raw = try uvarint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    mutating func sint() throws(Overrun) -> Int { Int(try svarint()) }

    mutating func int32() throws(Overrun) -> Int32 {
        let value = try svarint()
        guard let narrow = Int32(exactly: value) else { throw Overrun(message: "value \(value) does not fit int32") }
        return narrow
    }

    mutating func string() throws(Overrun) -> String {
        let count = try int()
        guard count <= remaining else { throw Overrun(message: "string runs past the end of the record") }
        defer { position += count }
        return String(decoding: bytes[position..<position + count], as: UTF8.self)
    }

    mutating func raw(_ count: Int) throws(Overrun) -> [UInt8] {
        guard count <= remaining else { throw Overrun(message: "field runs past the end of the record") }
        defer { position += count }
        return Array(bytes[position..<position + count])
    }
}
