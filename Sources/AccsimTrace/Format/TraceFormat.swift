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
    /// The largest chunk payload a reader accepts (64 MiB, 256 × what the writer closes chunks at):
    /// a larger declared length is an error before anything is allocated or inflated.
    public static let maxChunkBytes = 1 << 26
    /// The largest file header JSON a reader accepts (16 MiB).
    public static let maxHeaderBytes = 1 << 24
    /// Deflate's largest expansion (about 1,032 : 1): a declared length the compressed file cannot
    /// hold at that ratio is an error naming the file's size.
    public static let maxInflateRatio = 1_032
}
