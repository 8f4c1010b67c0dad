import AccsimJSON
import AccsimReport
import Foundation
import Testing

/// A run report's JSON with hand-chosen numbers, in the schema of docs/report-format.md.
enum ReportFixture {
    /// One layer: `segments` = compute, stall input/weight/output/vector, prologue, epilogue.
    static func layer(
        _ index: Int, _ name: String, op: String = "conv2d", macs: Int, segments: [Int], dramRead: Int, dramWrite: Int,
        utilization: Double, mappingEfficiency: Double, mapping: JSONValue? = nil
    ) -> JSONValue {
        var object: JSONObject = [
            "index": .int(Int64(index)), "name": .string(name), "op": .string(op), "output_shape": [1, 4],
            "output_type": "int8", "macs": .int(Int64(macs)), "parameter_bytes": 0,
        ]
        object["cycles"] = performanceCycles(segments)
        object["utilization"] = .double(utilization)
        object["mapping_efficiency"] = .double(mappingEfficiency)
        object["sram"] = [
            "input": ["read_bytes": 10, "write_bytes": 11], "weight": ["read_bytes": 12, "write_bytes": 13],
            "output": ["read_bytes": 14, "write_bytes": 15],
        ]
        object["dram"] = .object([
            "read_bytes": .int(Int64(dramRead)), "write_bytes": .int(Int64(dramWrite)),
            "input_read_bytes": .int(Int64(dramRead / 2)), "weight_read_bytes": .int(Int64(dramRead - dramRead / 2)),
            "bias_read_bytes": 0, "partial_sum_read_bytes": 0, "partial_sum_write_bytes": 0,
        ])
        object["requantizer_ops"] = 0
        object["vector_ops"] = 0
        object["latency_us"] = .double(Double(segments.reduce(0, +)) / 500)
        if let mapping { object["mapping"] = mapping }
        return .object(object)
    }

    static func performanceCycles(_ s: [Int]) -> JSONValue {
        let stall = s[1] + s[2] + s[3] + s[4]
        return .object([
            "total": .int(Int64(s.reduce(0, +))), "compute": .int(Int64(s[0])),
            "stall": .object([
                "total": .int(Int64(stall)), "input": .int(Int64(s[1])), "weight": .int(Int64(s[2])),
                "output": .int(Int64(s[3])), "vector": .int(Int64(s[4])),
            ]),
            "prologue": .int(Int64(s[5])), "epilogue": .int(Int64(s[6])), "array": .int(Int64(s[0])),
            "requantizer": 0, "vector": 0,
        ])
    }

    /// Three layers on an 8x8 array with 8 DRAM bytes per cycle (ridge at 8 MACs per byte):
    /// `conv` (2,000 MACs, 1,000 DRAM bytes, 1,000 cycles), a layer whose name needs escaping
    /// (64,000 MACs, 2,000 bytes, 2,000 cycles) and an `add` with no MACs.
    static func report(mapping: Bool = false) -> JSONValue {
        let layers: [JSONValue] = [
            layer(
                0, "conv", macs: 2_000, segments: [600, 100, 50, 0, 0, 200, 50], dramRead: 800, dramWrite: 200,
                utilization: 0.03125, mappingEfficiency: 0.5,
                mapping: mapping ? ["loop_order": "mnk", "tile": ["m": 16, "n": 8]] : nil),
            layer(
                1, "a<b&c>\"d", macs: 64_000, segments: [1_500, 0, 300, 0, 0, 150, 50], dramRead: 1_500, dramWrite: 500,
                utilization: 0.5, mappingEfficiency: 0.75),
            layer(
                2, "add", op: "add", macs: 0, segments: [300, 0, 0, 0, 20, 60, 20], dramRead: 64, dramWrite: 32,
                utilization: 0, mappingEfficiency: 0),
        ]
        var totals = layer(
            0, "", macs: 66_000, segments: [2_400, 100, 350, 0, 20, 410, 120], dramRead: 2_364, dramWrite: 732,
            utilization: 0.3, mappingEfficiency: 0.7)
        if case .object(var object) = totals {
            object["index"] = nil
            totals = .object(object)
        }
        return [
            "schema_version": 1, "accsim_version": "0.1.0",
            "model": ["name": "tiny<model>", "file": "tiny.q"],
            "hardware": [
                "name": "8x8", "file": "HardwareConfigs/8x8.json", "config_hash": "cbb05a60eb6f4402",
                "config": [
                    "version": 1, "clock_mhz": 500, "array": ["rows": 8, "cols": 8, "dataflow": "weight_stationary"],
                    "dram": ["bandwidth_bytes_per_cycle": 8],
                ],
            ],
            "samples": 1, "input_source": "generated, seed 0", "layers": .array(layers), "totals": totals,
            "outputs": [],
        ]
    }

