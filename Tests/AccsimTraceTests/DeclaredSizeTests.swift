import AccsimTrace
import Foundation
import Testing

/// Lengths a trace declares are checked before anything is allocated or inflated (issue 19): a
/// chunk claiming 4 GiB, one claiming more than the file can inflate to, a record count larger
/// than its payload, a file header claiming 4 GiB. Each is a clear error naming the field and limit.
@Suite struct DeclaredSizeTests {
    /// The uncompressed stream of a small 3-chunk trace, and where chunk 1 starts in it.
    let stream: [UInt8]
    let chunk1: Int

    init() throws {
        let writer = try TraceWriter(
            header: TraceFixtures.header(), options: TraceWriterOptions(chunkBytes: 200, background: false))
        for cycle in 0..<60 {
            writer.appendEdge(cycle: cycle, layer: 0, edge: .left, index: cycle % 8, value: Int32(cycle % 7))
        }
        let bytes = try #require(try writer.finish().bytes)
        stream = try GzipTestSupport.inflate(bytes)
        let headerLength = Int(stream[12]) | Int(stream[13]) << 8 | Int(stream[14]) << 16 | Int(stream[15]) << 24
        chunk1 = 16 + headerLength + 4
    }

    /// `stream` with the u32 at `offset` replaced, recompressed as one gzip member, and the error
    /// reading it.
    func error(patching offset: Int, with value: UInt32) throws -> (TraceError?, Int) {
        var patched = stream
        for byte in 0..<4 { patched[offset + byte] = UInt8(truncatingIfNeeded: value >> (8 * byte)) }
        let file = try GzipTestSupport.gzip(patched)
        do {
            let reader = try TraceReader(bytes: file, name: "bomb.trace.gz")
            while try reader.nextChunk() != nil {}
        } catch {
            return (error, file.count)
        }
        return (nil, file.count)
    }

    @Test func chunkDeclaring4GiBIsRejectedByTheLimit() throws {
        let (error, _) = try error(patching: chunk1 + 12, with: 0xFFFF_FFFF)
        let found = try #require(error)
        #expect(found.kind == .corrupt && found.chunk == 1)
        #expect(
            found.message
                == "chunk 1's payload length is 4294967295 bytes, over the limit of 67108864 bytes (TraceFormat.maxChunkBytes)"
        )
    }

    @Test func chunkLongerThanTheFileCanInflateToIsRejected() throws {
        let (error, size) = try error(patching: chunk1 + 12, with: 60_000_000)
        #expect(size * TraceFormat.maxInflateRatio < 60_000_000)
        #expect(
            error?.message
                == "chunk 1's payload length is 60000000 bytes, more than the \(size)-byte file can inflate to")
    }

    @Test func recordCountAbovePayloadLengthIsRejectedBeforeReserving() throws {
        let length = Int(stream[chunk1 + 12]) | Int(stream[chunk1 + 13]) << 8
        let (error, _) = try error(patching: chunk1 + 8, with: 0xFFFF_FFFF)
        #expect(
            error?.message
                == "chunk 1's header counts 4294967295 records in \(length) payload bytes (a record takes at least 1)")
    }

    @Test func fileHeaderDeclaring4GiBIsRejected() throws {
        let (error, _) = try error(patching: 12, with: 0xFFFF_FFFF)
        #expect(error?.chunk == 0)
        #expect(
            error?.message
                == "the file header's length is 4294967295 bytes, over the limit of 16777216 bytes (TraceFormat.maxHeaderBytes)"
        )
    }
}
