/// One decoded record chunk.
public struct TraceChunk: Sendable, Hashable {
    /// Chunk index (1 for the first record chunk).
    public var index: Int
    /// The records in order.
    public var records: [TraceRecord]
    /// The encoded size of every record (type, length and body bytes).
    public var recordBytes: [Int]
    /// Byte offset of the chunk in the uncompressed stream.
    public var uncompressedOffset: Int
    /// Byte offset of the gzip member the chunk starts in.
    public var compressedOffset: Int
}
