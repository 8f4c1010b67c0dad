// AccsimChecksum owns the one checksum accsim uses: CRC-32 through the system zlib, shared by the
// .q model container (AccsimModel), the trace format (AccsimTrace) and the reports' output CRCs.

import CZlib

/// CRC-32 (IEEE 802.3, the polynomial of zlib, `zlib.crc32` and `binascii.crc32`), computed by
/// the system zlib.
public enum CRC32 {
    /// The CRC-32 of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        checksum(bytes[...])
    }

    /// The CRC-32 of `bytes`.
    public static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        update(UInt32(truncatingIfNeeded: crc32(0, nil, 0)), with: bytes)
    }

    /// The CRC-32 of the bytes `crc` covers followed by `bytes`: checksumming a stream piece by
    /// piece from `checksum([])` gives ``checksum(_:)-(ArraySlice<UInt8>)`` of the whole.
    public static func update(_ crc: UInt32, with bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            var crc = uLong(crc)
            guard var base = buffer.baseAddress else { return UInt32(truncatingIfNeeded: crc) }
            var remaining = buffer.count
            // zlib takes a 32-bit length: feed larger buffers in chunks.
            while remaining > 0 {
                let chunk = min(remaining, 1 << 30)
                crc = crc32(crc, base, uInt(chunk))
                base += chunk
                remaining -= chunk
            }
            return UInt32(truncatingIfNeeded: crc)
        }
    }

    /// The CRC-32 as 8 lowercase hexadecimal digits (`0x` not included).
    public static func hex(_ crc: UInt32) -> String {
        let digits = String(crc, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
