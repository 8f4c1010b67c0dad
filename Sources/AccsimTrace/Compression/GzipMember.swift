import CZlib

/// One gzip member (RFC 1952) written deterministically: no file name, no modification time
/// (MTIME 0), OS 255 ("unknown"), XFL 0, and an extra field with subfield `AT` holding the
/// member's total size and its chunk ordinal (both u32 little-endian), so a reader can find where
/// every chunk starts without inflating (like BGZF). The data is raw deflate (zlib, window 15,
/// memory level 8, default strategy) at the given level; CRC-32 and ISIZE follow.
///
/// Because the gzip header is written here rather than by zlib, the bytes do not depend on the
/// platform's OS code: the same data and level give the same member wherever zlib's deflate
/// gives the same stream.
enum GzipMember {
    /// Bytes of the header this encoder writes: 10 fixed + 2 XLEN + 12 extra.
    static let headerBytes = 24

    /// Compresses `data` into one member with chunk ordinal `ordinal`.
    static func encode(_ data: [UInt8], ordinal: UInt32, level: Int32) -> [UInt8] {
        var stream = z_stream()
        let status = deflateInit2_(
            &stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "zlib deflateInit2 failed with status \(status)")
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(data.count)))
        var member = [UInt8](repeating: 0, count: headerBytes + bound + 8)
        let produced: Int = data.withUnsafeBufferPointer { input in
            member.withUnsafeMutableBufferPointer { output in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = output.baseAddress! + headerBytes
                stream.avail_out = uInt(bound)
                let result = deflate(&stream, Z_FINISH)
                precondition(result == Z_STREAM_END, "zlib deflate did not finish (status \(result))")
                return bound - Int(stream.avail_out)
            }
        }
        let total = headerBytes + produced + 8
        member.removeLast(member.count - total)
        let header: [UInt8] =
            [
                0x1F, 0x8B, 0x08, 0x04,  // ID1 ID2, CM deflate, FLG.FEXTRA
                0, 0, 0, 0,  // MTIME 0
                0x00, 0xFF,  // XFL, OS unknown
                12, 0,  // XLEN
                TraceFormat.gzipSubfield.0, TraceFormat.gzipSubfield.1, 8, 0,
            ] + littleEndian(UInt32(total)) + littleEndian(ordinal)
        member.replaceSubrange(0..<headerBytes, with: header)
        let crc = data.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
        member.replaceSubrange(
            total - 8..<total,
            with: littleEndian(UInt32(truncatingIfNeeded: crc)) + littleEndian(UInt32(truncatingIfNeeded: data.count)))
        return member
    }

    static func littleEndian(_ value: UInt32) -> [UInt8] {
        [
            UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8),
            UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 24),
        ]
    }

    /// The `AT` subfield of the member header at `offset` in `bytes`: (member size, ordinal), or
    /// nil when the member has no such field (e.g. the file was recompressed by another tool).
    static func extraField(in bytes: [UInt8], at offset: Int) -> (size: Int, ordinal: Int)? {
        guard offset + 12 <= bytes.count, bytes[offset] == 0x1F, bytes[offset + 1] == 0x8B,
            bytes[offset + 3] & 0x04 != 0
        else { return nil }
        let xlen = Int(bytes[offset + 10]) | Int(bytes[offset + 11]) << 8
        var position = offset + 12
        let end = position + xlen
        guard end <= bytes.count else { return nil }
        while position + 4 <= end {
            let length = Int(bytes[position + 2]) | Int(bytes[position + 3]) << 8
            if bytes[position] == TraceFormat.gzipSubfield.0 && bytes[position + 1] == TraceFormat.gzipSubfield.1
                && length == 8 && position + 12 <= end
            {
                func u32(_ at: Int) -> Int {
                    Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
                }
                return (u32(position + 4), u32(position + 8))
            }
            position += 4 + length
        }
        return nil
    }
}
