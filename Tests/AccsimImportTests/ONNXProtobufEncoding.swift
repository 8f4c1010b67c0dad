/// A tiny protobuf encoder for the tests: builds messages field by field so that the reader can be
/// fed exact (and exactly damaged) bytes.
struct ONNXProtobufEncoding {
    var bytes: [UInt8] = []

    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        repeat {
            var byte = UInt8(value & 0x7F)
            value >>= 7
            if value != 0 { byte |= 0x80 }
            out.append(byte)
        } while value != 0
        return out
    }

    mutating func key(_ number: Int, _ wireType: Int) {
        bytes += Self.varint(UInt64(number << 3 | wireType))
    }

    mutating func int(_ number: Int, _ value: Int64) {
        key(number, 0)
        bytes += Self.varint(UInt64(bitPattern: value))
    }

    mutating func float(_ number: Int, _ value: Float) {
        key(number, 5)
        let bits = value.bitPattern
        bytes += (0..<4).map { UInt8(truncatingIfNeeded: bits >> (8 * UInt32($0))) }
    }

    mutating func data(_ number: Int, _ payload: [UInt8]) {
        key(number, 2)
        bytes += Self.varint(UInt64(payload.count))
        bytes += payload
    }

    mutating func string(_ number: Int, _ text: String) {
        data(number, Array(text.utf8))
    }

    mutating func message(_ number: Int, _ build: (inout ONNXProtobufEncoding) -> Void) {
        var inner = ONNXProtobufEncoding()
        build(&inner)
        data(number, inner.bytes)
    }
}