    /// `report` with the member at `path` (dot-separated, `[i]` for array elements) removed.
    static func removing(_ path: [String], from value: JSONValue) -> JSONValue {
        guard let first = path.first else { return value }
        switch value {
        case .object(var object):
            if path.count == 1 {
                object[first] = nil
            } else if let member = object[first] {
                object[first] = removing(Array(path.dropFirst()), from: member)
            }
            return .object(object)
        case .array(var array):
            let index = Int(first)!
            array[index] = removing(Array(path.dropFirst()), from: array[index])
            return .array(array)
        default:
            return value
        }
    }
}

@Suite("HTML report")
struct HTMLReportTests {
    func page(_ json: JSONValue = ReportFixture.report()) throws(ReportError) -> String {
        try HTMLReport(json: json, file: "run.json").render()
    }

    func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test func oneStackedBarPerLayerWithEverySegment() throws {
        let html = try page()
        #expect(count("<g class=\"layer-bar\">", in: html) == 3)
        // conv: compute 600, stall input 100, stall weight 50, prologue 200, epilogue 50 — the
        // zero stall.output and stall.vector segments are not drawn.
        #expect(html.contains("<title>conv: compute 600 cycles</title>"))
        #expect(html.contains("<title>conv: stall: input 100 cycles</title>"))
        #expect(html.contains("<title>conv: stall: weight 50 cycles</title>"))
        #expect(html.contains("<title>conv: prologue 200 cycles</title>"))
        #expect(html.contains("<title>conv: epilogue 50 cycles</title>"))
        #expect(!html.contains("<title>conv: stall: output"))
        #expect(html.contains("<title>add: stall: vector 20 cycles</title>"))
        // 5 + 4 + 4 segments drawn.
        #expect(count("class=\"segment\"", in: html) == 13)
    }

    @Test func barsShareOneLinearAxisFromZero() throws {
        let html = try page()
        // Largest layer 2,000 cycles, padded by 6 % → 0…2,120 with ticks every 500.
        for tick in ["0", "500", "1k", "1.5k", "2k"] {
            #expect(html.contains(">\(tick)</text>"), "tick \(tick)")
        }
        #expect(!html.contains(">2.5k</text>"))
    }

    @Test func rooflinePlacesLayersWithMACsAndDRAMTraffic() throws {
        let html = try page()
        #expect(count("class=\"roofline-point\"", in: html) == 2)
        // conv: 2,000 MACs over 1,000 DRAM bytes, 2,000 MACs in 1,000 cycles.
        #expect(html.contains("<title>conv: 2.00 MACs/B, 2.00 MACs/cycle (memory-bound side)</title>"))
        // 64,000 MACs / 2,000 B = 32 MACs/B, right of the ridge at 64 / 8 = 8.
        #expect(html.contains("32.00 MACs/B, 32.00 MACs/cycle (compute-bound side)"))
        #expect(html.contains("compute roof: 64 MACs/cycle (8×8)"))
        #expect(html.contains("DRAM roof: 8 B/cycle; ridge at 8 MACs/B"))
        #expect(html.contains("Not on the roofline (no MACs or no DRAM traffic): #2 add."))
    }

    @Test func layerNamesAreEscapedEverywhere() throws {
        let html = try page()
        #expect(!html.contains("a<b&c>"))
        #expect(!html.contains("tiny<model>"))
        #expect(html.contains("<h1>tiny&lt;model&gt; on 8x8</h1>"))
        #expect(html.contains("#1 a&lt;b&amp;c&gt;&quot;d</text>"))
        #expect(html.contains("<td data-sort=\"a&lt;b&amp;c&gt;&quot;d\">a&lt;b&amp;c&gt;&quot;d</td>"))
    }

