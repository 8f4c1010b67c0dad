import AccsimJSON
import AccsimMapping
import AccsimSweep
import Foundation
import Testing

@Suite("Sweep file and CSV rows")
struct SweepFormatTests {
    @Test func sweepFileDecodes() throws {
        let text = """
            {"version": 1, "hw": "8x8", "set": {"dram.latency_cycles": 50},
             "models": ["a.q", {"file": "b.q", "input": "x.npy", "labels": "y.npy"}],
             "axes": [{"array.rows": [8, 16]}, {"sram.weight.kib": "64:256:*2"},
                      {"array.dataflow": ["weight_stationary", "output_stationary"], "array.overflow": "wrap,saturate"}],
             "adapt_requant": true}
            """
        let file = try SweepFile.decode(Array(text.utf8), name: "s.json")
        #expect(file.hw == "8x8")
        #expect(file.overrides == ["dram.latency_cycles=50"])
        #expect(file.models.map(\.file) == ["a.q", "b.q"])
        #expect(file.models[1].labels == "y.npy")
        #expect(
            file.dimensions.map(\.keys) == [["array.rows"], ["sram.weight.kib"], ["array.dataflow", "array.overflow"]])
        #expect(file.dimensions[1].count == 3)
        #expect(file.dimensions[2].values[1] == [.string("output_stationary"), .string("saturate")])
        #expect(file.adaptRequant)
    }

    @Test(arguments: [
        (#"{"version": 1, "models": ["a.q"], "axis": []}"#, "axis"),
        (#"{"version": 2, "models": ["a.q"]}"#, "version"),
        (#"{"models": ["a.q"]}"#, "version"),
        (#"{"version": 1, "models": []}"#, "models"),
        (#"{"version": 1, "models": [{"file": "a.q", "lables": "y"}]}"#, "models[0].lables"),
        (#"{"version": 1, "models": ["a.q"], "axes": [{"array.rows": 8}]}"#, "axes[0].array.rows"),
        (#"{"version": 1, "models": ["a.q"], "axes": [{"array.rows": "8:4"}]}"#, "axes[0].array.rows"),
        (#"{"version": 1, "models": ["a.q"], "axes": [{"array.rows": [8], "array.cols": [8, 16]}]}"#, "axes[0]"),
    ])
    func sweepFileErrorsNameThePath(_ text: String, _ path: String) {
        #expect {
            try SweepFile.decode(Array(text.utf8), name: "s.json")
        } throws: { error in
            let message = (error as? SweepError)?.message ?? ""
            return message.hasPrefix("s.json: ") && message.contains(path)
        }
    }

    @Test func csvRowsReadBackAsTheirJSONRows() throws {
        let plan = try SweepFixtures.plan(
            ["array.rows=0,8", #"requantizer.rounding_modes=["half_up","tflite"],["floor"]"#], samples: 8, adapt: true)
        let collector = LineCollector()
        let header = SweepCSV.header(keys: plan.space.keys)
        _ = try SweepRunner(plan: plan, jobs: 2).run { row in
            collector.append(String(decoding: row.jsonLine().dropLast(), as: UTF8.self))
            collector.append(String(decoding: SweepCSV.line(row, header: header).dropLast(), as: UTF8.self))
        }
        let lines = collector.lines
        #expect(lines.count == 8)
        for pair in stride(from: 0, to: lines.count, by: 2) {
            let json = try SweepRecord.parseJSONLine(lines[pair], where: "json")
            let csv = try SweepRecord.parseCSVLine(lines[pair + 1], header: header, where: "csv")
            #expect(csv.fields["id"] == json.fields["id"])
            #expect(csv.values == json.values)
            for key in [
                "status", "error", "cycles", "latency_us", "utilization", "top1", "output_crc32", "config_hash",
            ] {
                #expect(csv.fields[key] == json.fields[key], "\(key)")
            }
        }
    }

    @Test func progressLine() {
        #expect(SweepProgress.line(done: 0, total: 200, elapsed: 0) == "sweep: 0/200 points (0.0%)")
        #expect(
            SweepProgress.line(done: 50, total: 200, elapsed: 2)
                == "sweep: 50/200 points (25.0%), 25.0 points/s, ETA 6s")
        #expect(SweepProgress.line(done: 200, total: 200, elapsed: 1) == "sweep: 200/200 points (100.0%), 200 points/s")
        #expect(SweepProgress.duration(125) == "2m05s")
        #expect(SweepProgress.duration(7300) == "2h01m")
    }
}

/// Sweep rows' metrics come from the counter table (format v1 order kept).
@Suite struct SweepMetricTableTests {
    /// Every metric key of format v1 but the hardware's size is the sweep key of exactly one
    /// table row, no row has a sweep key outside v1 yet, and the CSV and Pareto lists follow.
    @Test func everySweepMetricHasATableRow() {
        let keyed = LayerPerformance.counters.compactMap(\.sweepKey)
        for key in SweepRow.Metrics.version1Keys where key != "pes" && key != "sram_bytes" {
            #expect(keyed.filter { $0 == key }.count == 1, "\(key)")
        }
        #expect(Set(keyed).count == 17)
        #expect(SweepRow.Metrics.keys == SweepRow.Metrics.version1Keys)
        #expect(SweepCSV.trailingColumns[3..<22].elementsEqual(SweepRow.Metrics.keys))
        #expect(ParetoMetric.numericKeys.prefix(19).elementsEqual(SweepRow.Metrics.keys))
    }
}
