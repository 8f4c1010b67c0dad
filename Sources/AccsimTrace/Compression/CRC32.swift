import CZlib

/// CRC-32 (zlib's, IEEE 802.3) of `bytes`.
func crc32Of(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    bytes.withUnsafeBufferPointer { buffer in
        var crc = crc32(0, nil, 0)
        guard var base = buffer.baseAddress else { return UInt32(truncatingIfNeeded: crc) }
        var remaining = buffer.count
        while remaining > 0 {
            let chunk = min(remaining, 1 << 30)
            crc = crc32(crc, base, uInt(chunk))
            base += chunk
            remaining -= chunk
        }
        return UInt32(truncatingIfNeeded: crc)
    }
}

/// CRC-32 as 8 lowercase hex digits.
func crcHex(_ crc: UInt32) -> String {
    let digits = String(crc, radix: 16)
    return String(repeating: "0", count: 8 - digits.count) + digits
}
