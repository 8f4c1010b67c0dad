import AccsimTrace
import Foundation
import Testing

/// Truncated and corrupted traces: clear errors naming the chunk and offset, and every complete
/// chunk before the damage still readable.
@Suite struct DamagedFileTests {
    /// A trace of 40 chunks of known records.
    let file: (bytes: [UInt8], chunks: Int, recordsPerChunk: [Int])
    /// Every record of the intact file.
    let all: [TraceRecord]

    /// Writes the trace every test damages (a failure fails the test instead of crashing the run).
    init() throws {
        let writer = try TraceWriter(
            header: TraceFixtures.header(), options: TraceWriterOptions(chunkBytes: 200, background: false))
        for cycle in 0..<2000 {
            writer.appendEdge(cycle: cycle, layer: 0, edge: .left, index: cycle % 8, value: Int32(cycle % 251 - 125))
        }
        let summary = try writer.finish()
        let bytes = try #require(summary.bytes)
        var perChunk: [Int] = []
        let reader = try TraceReader(bytes: bytes, name: "x")
        while let chunk = try reader.nextChunk() { perChunk.append(chunk.records.count) }
        file = (bytes, summary.chunks, perChunk)
        all = try TraceFixtures.records(bytes).1
    }

    /// Reads what it can: the chunks before the error and the error.
    static func salvage(_ bytes: [UInt8]) -> (chunks: [TraceChunk], error: TraceError?) {
        let reader: TraceReader
        do {
            reader = try TraceReader(bytes: bytes, name: "damaged.trace.gz")
        } catch {
            return ([], error)
        }
        var chunks: [TraceChunk] = []
        do {
            while let chunk = try reader.nextChunk() { chunks.append(chunk) }
        } catch {
            return (chunks, error)
        }
        return (chunks, nil)
    }

    /// Member offsets of the file: [header, chunk 1, …, end marker], from each member's `AT` extra field.
    var memberOffsets: [Int] {
        var offsets: [Int] = []
        var position = 0
        let bytes = file.bytes
        while position < bytes.count {
            offsets.append(position)
            let field = position + 16  // 10 fixed bytes, XLEN, subfield id and length
            position +=
                Int(bytes[field]) | Int(bytes[field + 1]) << 8 | Int(bytes[field + 2]) << 16 | Int(bytes[field + 3])
                << 24
        }
        return offsets
    }

    @Test func intactFileReadsCompletely() {
        let (chunks, error) = Self.salvage(file.bytes)
        #expect(error == nil)
        #expect(chunks.count == file.chunks)
        #expect(file.chunks >= 20)
        #expect(memberOffsets.count == file.chunks + 2)
    }

    /// Cut anywhere: every chunk whose member is complete is read; the error says truncated,
    /// names the next chunk and the byte offset of its member.
    @Test func truncationKeepsCompleteChunks() {
        let offsets = memberOffsets
        for cut in stride(from: offsets[1] + 1, to: file.bytes.count, by: 37) {
            let (chunks, error) = Self.salvage(Array(file.bytes[0..<cut]))
            // Chunk i (member i) is complete when the next member starts at or before the cut.
            let expected = (1...file.chunks).filter { offsets[$0 + 1] <= cut }.count
            // zlib hands out a member's data before its 8-byte trailer: a chunk whose data is
            // complete is read (its own CRC vouches for it) even when the trailer is cut.
            #expect(chunks.count == expected || chunks.count == expected + 1, "cut at \(cut)")
            #expect(chunks.flatMap(\.records) == Array(all.prefix(chunks.flatMap(\.records).count)), "cut at \(cut)")
            guard let error else {
                Issue.record("cut at \(cut): no error")
                continue
            }
            #expect(error.kind == .truncated, "cut at \(cut): \(error)")
            #expect(error.chunk == chunks.count + 1, "cut at \(cut): \(error)")
            #expect(error.file == "damaged.trace.gz")
            // The damaged member: the next chunk's, or the last chunk's when only its trailer is cut.
            let members = [
                offsets[chunks.count], chunks.count + 1 < offsets.count ? offsets[chunks.count + 1] : cut, cut,
            ]
            #expect(members.contains(error.offset ?? -1), "cut at \(cut): \(error)")
        }
    }

