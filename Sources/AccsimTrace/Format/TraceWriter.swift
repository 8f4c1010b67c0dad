import AccsimFiles
import Foundation

/// How a ``TraceWriter`` cuts and compresses.
public struct TraceWriterOptions: Sendable, Hashable {
    /// Uncompressed payload bytes after which a chunk is closed (records never span chunks).
    public var chunkBytes: Int
    /// zlib deflate level, 1 (fastest) … 9 (smallest).
    public var compressionLevel: Int
    /// Compress and write on a background queue (the default); false compresses inline. Both give
    /// the same bytes.
    public var background: Bool

    /// Options as given: 256 KiB chunks, level 6, background compression by default.
    public init(chunkBytes: Int = TraceFormat.defaultChunkBytes, compressionLevel: Int = 6, background: Bool = true) {
        self.chunkBytes = max(64, chunkBytes)
        self.compressionLevel = min(9, max(1, compressionLevel))
        self.background = background
    }
}

/// What a finished ``TraceWriter`` wrote.
public struct TraceWriteSummary: Sendable, Hashable {
    /// Records written.
    public var records: Int
    /// Record chunks (the header and end marker not counted).
    public var chunks: Int
    /// Bytes of the uncompressed stream (header, chunks, end marker).
    public var uncompressedBytes: Int
    /// Bytes of the file.
    public var compressedBytes: Int
    /// The file's bytes, when writing to memory.
    public var bytes: [UInt8]?
}

/// Writes a trace: the header, then records in order, cut into CRC-checked chunks, each
/// compressed into its own gzip member (off the caller's thread by default), then the end marker.
///
/// The output depends only on the header, the records and the options: the same run twice gives
/// byte-identical files. Appending never throws; I/O errors surface in ``finish()``.
public final class TraceWriter {
    private let options: TraceWriterOptions
    private let pipeline: ChunkPipeline
    private var encoder = RecordEncoder()
    private var chunks = 0
    private var records = 0
    private var uncompressed = 0
    private var finished = false
    /// The file being written (nil when writing to memory).
    private let staged: StagedOutputFile?

    /// A writer to the file at `path`; refuses to replace an existing file unless `overwrite`.
    /// The trace is written to a temporary file next to `path` and moved into place by
    /// ``finish()`` (``StagedOutputFile``): an interrupted run leaves no partial trace.
    public init(
        path: String, header: TraceHeader, overwrite: Bool = false, options: TraceWriterOptions = TraceWriterOptions()
    ) throws(TraceError) {
        let staged: StagedOutputFile
        do {
            staged = try StagedOutputFile(path: path, overwrite: overwrite)
        } catch {
            throw Self.traceError(error)
        }
        // The pipeline closes its own descriptor when it drains; the staged file keeps the
        // original to sync it and move it into place.
        let handle = FileHandle(fileDescriptor: dup(staged.descriptor), closeOnDealloc: true)
        self.staged = staged
        self.options = options
        pipeline = ChunkPipeline(
            destination: .file(handle, path: path), level: Int32(options.compressionLevel),
            background: options.background)
        try start(header)
    }

    private static func traceError(_ error: OutputFileError) -> TraceError {
        switch error.kind {
        case .exists: TraceError(.io, file: error.path, "the file exists; pass --force to overwrite it")
        case .io: TraceError(.io, file: error.path, error.message)
        }
    }

    /// A writer to memory: ``finish()`` returns the bytes in ``TraceWriteSummary/bytes``.
    public init(header: TraceHeader, options: TraceWriterOptions = TraceWriterOptions()) throws(TraceError) {
        staged = nil
        self.options = options
        pipeline = ChunkPipeline(
            destination: .memory, level: Int32(options.compressionLevel), background: options.background)
        try start(header)
    }

    private func start(_ header: TraceHeader) throws(TraceError) {
        let preamble = ChunkFraming.preamble(header: try header.encoded())
        uncompressed += preamble.count
        pipeline.submit(preamble, ordinal: 0)
    }

    /// Appends one record.
    public func append(_ record: TraceRecord) {
        encoder.append(record)
        sealIfFull()
    }

    /// Appends an edge record (the cycle level's hot path: no ``TraceRecord`` is built).
    @inline(__always)
    public func appendEdge(cycle: Int, layer: Int, edge: TraceEdge, index: Int, value: Int32) {
        encoder.appendEdge(cycle: cycle, layer: layer, edge: edge, index: index, value: value)
        sealIfFull()
    }

    /// Appends an SRAM access record (no ``TraceRecord`` is built).
    @inline(__always)
    public func appendSRAM(
        cycle: Int, layer: Int, buffer: TraceBuffer, isWrite: Bool, bank: Int, address: Int, bytes: Int
    ) {
        encoder.appendSRAM(
            cycle: cycle, layer: layer, buffer: buffer, isWrite: isWrite, bank: bank, address: address, bytes: bytes)
        sealIfFull()
    }

    /// Records appended so far.
    public var recordCount: Int { records + encoder.recordCount }

    @inline(__always)
    private func sealIfFull() {
        if encoder.byteCount >= options.chunkBytes { seal() }
    }

    private func seal() {
        guard encoder.recordCount > 0 else { return }
        chunks += 1
        records += encoder.recordCount
        let chunk = ChunkFraming.chunk(index: chunks, records: encoder.recordCount, payload: encoder.sink.bytes)
        uncompressed += chunk.count
        pipeline.submit(chunk, ordinal: UInt32(chunks))
        encoder.reset()
    }

    /// Closes the last chunk, writes the end marker, waits for compression and closes the file.
    public func finish() throws(TraceError) -> TraceWriteSummary {
        precondition(!finished, "TraceWriter.finish() called twice")
        finished = true
        seal()
        let end = ChunkFraming.end(chunks: chunks, records: records)
        uncompressed += end.count
        pipeline.submit(end, ordinal: UInt32(chunks + 1))
        let bytes = try pipeline.drain()
        do {
            try staged?.commit()
        } catch {
            throw Self.traceError(error)
        }
        return TraceWriteSummary(
            records: records, chunks: chunks, uncompressedBytes: uncompressed,
            compressedBytes: pipeline.compressedBytes,
            bytes: pipeline.isMemory ? bytes : nil)
    }
}
