import AccsimJSON
import AccsimTestSupport
import AccsimTrace
import Foundation
import Testing

@Suite("Chrome trace")
struct ChromeTraceTests {
    static let traces = Repository.root.appendingPathComponent("Traces")

    /// The Chrome JSON of a golden trace, its summary and the parsed events.
    func convert(_ name: String, filter: TraceFilter = TraceFilter()) throws -> (
        String, ChromeTraceSummary, [JSONValue]
    ) {
        let reader = try TraceReader(path: Self.traces.appendingPathComponent(name).path)
        var lines: [String] = []
        let summary = try ChromeTrace.write(reader, filter: filter) { lines.append($0) }
        let text = lines.joined(separator: "\n") + "\n"
        let events = try #require(try JSONParser().parse(text)["traceEvents"]?.arrayValue)
        return (text, summary, events)
    }

    func slices(_ events: [JSONValue], category: String) -> [JSONValue] {
        events.filter { $0["ph"]?.stringValue == "X" && $0["cat"]?.stringValue == category }
    }

    @Test func tileTraceOfTheDigitsModel() throws {
        let (text, summary, events) = try convert("digits.tile.trace.gz")
        // The digits model on 8x8 (latency objective): 5 layers, 24 transfers, 7 array tiles (two
        // filter halves of conv1, four tiles of conv2, one of fc), each followed by its requantizer,
        // two vector chunks (pool1, mean).
        #expect(summary.slices.map(\.track) == ["layers", "DMA", "array", "requantizer", "vector unit"])
        #expect(summary.slices.map(\.count) == [5, 24, 7, 7, 2])
        let layers = slices(events, category: "layer")
        #expect(layers.compactMap { $0["name"]?.stringValue } == ["conv1", "pool1", "conv2", "mean", "fc"])
        // Layers run back to back: fc runs from cycle 5,186 for 626 cycles (to 5,812):
        // ts 5.186 µs, dur 0.626 µs of trace time.
        let last = try #require(layers.last)
        #expect(last["ts"]?.doubleValue == 5.186 && last["dur"]?.doubleValue == 0.626)
        #expect(last["args"]?["cycles"]?.intValue == 626)
        // conv1's first tile (filters 0..<8): starts at cycle 332 after its loads, 165 array cycles
        // over 2 folds.
        #expect(
            text.contains(
                "{\"name\":\"m0 n0 k0\",\"cat\":\"array\",\"ph\":\"X\",\"pid\":1,\"tid\":3000,\"ts\":0.332,\"dur\":0.165,"
                    + "\"args\":{\"layer\":0,\"sequence\":4,\"tile\":\"m0 n0 k0\",\"m\":\"[0,64)\",\"n\":\"[0,8)\","
                    + "\"k\":\"[0,9)\",\"folds\":2,\"cycles\":165,\"macs\":4608,\"last_k_chunk\":true}}"))
        let dma = slices(events, category: "dma")
        #expect(dma.first?["name"]?.stringValue == "load parameters")
        #expect(dma.first?["args"]?["bytes"]?.intValue == 64)
        #expect(dma.first?["args"]?["cycles"]?.intValue == 108)
        // Every transfer's bytes, summed: the DRAM traffic of the run (7,192 read + 1,834 written).
        #expect(dma.compactMap { $0["args"]?["bytes"]?.intValue }.reduce(0, +) == 7_192 + 1_834)
        #expect(text.contains("\"displayTimeUnit\":\"ns\""))
    }

    @Test func slicesOfOneTrackNeverOverlapAndEveryTrackIsNamed() throws {
        for name in ["digits.tile.trace.gz", "digits.cycle-conv1-fc.trace.gz"] {
            let (_, _, events) = try convert(name)
            let named = Set(
                events.filter { $0["name"]?.stringValue == "thread_name" }.compactMap { $0["tid"]?.intValue })
            var ends: [Int64: Double] = [:]
            for event in events where event["ph"]?.stringValue == "X" {
                let tid = try #require(event["tid"]?.intValue)
                #expect(named.contains(tid))
                let ts = try #require(event["ts"]?.doubleValue)
                let dur = try #require(event["dur"]?.doubleValue)
                #expect(dur >= 0)
                #expect(ts >= (ends[tid] ?? 0) - 1e-9, "\(name): overlap on tid \(tid) at \(ts)")
                ends[tid] = ts + dur
            }
        }
    }

    @Test func cycleTraceAddsFoldsInsideTheirTiles() throws {
        let (_, summary, events) = try convert("digits.cycle-conv1-fc.trace.gz")
        #expect(summary.slices.last?.track == "array folds")
        let folds = slices(events, category: "fold")
        let tiles = slices(events, category: "array")
        // conv1's two tiles have 2 folds each: their cycles add up to the tiles' 2 · 165 array cycles.
        let conv1 = folds.filter { $0["args"]?["layer"]?.intValue == 0 }
        #expect(conv1.count == 4)
        #expect(conv1.compactMap { $0["args"]?["cycles"]?.intValue }.reduce(0, +) == 330)
        for fold in folds {
            let sequence = fold["args"]?["sequence"]
            let tile = try #require(tiles.first { $0["args"]?["sequence"] == sequence })
            let start = try #require(tile["ts"]?.doubleValue)
            let end = start + (tile["dur"]?.doubleValue ?? 0)
            let foldStart = try #require(fold["ts"]?.doubleValue)
            #expect(foldStart >= start - 1e-9 && foldStart + (fold["dur"]?.doubleValue ?? 0) <= end + 1e-9)
        }
    }

    @Test func layerFilterKeepsOneLayer() throws {
        let (_, summary, events) = try convert("digits.tile.trace.gz", filter: TraceFilter(layers: TraceLayerSet([2])))
        #expect(summary.slices.map(\.count) == [1, 10, 4, 4])
        #expect(slices(events, category: "layer").first?["name"]?.stringValue == "conv2")
        #expect(events.filter { $0["ph"]?.stringValue == "X" }.allSatisfy { $0["args"]?["layer"]?.intValue == 2 })
    }

    @Test func sameTraceSameBytes() throws {
        #expect(try convert("digits.tile.trace.gz").0 == (try convert("digits.tile.trace.gz").0))
    }
}