    /// Cut exactly after a chunk's member: the missing end marker is reported.
    @Test func truncationAtAMemberBoundaryIsDetected() throws {
        let offsets = memberOffsets
        let (chunks, error) = Self.salvage(Array(file.bytes[0..<offsets[6]]))
        #expect(chunks.count == 5)
        let found = try #require(error)
        #expect(found.kind == .truncated)
        #expect(found.chunk == 6)
        #expect(
            found.description
                == "damaged.trace.gz: chunk 6 (gzip member at byte \(offsets[6]), uncompressed offset \(found.uncompressedOffset ?? -1)): the file ends after chunk 5 without the end marker (truncated)"
        )
    }

    /// A flipped byte inside a chunk's compressed data: that chunk is reported corrupt with its
    /// member's offset; the chunks before it are intact.
    @Test func corruptionIsLocated() throws {
        let offsets = memberOffsets
        for chunk in [1, 7, file.chunks] {
            var bytes = file.bytes
            let position = (offsets[chunk] + offsets[chunk + 1]) / 2
            bytes[position] ^= 0x5A
            let (chunks, error) = Self.salvage(bytes)
            #expect(chunks.count == chunk - 1)
            let found = try #require(error)
            #expect(found.kind == .corrupt, "\(found)")
            #expect(found.chunk == chunk, "\(found)")
            #expect(found.offset == offsets[chunk], "\(found)")
        }
    }

    /// Corruption the gzip layer cannot see (the stream recompressed as one member after a byte
    /// flip): the chunk's own CRC catches it.
    @Test func chunkCRCCatchesCorruptionInsideTheStream() throws {
        var plain = try Self.inflate(file.bytes)
        let reader = try TraceReader(bytes: file.bytes, name: "x")
        _ = try reader.nextChunk()
        _ = try reader.nextChunk()
        let third = try #require(try reader.nextChunk())
        plain[third.uncompressedOffset + 30] ^= 1
        let (chunks, error) = Self.salvage(try Self.gzip(plain))
        #expect(chunks.count == 2)
        let found = try #require(error)
        #expect(found.kind == .corrupt)
        #expect(found.chunk == 3)
        #expect(found.uncompressedOffset == third.uncompressedOffset)
        #expect(found.message.contains("CRC mismatch"))
    }

    /// The stream recompressed by another tool (one member, zlib's own header) reads the same.
    @Test func readsAStreamRecompressedAsOneMember() throws {
        let plain = try Self.inflate(file.bytes)
        let (chunks, error) = Self.salvage(try Self.gzip(plain))
        #expect(error == nil)
        #expect(chunks.map(\.records.count) == file.recordsPerChunk)
    }

    @Test func rejectsOtherFilesAndNewerVersions() throws {
        #expect(Self.salvage(Array("not a trace".utf8)).error?.kind == .corrupt)
        var plain = try Self.inflate(file.bytes)
        plain[8] = 99  // format version
        let error = try #require(Self.salvage(try Self.gzip(plain)).error)
        #expect(error.kind == .unsupportedVersion)
        #expect(error.message.contains("format version 99 is newer"))
        var garbage = file.bytes
        garbage += [1, 2, 3]
        let trailing = try #require(Self.salvage(garbage).error)
        #expect(trailing.kind == .corrupt)
    }

    // MARK: - gzip helpers

    static func inflate(_ bytes: [UInt8]) throws -> [UInt8] {
        try GzipTestSupport.inflate(bytes)
    }

    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        try GzipTestSupport.gzip(bytes)
    }
}
