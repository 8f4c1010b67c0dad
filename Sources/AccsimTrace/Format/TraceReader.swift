import AccsimChecksum
import AccsimJSON
import Foundation

/// Reads a trace chunk by chunk. Every complete, intact chunk before a damaged or missing part
/// is returned; the damage then surfaces as a ``TraceError`` naming the file, the chunk index and
/// the byte offsets (compressed and uncompressed).
///
/// Reads any gzip framing of the stream: the writer's one member per chunk, or the stream
/// recompressed as one member by another tool.
public final class TraceReader {
    /// The file name used in errors.
    public let name: String
    /// The file header.
    public private(set) var header: TraceHeader
    /// Size of the compressed file.
    public let compressedBytes: Int
    /// Record chunks read so far.
    public private(set) var chunksRead = 0
    /// Records read so far.
    public private(set) var recordsRead = 0
    /// Whether the end marker has been read and checked.
    public private(set) var reachedEnd = false

    private let inflater: GzipInflater
    private var pending: [UInt8] = []
    private var pendingStart = 0  // uncompressed offset of pending[0]
    private var cursor = 0  // index into pending
    private var inflateFailure: GzipInflater.Failure?

    /// Opens the file at `path` and reads its header.
    public convenience init(path: String) throws(TraceError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TraceError(.io, file: path, "cannot read the file")
        }
        try self.init(bytes: [UInt8](data), name: path)
    }

    /// Reads the header of a trace held in memory; `name` is used in errors.
    public init(bytes: [UInt8], name: String) throws(TraceError) {
        self.name = name
        compressedBytes = bytes.count
        inflater = GzipInflater(bytes)
        header = TraceHeader(
            accsimVersion: "", level: .layer, tracedLayers: nil, cycleWindow: nil, sample: 0,
            model: .init(name: "", hash: ""),
            hardware: .init(name: "", hash: "", config: .null), clockMHz: 0,
            array: .init(rows: 0, cols: 0, dataflow: "", convention: ""),
            elementWidths: .init(input: 0, weight: 0, accumulator: 0, output: 0), overflow: "", rounding: [],
            layers: [], totalCycles: 0)
        guard bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B else {
            throw TraceError(.corrupt, file: name, chunk: 0, offset: 0, "not a gzip file, so not an accsim trace")
        }
        guard fill(16, chunk: 0) else {
            throw failure(chunk: 0, at: 0, truncated: "the file ends inside the file header")
        }
        guard Array(pending[0..<8]) == TraceFormat.magic else {
            throw TraceError(
                .corrupt, file: name, chunk: 0, offset: 0, uncompressedOffset: 0,
                "not an accsim trace (magic \(Array(pending[0..<8])))")
        }
        let version = u32(at: 8)
        guard version <= TraceFormat.version else {
            throw TraceError(
                .unsupportedVersion, file: name, chunk: 0, offset: 0,
                "format version \(version) is newer than this accsim reads (\(TraceFormat.version)); update accsim")
        }
        let length = Int(u32(at: 12))
        try checkDeclared(length, field: "the file header's length", limit: TraceFormat.maxHeaderBytes, chunk: 0, at: 0)
        guard fill(16 + length + 4, chunk: 0) else {
            throw failure(chunk: 0, at: 0, truncated: "the file ends inside the file header")
        }
        let json = Array(pending[16..<16 + length])
        guard CRC32.checksum(json[...]) == u32(at: 16 + length) else {
            throw TraceError(
                .corrupt, file: name, chunk: 0, offset: 0, uncompressedOffset: 0, "file header CRC mismatch")
        }
        do {
            header = try TraceHeader.decode(json)
        } catch {
            throw TraceError(.corrupt, file: name, chunk: 0, offset: 0, uncompressedOffset: 0, "file header: \(error)")
        }
        cursor = 16 + length + 4
    }

    /// The next record chunk, or nil after the end marker. Throws at the first damaged, missing
    /// or truncated part.
    public func nextChunk() throws(TraceError) -> TraceChunk? {
        guard !reachedEnd else { return nil }
        let index = chunksRead + 1
        let start = pendingStart + cursor
        guard fill(cursor + 4, chunk: index) else {
            if available == 0 && inflateFailure == nil {
                throw TraceError(
                    .truncated, file: name, chunk: index,
                    offset: inflater.memberOffset(ofUncompressed: start) ?? inflater.consumed,
                    uncompressedOffset: start,
                    "the file ends after chunk \(index - 1) without the end marker (truncated)")
            }
            throw failure(chunk: index, at: start, truncated: "the file ends inside chunk \(index) (truncated)")
        }
        let magic = Array(pending[cursor..<cursor + 4])
        if magic == TraceFormat.endMagic {
            guard fill(cursor + TraceFormat.endBytes, chunk: index) else {
                throw failure(chunk: index, at: start, truncated: "the file ends inside the end marker (truncated)")
            }
            let chunks = Int(u32(at: cursor + 4))
            let records = Int(u32(at: cursor + 8)) | Int(u32(at: cursor + 12)) << 32
            guard chunks == chunksRead, records == recordsRead else {
                throw TraceError(
                    .corrupt, file: name, chunk: index, offset: memberOffset(start), uncompressedOffset: start,
                    "the end marker counts \(chunks) chunks and \(records) records, the file holds \(chunksRead) and \(recordsRead)"
                )
            }
            cursor += TraceFormat.endBytes
            if fill(cursor + 1, chunk: index) {
                throw TraceError(
                    .corrupt, file: name, chunk: index, offset: memberOffset(pendingStart + cursor),
                    uncompressedOffset: pendingStart + cursor,
                    "unexpected data after the end marker")
            }
            if let inflateFailure { throw error(from: inflateFailure, chunk: index, at: pendingStart + cursor) }
            reachedEnd = true
            return nil
        }
        guard magic == TraceFormat.chunkMagic else {
            throw TraceError(
                .corrupt, file: name, chunk: index, offset: memberOffset(start), uncompressedOffset: start,
                "expected a chunk header (ATCK) or the end marker (ATND), found bytes \(magic)")
        }
        guard fill(cursor + TraceFormat.chunkHeaderBytes, chunk: index) else {
            throw failure(
                chunk: index, at: start, truncated: "the file ends inside the header of chunk \(index) (truncated)")
        }
        let storedIndex = Int(u32(at: cursor + 4))
        let count = Int(u32(at: cursor + 8))
        let length = Int(u32(at: cursor + 12))
        let crc = u32(at: cursor + 16)
        guard storedIndex == index else {
            throw TraceError(
                .corrupt, file: name, chunk: index, offset: memberOffset(start), uncompressedOffset: start,
                "found chunk \(storedIndex) where chunk \(index) belongs (a chunk is missing or out of order)")
        }
        try checkDeclared(
            length, field: "chunk \(index)'s payload length", limit: TraceFormat.maxChunkBytes, chunk: index, at: start)
        guard count <= length else {
            throw TraceError(
                .corrupt, file: name, chunk: index, offset: memberOffset(start), uncompressedOffset: start,
                "chunk \(index)'s header counts \(count) records in \(length) payload bytes (a record takes at least 1)"
            )
        }
        let payloadStart = cursor + TraceFormat.chunkHeaderBytes
        guard fill(payloadStart + length, chunk: index) else {
            throw failure(
                chunk: index, at: start,
                truncated:
                    "the file ends inside chunk \(index) (\(available - TraceFormat.chunkHeaderBytes) of \(length) payload bytes present; truncated)"
            )
        }
        let payload = Array(pending[payloadStart..<payloadStart + length])
        guard CRC32.checksum(payload[...]) == crc else {
            throw TraceError(
                .corrupt, file: name, chunk: index, offset: memberOffset(start), uncompressedOffset: start,
                "payload CRC mismatch (stored \(CRC32.hex(crc)), computed \(CRC32.hex(CRC32.checksum(payload[...]))))")
        }
        var decoder = RecordDecoder(payload: payload)
        var records: [TraceRecord] = []
        var sizes: [Int] = []
        records.reserveCapacity(count)
        sizes.reserveCapacity(count)
        do {
            while let (record, size) = try decoder.next() {
                records.append(record)
                sizes.append(size)
            }
        } catch {
            throw TraceError(
                .corrupt, file: name, chunk: index, offset: memberOffset(start), uncompressedOffset: start,
                "record \(records.count) at payload byte \(decoder.position): \(error.message)")
        }
        guard records.count == count else {
            throw TraceError(
                .corrupt, file: name, chunk: index, offset: memberOffset(start), uncompressedOffset: start,
                "the chunk header counts \(count) records, the payload holds \(records.count)")
        }
        cursor = payloadStart + length
        chunksRead = index
        recordsRead += count
        let chunk = TraceChunk(
            index: index, records: records, recordBytes: sizes, uncompressedOffset: start,
            compressedOffset: memberOffset(start) ?? 0)
        compact()
        return chunk
    }

    /// Calls `body` with every record in order; after the last intact chunk, throws the error
    /// that stopped reading, if any.
    public func forEachRecord(_ body: (TraceRecord) throws -> Void) throws {
        while let chunk = try nextChunk() {
            for record in chunk.records { try body(record) }
        }
    }

    /// Reads every record of the file at `path`.
    public static func records(path: String) throws -> (header: TraceHeader, records: [TraceRecord]) {
        let reader = try TraceReader(path: path)
        var records: [TraceRecord] = []
        try reader.forEachRecord { records.append($0) }
        return (reader.header, records)
    }

    /// Checks a length the file declares before it is read: at most `limit`, and no more than the
    /// compressed file could inflate to.
    private func checkDeclared(_ length: Int, field: String, limit: Int, chunk: Int, at start: Int)
        throws(TraceError)
    {
        if length > limit {
            let constant = chunk == 0 ? "maxHeaderBytes" : "maxChunkBytes"
            throw TraceError(
                .corrupt, file: name, chunk: chunk, offset: memberOffset(start), uncompressedOffset: start,
                "\(field) is \(length) bytes, over the limit of \(limit) bytes (TraceFormat.\(constant))")
        }
        let (possible, overflow) = compressedBytes.multipliedReportingOverflow(by: TraceFormat.maxInflateRatio)
        if !overflow && length > possible {
            throw TraceError(
                .corrupt, file: name, chunk: chunk, offset: memberOffset(start), uncompressedOffset: start,
                "\(field) is \(length) bytes, more than the \(compressedBytes)-byte file can inflate to")
        }
    }

    // MARK: - Buffering

    private var available: Int { pending.count - cursor }

    /// Makes `pending` hold at least `end` bytes (indices relative to `pending`); false when the
    /// stream ends (or fails) first.
    private func fill(_ end: Int, chunk: Int) -> Bool {
        while pending.count < end {
            guard inflateFailure == nil else { return false }
            let (bytes, failure) = inflater.read(capacity: max(1 << 18, end - pending.count))
            pending.append(contentsOf: bytes)
            if let failure { inflateFailure = failure }
            if bytes.isEmpty && failure == nil { return false }
        }
        return true
    }

    private func compact() {
        if cursor > 1 << 20 {
            pending.removeFirst(cursor)
            pendingStart += cursor
            cursor = 0
        }
    }

    private func u32(at index: Int) -> UInt32 {
        UInt32(pending[index]) | UInt32(pending[index + 1]) << 8 | UInt32(pending[index + 2]) << 16 | UInt32(
            pending[index + 3]) << 24
    }

    private func memberOffset(_ uncompressed: Int) -> Int? {
        inflater.memberOffset(ofUncompressed: uncompressed)
    }

    /// The error for data that stops early at chunk `chunk`: the inflate failure when there was
    /// one, else a truncation.
    private func failure(chunk: Int, at start: Int, truncated message: String) -> TraceError {
        if let inflateFailure, !inflateFailure.isTruncation {
            return error(from: inflateFailure, chunk: chunk, at: start)
        }
        return TraceError(
            .truncated, file: name, chunk: chunk, offset: memberOffset(start) ?? inflateFailure?.memberOffset,
            uncompressedOffset: start, message)
    }

    private func error(from failure: GzipInflater.Failure, chunk: Int, at start: Int) -> TraceError {
        TraceError(
            failure.isTruncation ? .truncated : .corrupt, file: name, chunk: chunk, offset: failure.memberOffset,
            uncompressedOffset: start, failure.message)
    }
}
