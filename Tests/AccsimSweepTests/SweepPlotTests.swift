import AccsimJSON
import AccsimSweep
import Foundation
import Testing

@Suite("Sweep scatter plot and heat map")
struct SweepPlotTests {
    /// A row varying `array.rows` and `sram.weight.kib`, with latency and PE count.
    func row(_ index: Int, rows: Int, kib: Int, latency: Double?, model: String = "m") -> SweepRecord {
        var object: JSONObject = [
            "schema_version": 1, "id": .string("p\(index)"), "index": .int(Int64(index)), "model": .string(model),
            "values": ["array.rows": .int(Int64(rows)), "sram.weight.kib": .int(Int64(kib))],
        ]
        if let latency {
            object["status"] = "ok"
            object["latency_us"] = .double(latency)
            object["pes"] = .int(Int64(rows * rows))
        } else {
            object["status"] = "invalid"
            object["error"] = "key 'sram.weight.kib': must be positive, got 0 <&>"
        }
        return SweepRecord(fields: object, line: "")
    }

    /// rows 4/8/16 × kib 1/16, latency = 1000 / rows (+ 50 with 1 KiB), plus two invalid rows.
    var records: [SweepRecord] {
        var records: [SweepRecord] = []
        for (index, (rows, kib)) in [(4, 1), (4, 16), (8, 1), (8, 16), (16, 1), (16, 16)].enumerated() {
            records.append(row(index, rows: rows, kib: kib, latency: 1000 / Double(rows) + (kib == 1 ? 50 : 0)))
        }
        records.append(row(6, rows: 4, kib: 0, latency: nil))
        records.append(row(7, rows: 32, kib: 0, latency: nil))
        return records
    }

    func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func keysAreMetricsOrVariedConfigKeys() throws {
        #expect(try SweepPlotKey("latency", records: records).metric.key == "latency_us")
        #expect(try SweepPlotKey("array.rows", records: records).metric.key == "values.array.rows")
        #expect(try SweepPlotKey("values.array.rows", records: records).label == "array.rows")
        do {
            _ = try SweepPlotKey("array.cols", records: records)
            Issue.record("an unknown key was accepted")
        } catch {
            #expect(
                error.message == "unknown plot key 'array.cols': not a metric and not a varied key of these rows"
                    + " (varied: array.rows, sram.weight.kib)")
        }
    }

    @Test func scatterDrawsEveryValidPointAndHighlightsTheFront() throws {
        let plot = SweepScatterPlot(
            records: records, x: try SweepPlotKey("latency", records: records),
            y: try SweepPlotKey("area", records: records), color: try SweepPlotKey("sram.weight.kib", records: records))
        let svg = try plot.svg()
        // Six valid points; minimising latency and PEs, the 16 KiB points are the front (the
        // 1 KiB ones are 50 µs slower for the same PEs).
        #expect(count("class=\"point", in: svg) == 6)
        #expect(count("class=\"point front-point\"", in: svg) == 3)
        #expect(svg.contains("6 points, 3 on the Pareto front (minimising both); 2 left out (listed below)"))
        #expect(
            svg.contains(
                "<title>array.rows=16 sram.weight.kib=16; latency (µs) 62.5; processing elements 256;"
                    + " sram.weight.kib 16</title>"))
        #expect(svg.contains(">rows=16 kib=16</text>"))
        // The invalid rows are listed with their reason, escaped.
        #expect(svg.contains("Left out (2):"))
        #expect(
            svg.contains(
                ">#7 array.rows=32 sram.weight.kib=0: key 'sram.weight.kib': must be positive, got 0 &lt;&amp;&gt;</text>"
            ))
        // Linear axes: latency 62.5…300 padded, PEs 16…256 padded.
        #expect(svg.contains(">100</text>") && svg.contains(">300</text>"))
        #expect(svg.contains("latency (µs)</text>") && svg.contains("processing elements</text>"))
        #expect(svg == (try plot.svg()))
    }

    @Test func logAxesAndNonOverlappingTickLabels() throws {
        var wide: [SweepRecord] = []
        for exponent in 0...9 {
            let value = pow(10, Double(exponent))
            wide.append(row(exponent, rows: exponent + 1, kib: 16, latency: value))
        }
        let plot = SweepScatterPlot(
            records: wide, x: try SweepPlotKey("latency", records: wide), y: try SweepPlotKey("area", records: wide),
            logX: true, logY: true)
        let svg = try plot.svg()
        for label in ["1", "10", "100", "1k", "10k", "100k", "1M", "10M", "100M", "1G"] {
            #expect(svg.contains("text-anchor=\"middle\" fill=\"#000000\">\(label)</text>"), "tick \(label)")
        }
        #expect(svg.contains("latency (µs) (log)</text>"))
        // x tick labels sit on one baseline; no two of them overlap.
        let pattern = try NSRegularExpression(
            pattern:
                "<text x=\"([0-9.]+)\" y=\"([0-9.]+)\" font-size=\"11\" text-anchor=\"middle\" fill=\"#000000\">([^<]*)</text>"
        )
        let matches = pattern.matches(in: svg, range: NSRange(svg.startIndex..., in: svg))
        let labels = matches.map { match -> (x: Double, y: String, width: Double) in
            let text = { (i: Int) in String(svg[Range(match.range(at: i), in: svg)!]) }
            return (Double(text(1))!, text(2), Double(text(3).count) * 6.2)
        }
        let baseline = labels.first?.y
        let ticks = labels.filter { $0.y == baseline }.sorted { $0.x < $1.x }
        #expect(ticks.count == 10)
        for (a, b) in zip(ticks, ticks.dropFirst()) { #expect(b.x - a.x > (a.width + b.width) / 2) }
        let zero = records + [row(8, rows: 2, kib: 16, latency: 0)]
        let negative = SweepScatterPlot(
            records: zero, x: try SweepPlotKey("latency", records: zero), y: try SweepPlotKey("area", records: zero),
            logX: true)
        do {
            _ = try negative.svg()
            Issue.record("a log axis took a zero")
        } catch {
            #expect(error.message == "--log x needs positive latency values")
        }
    }

    @Test func heatMapCellsTakeTheSmallestValueOverTheOtherKeys() throws {
        let map = SweepHeatMap(
            records: records, x: try SweepPlotKey("array.rows", records: records),
            y: try SweepPlotKey("sram.weight.kib", records: records),
            metric: try SweepPlotKey("latency", records: records))
        let grid = try map.grid()
        #expect(grid.xs == [4, 8, 16, 32])
        #expect(grid.ys == [0, 1, 16])
        #expect(grid.values == [[nil, nil, nil, nil], [300, 175, 112.5, nil], [250, 125, 62.5, nil]])
        #expect(grid.counts == [[0, 0, 0, 0], [1, 1, 1, 0], [1, 1, 1, 0]])
        let svg = try map.svg()
        #expect(count("class=\"cell\"", in: svg) == 6)
        #expect(count("class=\"cell invalid\"", in: svg) == 6)
        #expect(svg.contains("<title>array.rows=16, sram.weight.kib=16: latency (µs) 62.5</title>"))
        #expect(svg.contains(">62.5</text>") && svg.contains(">300</text>"))
        #expect(svg.contains("Left out (2):"))
        // The ramp runs from yellow at the smallest value to purple at the largest.
        #expect(
            svg.contains("fill=\"#fde725\" stroke=\"#ffffff\" class=\"cell\"><title>array.rows=16, sram.weight.kib=16"))
        #expect(
            svg.contains("fill=\"#440154\" stroke=\"#ffffff\" class=\"cell\"><title>array.rows=4, sram.weight.kib=1:"))
    }
}
