/// The constants of the trace file format (Traces/FORMAT.md).
public enum TraceFormat {
    /// The format version this build writes and the newest it reads.
    public static let version: UInt32 = 1
    /// The first 8 bytes of the uncompressed stream.
    public static let magic: [UInt8] = Array("ACCSIMTR".utf8)
    /// The first 4 bytes of a record chunk.
    public static let chunkMagic: [UInt8] = Array("ATCK".utf8)
    /// The first 4 bytes of the end marker.
    public static let endMagic: [UInt8] = Array("ATND".utf8)
    /// Bytes of a chunk header: magic, index, record count, payload length, payload CRC-32.
    public static let chunkHeaderBytes = 20
    /// Bytes of the end marker: magic, chunk count (u32), record count (u64).
    public static let endBytes = 16
    /// The gzip extra-field subfield identifier that carries a member's size and chunk ordinal.
    public static let gzipSubfield: (UInt8, UInt8) = (UInt8(ascii: "A"), UInt8(ascii: "T"))
    /// Uncompressed payload bytes after which the writer closes a chunk (256 KiB: large enough for
    /// deflate and cheap framing, small enough that a damaged file loses little).
    public static let defaultChunkBytes = 1 << 18
}