    @Test func tableHasSortValuesAndTotals() throws {
        let html = try page()
        #expect(count("<tr><td data-sort=", in: html) == 3)
        // conv's row starts with index, name, op, MACs, cycles (1,000), compute (600).
        #expect(
            html.contains(
                "<tr><td data-sort=\"0\">0</td><td data-sort=\"conv\">conv</td><td data-sort=\"conv2d\">conv2d</td>"
                    + "<td data-sort=\"2000\">2,000</td><td data-sort=\"1000\">1,000</td><td data-sort=\"600\">600</td>"
            ))
        #expect(html.contains("<td data-sort=\"312.5\">3.13%</td><td data-sort=\"5000\">50.00%</td>"))
        #expect(html.contains("<tfoot><tr><td></td><td>total</td><td></td><td>66,000</td><td>3,400</td>"))
    }

    @Test func utilizationAndMappingEfficiencyPerLayer() throws {
        let html = try page()
        #expect(count("<g class=\"efficiency-bar\">", in: html) == 3)
        #expect(html.contains("<title>a&lt;b&amp;c&gt;&quot;d: utilization 50.00%</title>"))
        #expect(html.contains("<title>a&lt;b&amp;c&gt;&quot;d: mapping efficiency 75.00%</title>"))
    }

    @Test func trafficPerBufferFromTheTotals() throws {
        let html = try page()
        #expect(count("class=\"traffic-bar\"", in: html) == 11)
        #expect(html.contains("<title>DRAM input read: 1,182 B</title>"))
        #expect(html.contains("<title>DRAM write: 732 B</title>"))
        #expect(html.contains("<title>SRAM weight write: 13 B</title>"))
    }

    @Test func configAndHashAreShown() throws {
        let html = try page()
        #expect(html.contains("<code class=\"hash\">cbb05a60eb6f4402</code>"))
        #expect(html.contains("&quot;bandwidth_bytes_per_cycle&quot;: 8"))
        #expect(html.contains("8x8 (HardwareConfigs/8x8.json): 8×8 weight_stationary, 500 MHz"))
    }

    @Test func mappingSectionOnlyWhenTheReportHasOne() throws {
        #expect(!(try page()).contains("id=\"mapping\""))
        let html = try page(ReportFixture.report(mapping: true))
        #expect(html.contains("<section id=\"mapping\">"))
        #expect(html.contains("<td class=\"mono\">loop_order=mnk, tile.m=16, tile.n=8</td>"))
    }

    @Test func selfContainedAndDeterministic() throws {
        let html = try page()
        #expect(!html.contains("src="))
        #expect(!html.contains("href="))
        #expect(!html.contains("<link"))
        #expect(!html.contains("@import"))
        // The only URL is the SVG namespace, once per chart.
        #expect(count("http", in: html) == count("xmlns=\"http://www.w3.org/2000/svg\"", in: html))
        #expect(count("<svg ", in: html) == 4)
        #expect(html == (try page()))
    }

    @Test func missingFieldsNameTheirPath() throws {
        let broken = ReportFixture.removing(["layers", "1", "cycles", "stall", "input"], from: ReportFixture.report())
        #expect(throws: ReportError.self) { try page(broken) }
        do {
            _ = try page(broken)
        } catch {
            #expect(error.message == "run.json: layers[1].cycles.stall.input: missing")
        }
        let noHardware = ReportFixture.removing(["hardware"], from: ReportFixture.report())
        do {
            _ = try page(noHardware)
            Issue.record("a report without hardware rendered")
        } catch {
            #expect(error.message == "run.json: the report has no hardware section (run with --hw): nothing to chart")
        }
    }

    @Test func hundredLayersStayOneRowEach() throws {
        guard case .object(var root) = ReportFixture.report() else { return }
        root["layers"] = .array(
            (0..<100).map { index in
                ReportFixture.layer(
                    index, "block\(index)/conv_with_a_rather_long_name_\(index)", macs: 1_000 + index,
                    segments: [100 + index, 1, 1, 1, 1, 1, 1], dramRead: 100, dramWrite: 10,
                    utilization: 0.1, mappingEfficiency: 0.2)
            })
        let html = try page(.object(root))
        #expect(count("<g class=\"layer-bar\">", in: html) == 100)
        #expect(count("class=\"roofline-point\"", in: html) == 100)
        // 16 px rows: 52 + 40 + 100 · 16 = 1,692 px tall.
        #expect(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1000\" height=\"1692\""))
        // Names past 34 characters are shortened in the charts, whole in the table.
        #expect(html.contains("#99 block99/conv_with_a_rather_long_n…</text>"))
        #expect(html.contains(">block99/conv_with_a_rather_long_name_99</td>"))
    }
}
