/// Little-endian and LEB128 encoding into a growing byte array.
struct ByteSink {
    var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func u32(_ value: UInt32) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
    }

    mutating func u64(_ value: UInt64) {
        u32(UInt32(truncatingIfNeeded: value))
        u32(UInt32(truncatingIfNeeded: value >> 32))
    }

    /// Unsigned LEB128.
    @inline(__always)
    mutating func uvarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// A non-negative `Int` as unsigned LEB128 (negative values are a caller bug).
    @inline(__always)
    mutating func uvarint(_ value: Int) {
        precondition(value >= 0, "unsigned trace field is negative: \(value)")
        uvarint(UInt64(value))
    }

    /// Zigzag, then LEB128: small magnitudes of either sign take few bytes.
    @inline(__always)
    mutating func svarint(_ value: Int64) {
        uvarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    @inline(__always)
    mutating func svarint(_ value: Int) { svarint(Int64(value)) }

    /// A length-prefixed UTF-8 string.
    mutating func string(_ value: String) {
        let utf8 = Array(value.utf8)
        uvarint(utf8.count)
        bytes.append(contentsOf: utf8)
    }
}
