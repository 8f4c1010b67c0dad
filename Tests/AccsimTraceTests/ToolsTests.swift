import AccsimExecution
import AccsimTrace
import AccsimTracing
import Testing

@Suite struct ToolsTests {
    @Test func layerListsAndCycleWindowsParse() throws {
        #expect(try TraceLayerSet(parsing: "0,3-5").indices == [0, 3, 4, 5])
        #expect(try TraceLayerSet(parsing: "5, 1,1").description == "1,5")
        #expect(TraceLayerSet([0, 1, 2, 7]).description == "0-2,7")
        #expect(throws: TraceError.self) { try TraceLayerSet(parsing: "3-1") }
        #expect(throws: TraceError.self) { try TraceLayerSet(parsing: "a") }
        let layers = [("conv1", "conv2d"), ("pool1", "max_pool"), ("conv2", "conv2d"), ("fc", "fully_connected")]
        #expect(try TraceLayerSet(parsing: "fc,0", layers: layers).indices == [0, 3])
        #expect(try TraceLayerSet(parsing: "conv2d, 1", layers: layers).indices == [0, 1, 2])
        #expect {
            try TraceLayerSet(parsing: "0,fcc", layers: layers)
        } throws: { error in
            (error as? TraceError)?.message
                == "layer list '0,fcc': no layer or op 'fcc' in the model (did you mean 'fc'?) "
                + "(layers and ops: conv1, pool1, conv2, fc, conv2d, max_pool, fully_connected)"
        }
        #expect {
            try TraceLayerSet(parsing: "2-", layers: layers)
        } throws: { error in
            (error as? TraceError)?.message == "layer list '2-': '2-' is not an index or a range like 3-5"
        }
        #expect(try CycleWindow(parsing: "100:200") == CycleWindow(from: 100, to: 200))
        #expect(try CycleWindow(parsing: "100:") == CycleWindow(from: 100))
        #expect(try CycleWindow(parsing: ":50") == CycleWindow(from: 0, to: 50))
        #expect(throws: TraceError.self) { try CycleWindow(parsing: "200:100") }
        let window = CycleWindow(from: 10, to: 20)
        #expect(window.contains(10) && window.contains(19) && !window.contains(20) && !window.contains(9))
        #expect(
            window.overlaps(start: 0, end: 11) && !window.overlaps(start: 0, end: 10)
                && !window.overlaps(start: 20, end: 30))
    }

    /// `$readmemh` images: two's complement at the element width, packed little-endian.
    @Test func memoryImagesAreReadmemh() {
        #expect(MemoryImage.readmemh([0, 1, -1, 127, -128], bits: 8) == "00\n01\nff\n7f\n80\n")
        #expect(MemoryImage.readmemh([-2, 300], bits: 32, comments: ["c"]) == "// c\nfffffffe\n0000012c\n")
        #expect(MemoryImage.readmemh([1, 2, 3, -1, 5], bits: 8, elementsPerWord: 4) == "ff030201\n00000005\n")
        #expect(
            MemoryImage.readmemh(Array(repeating: -1, count: 9), bits: 8, elementsPerWord: 9) == String(
                repeating: "f", count: 18) + "\n")
    }

    /// Stats count what the trace holds; bytes per MAC come from the traced layers or folds.
    @Test func statsCountRecords() throws {
        let (simulation, batches, _) = try TraceFixtures.digits()
        let bytes = try TraceFixtures.trace(
            simulation, batches, options: TraceOptions(level: .cycle, layers: TraceLayerSet([4])))
        let stats = TraceStats(try TraceReader(bytes: bytes, name: "t"))
        let (_, records) = try TraceFixtures.records(bytes)
        #expect(stats.error == nil)
        #expect(stats.records == records.count)
        #expect(stats.byKind[.edge]?.records == records.filter { $0.kind == .edge }.count)
        #expect(stats.tracedMACs == simulation.results[4].traffic.macs)
        #expect(stats.compressedBytes == bytes.count)
        #expect(stats.text.contains("per MAC"))
    }

    /// The VCD declares the array's edges and the SRAM banks and keeps time increasing.
    @Test func vcdIsWellFormed() throws {
        let (simulation, batches, _) = try TraceFixtures.digits()
        let start = TraceRecorder(simulation: simulation, hardwareName: "", accsimVersion: "").layerStartCycles[4]
        let bytes = try TraceFixtures.trace(
            simulation, batches, options: TraceOptions(level: .cycle, layers: TraceLayerSet([4])))
        var lines: [String] = []
        let window = CycleWindow(from: start, to: start + 400)
        let summary = try VCDWriter.write(try TraceReader(bytes: bytes, name: "t"), window: window) { lines.append($0) }
        #expect(summary.cycles == start..<start + 400)
        #expect(lines.contains("$timescale 1ps $end"))
        #expect(lines.filter { $0.hasPrefix("$var wire 16") && $0.contains(" left_") }.count == 8)
        #expect(lines.filter { $0.hasPrefix("$var wire 32") && $0.contains(" bottom_") }.count == 8)
        #expect(lines.contains { $0.contains("input_b0_rd") })
        let times = lines.filter { $0.hasPrefix("#") }.compactMap { Int($0.dropFirst()) }
        #expect(times.count > 100)
        #expect(times == times.sorted())
        #expect(Set(times).count == times.count)
        #expect(times.first == start * 2000)
        // Some edge value appears, as a binary vector.
        #expect(lines.contains { $0.hasPrefix("b") && !$0.hasPrefix("bx") })
    }

    /// Dump filters by kind, layer and cycle.
    @Test func dumpFilters() throws {
        let (simulation, batches, _) = try TraceFixtures.digits()
        let bytes = try TraceFixtures.trace(simulation, batches, options: TraceOptions(level: .tile))
        var lines: [String] = []
        let filter = TraceFilter(kinds: try TraceFilter.kinds(parsing: "dma,layer-end"), layers: TraceLayerSet([2]))
        TraceDump.dump(try TraceReader(bytes: bytes, name: "t"), filter: filter) { lines.append($0) }
        let events = lines.filter { !$0.hasPrefix("#") }
        #expect(!events.isEmpty)
        #expect(events.allSatisfy { ($0.contains(" dma L2 ") || $0.contains(" layer-end L2 ")) })
        #expect(throws: TraceError.self) { try TraceFilter.kinds(parsing: "edges") }
    }
}
