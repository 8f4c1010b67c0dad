import AccsimTrace
import Foundation
import Testing

@Suite struct RecordRoundTripTests {
    /// Every record type (and an unknown one) survives writing and reading, field for field,
    /// in one chunk and cut into one-record chunks, compressed inline or in the background.
    @Test(arguments: [64, 1 << 20], [false, true])
    func everyRecordTypeRoundTrips(chunkBytes: Int, background: Bool) throws {
        let writer = try TraceWriter(
            header: TraceFixtures.header(), options: TraceWriterOptions(chunkBytes: chunkBytes, background: background))
        for record in TraceFixtures.sampleRecords { writer.append(record) }
        let summary = try writer.finish()
        #expect(summary.records == TraceFixtures.sampleRecords.count)
        let (header, records) = try TraceFixtures.records(try #require(summary.bytes))
        #expect(header == TraceFixtures.header())
        #expect(records == TraceFixtures.sampleRecords)
        #expect(chunkBytes == 64 ? summary.chunks > 1 : summary.chunks == 1)
    }

    /// The fast paths for edge and SRAM records write the same bytes as the general one.
    @Test func fastPathsEqualTheGeneralEncoding() throws {
        let general = try TraceWriter(header: TraceFixtures.header(), options: TraceWriterOptions(background: false))
        let fast = try TraceWriter(header: TraceFixtures.header(), options: TraceWriterOptions(background: false))
        for cycle in 0..<100 {
            let edge = EdgeRecord(
                cycle: cycle * 3, layer: 2, edge: TraceEdge.allCases[cycle % 3], index: cycle % 9,
                value: Int32(cycle * 1000 - 50_000))
            let sram = SRAMRecord(
                cycle: cycle * 3, layer: 2, buffer: TraceBuffer.allCases[cycle % 4], isWrite: cycle % 2 == 0,
                bank: cycle % 8, address: cycle * 77, bytes: 4)
            general.append(.edge(edge))
            general.append(.sram(sram))
            fast.appendEdge(cycle: edge.cycle, layer: edge.layer, edge: edge.edge, index: edge.index, value: edge.value)
            fast.appendSRAM(
                cycle: sram.cycle, layer: sram.layer, buffer: sram.buffer, isWrite: sram.isWrite, bank: sram.bank,
                address: sram.address, bytes: sram.bytes)
        }
        #expect(try general.finish().bytes == fast.finish().bytes)
    }

    /// Background and inline compression give the same bytes; so does writing twice.
    @Test func outputIsDeterministic() throws {
        func write(background: Bool) throws -> [UInt8] {
            let writer = try TraceWriter(
                header: TraceFixtures.header(), options: TraceWriterOptions(chunkBytes: 256, background: background))
            for _ in 0..<50 { for record in TraceFixtures.sampleRecords { writer.append(record) } }
            return try #require(try writer.finish().bytes)
        }
        let first = try write(background: true)
        #expect(first == (try write(background: true)))
        #expect(first == (try write(background: false)))
        // gzip members carry no time or name: MTIME 0, OS 255, FEXTRA with the member size.
        #expect(Array(first[0..<10]) == [0x1F, 0x8B, 0x08, 0x04, 0, 0, 0, 0, 0, 0xFF])
    }

    /// Records decode the same from a file and from memory; the text dump is one line per record.
    @Test func writesAndReadsFiles() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "accsim-trace-\(UInt32.random(in: 0...UInt32.max)).trace.gz"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try TraceWriter(path: path, header: TraceFixtures.header())
        for record in TraceFixtures.sampleRecords { writer.append(record) }
        _ = try writer.finish()
        #expect(throws: TraceError.self) { try TraceWriter(path: path, header: TraceFixtures.header()) }
        let (header, records) = try TraceReader.records(path: path)
        #expect(header.model.hash == "0123456789abcdef")
        #expect(records == TraceFixtures.sampleRecords)
        var lines: [String] = []
        let error = TraceDump.dump(try TraceReader(path: path)) { lines.append($0) }
        #expect(error == nil)
        #expect(lines.filter { !$0.hasPrefix("#") }.count == records.count)
        #expect(lines.contains("121 edge L0 top[3]=-128"))
        #expect(lines.contains("0 layer-begin L0 name=\"conv 1 \\\"odd\\\"=name\" op=conv2d"))
        #expect(
            lines.contains(
                "160 requant L0 m=5 c=7 acc=-2147483648 bias=-1 in=2147483647 mult=1073741824 shift=62 zp=-128 pre=-1099511627776 sat=1 out=-128"
            ))
    }
}
