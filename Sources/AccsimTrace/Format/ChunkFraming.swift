import AccsimChecksum

/// The uncompressed framing of a trace (Traces/FORMAT.md): the file header (chunk 0), record
/// chunks, and the end marker.
enum ChunkFraming {
    /// `ACCSIMTR · version u32 · header length u32 · header JSON · CRC-32 of the JSON u32`.
    static func preamble(header json: [UInt8]) -> [UInt8] {
        var sink = ByteSink(capacity: json.count + 20)
        sink.bytes.append(contentsOf: TraceFormat.magic)
        sink.u32(TraceFormat.version)
        sink.u32(UInt32(json.count))
        sink.bytes.append(contentsOf: json)
        sink.u32(CRC32.checksum(json[...]))
        return sink.bytes
    }

    /// `ATCK · chunk index u32 · record count u32 · payload length u32 · payload CRC-32 u32 · payload`.
    static func chunk(index: Int, records: Int, payload: [UInt8]) -> [UInt8] {
        var sink = ByteSink(capacity: payload.count + TraceFormat.chunkHeaderBytes)
        sink.bytes.append(contentsOf: TraceFormat.chunkMagic)
        sink.u32(UInt32(index))
        sink.u32(UInt32(records))
        sink.u32(UInt32(payload.count))
        sink.u32(CRC32.checksum(payload[...]))
        sink.bytes.append(contentsOf: payload)
        return sink.bytes
    }

    /// `ATND · record chunk count u32 · record count u64`.
    static func end(chunks: Int, records: Int) -> [UInt8] {
        var sink = ByteSink(capacity: TraceFormat.endBytes)
        sink.bytes.append(contentsOf: TraceFormat.endMagic)
        sink.u32(UInt32(chunks))
        sink.u64(UInt64(records))
        return sink.bytes
    }
}
