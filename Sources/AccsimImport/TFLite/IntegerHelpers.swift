extension ArraySlice where Element == UInt8 {
    /// The bytes read as little-endian int32 values (a trailing partial value is ignored).
    var littleEndianInt32s: [Int32] {
        stride(from: startIndex, to: endIndex - 3, by: 4).map { i in
            Int32(
                bitPattern: UInt32(self[i]) | UInt32(self[i + 1]) << 8 | UInt32(self[i + 2]) << 16 | UInt32(self[i + 3])
                    << 24)
        }
    }

    /// The bytes read as little-endian int64 values (a trailing partial value is ignored).
    var littleEndianInt64s: [Int64] {
        stride(from: startIndex, to: endIndex - 7, by: 8).map { i in
            var value: UInt64 = 0
            for byte in 0..<8 { value |= UInt64(self[i + byte]) << UInt64(8 * byte) }
            return Int64(bitPattern: value)
        }
    }
}

extension Double {
    /// `floor(log2(self))` for a finite value ≥ 1, exact (the binary exponent).
    var log2Floor: Int { Int(exponent) }
}

extension Int32 {
    /// The value clamped to [−128, 127].
    var clampedToInt8Range: Int32 { Swift.min(Swift.max(self, -128), 127) }
}
