import AccsimJSON
import AccsimSweep
import Foundation
import Testing

@Suite("Pareto front and plot")
struct ParetoTests {
    /// A row with the given metrics.
    func record(
        _ index: Int, model: String = "m", latency: Double, sram: Int, energy: Double? = nil, status: String = "ok"
    ) -> SweepRecord {
        var object: JSONObject = [
            "schema_version": 1, "id": .string("p\(index)"), "index": .int(Int64(index)), "model": .string(model),
            "values": .object(["array.rows": .int(Int64(index))]), "status": .string(status),
            "latency_us": .double(latency), "sram_bytes": .int(Int64(sram)),
        ]
        if let energy { object["energy_pj"] = .double(energy) }
        return SweepRecord(fields: object, line: "")
    }

    @Test func frontOfTwoMetrics() throws {
        let records = [
            record(0, latency: 10, sram: 100), record(1, latency: 5, sram: 200), record(2, latency: 12, sram: 150),
            record(3, latency: 5, sram: 200), record(4, latency: 4, sram: 400), record(5, latency: 6, sram: 300),
            record(6, latency: 1, sram: 1, status: "invalid"),
        ]
        let front = ParetoFront(
            records: records, metrics: [try ParetoMetric("latency"), try ParetoMetric("sram_bytes")])
        #expect(front.skipped == 1)
        // Equal points are both on the front; dominated ones are not.
        #expect(front.front(of: "m").map(\.record.id) == ["p4", "p1", "p3", "p0"])
        #expect(front.points["m"]?.count == 6)
    }

    @Test func frontOfThreeMetricsAndPerModel() throws {
        let records = [
            record(0, latency: 10, sram: 100, energy: 5), record(1, latency: 10, sram: 100, energy: 4),
            record(2, latency: 12, sram: 90, energy: 9), record(3, model: "other", latency: 100, sram: 1000, energy: 1),
            record(4, latency: 1, sram: 1),  // no energy: left out
        ]
        let metrics = try ["latency", "sram", "energy"].map { try ParetoMetric($0) }
        let front = ParetoFront(records: records, metrics: metrics)
        #expect(front.models == ["m", "other"])
        #expect(Set(front.front(of: "m").map(\.record.id)) == ["p1", "p2"])
        #expect(front.front(of: "other").map(\.record.id) == ["p3"])
        #expect(front.skipped == 1)
        #expect(
            ParetoFront.dominates([1, 2], [1, 3]) && !ParetoFront.dominates([1, 2], [1, 2])
                && !ParetoFront.dominates([0, 3], [1, 2]))
    }

    @Test func metricNames() throws {
        #expect(try ParetoMetric("latency").key == "latency_us")
        #expect(try ParetoMetric("values.array.rows").value(in: record(7, latency: 1, sram: 1)) == 7)
        #expect(
            try ParetoMetric("idle").value(in: SweepRecord(fields: ["utilization": .double(0.25)], line: "")) == 0.75)
        #expect(throws: SweepError.self) { try ParetoMetric("latencyy") }
    }

    @Test func plotIsDeterministicSVG() throws {
        let records = (0..<20).map { i in
            record(i, latency: Double(100 - i * 3) + Double(i % 3) * 7, sram: 1024 << (i % 5))
        }
        let front = ParetoFront(records: records, metrics: [try ParetoMetric("latency"), try ParetoMetric("sram")])
        let svg = try ParetoPlot(front: front, logY: true).svg()
        #expect(svg == (try ParetoPlot(front: front, logY: true).svg()))
        #expect(svg.hasPrefix("<?xml"))
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(svg.contains("<polyline"))
        #expect(svg.contains("latency (µs)"))
        #expect(svg.contains("rows="))
        let circles = svg.components(separatedBy: "<circle").count - 1
        #expect(circles == 20 + 2)  // every point, plus two legend markers
        #expect(throws: SweepError.self) {
            try ParetoPlot(front: ParetoFront(records: [], metrics: front.metrics)).svg()
        }
    }
}
