import AccsimJSON
import AccsimSweep
import Foundation
import Testing

@Suite("Streaming merge and Pareto: bounded memory, the same rows")
struct SweepMergeStreamTests {
    static func row(_ index: Int, id: String, cycles: Int = 1) -> String {
        #"{"schema_version":1,"id":"\#(id)","index":\#(index),"model":"m","values":{},"status":"ok","cycles":\#(cycles)}"#
    }

    /// Writes `lines` (each with its newline, `tail` after them) to a file in `directory`.
    static func file(_ directory: URL, _ name: String, _ lines: [String], tail: String = "") throws -> String {
        let path = directory.appendingPathComponent(name).path
        try Data((lines.map { $0 + "\n" }.joined() + tail).utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func drain(_ stream: SweepMergeStream) throws -> [String] {
        var lines: [String] = []
        while let record = try stream.next() { lines.append(record.line) }
        return lines
    }

    @Test func shardsOfARealSweepMergeAsTheInMemoryMerge() throws {
        let directory = try SweepFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let plan = try SweepFixtures.plan(["array.rows=0,4,8,16", "sram.weight.kib=8,16,32"], samples: nil)
        var paths: [String] = []
        for index in 1...5 {
            let lines = try SweepFixtures.run(plan, jobs: 2, shard: try SweepShard(index: index, count: 5)).lines
            paths.append(try Self.file(directory, "shard-\(index).jsonl", lines))
        }
        // A sixth input repeats shard 2: every row of it a duplicate.
        paths.append(paths[1])
        let stream = try SweepMergeStream(files: paths)
        let streamed = try Self.drain(stream)
        #expect(stream.outOfOrder == nil)
        #expect(streamed == (try SweepFixtures.run(plan, jobs: 1).lines))
        #expect(stream.rows == 12 && stream.duplicates == 3)
        #expect(streamed == (try SweepMerge.merge(files: paths).records.map(\.line)))
    }

    @Test func conflictsTornInputsAndDisorder() throws {
        let directory = try SweepFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let a = try Self.file(directory, "a.jsonl", [Self.row(0, id: "a"), Self.row(2, id: "c")])
        let b = try Self.file(directory, "b.jsonl", [Self.row(1, id: "b"), Self.row(2, id: "c", cycles: 9)])
        #expect(throws: SweepError.self) { try Self.drain(SweepMergeStream(files: [a, b])) }

        let torn = try Self.file(directory, "t.jsonl", [Self.row(1, id: "b")], tail: #"{"schema_"#)
        #expect {
            try Self.drain(SweepMergeStream(files: [a, torn]))
        } throws: { error in
            (error as? SweepError)?.message.contains("incomplete row") == true
        }

        let shuffled = try Self.file(directory, "s.jsonl", [Self.row(3, id: "d"), Self.row(1, id: "b")])
        let stream = try SweepMergeStream(files: [a, shuffled])
        _ = try Self.drain(stream)
        #expect(stream.outOfOrder?.hasPrefix(shuffled) == true)
    }

    @Test func paretoBuilderWithASampleKeepsTheWholeFront() throws {
        // 3,000 points on 3 fronts' worth of a grid: (i mod 60, i / 60 mod 50) and a diagonal.
        let metrics = [try ParetoMetric("latency"), try ParetoMetric("sram_bytes")]
        let records = (0..<3000).map { i -> SweepRecord in
            let latency = Double((i * 7919) % 3000)
            let sram = 3000 - Int(latency) + (i % 3) * 10
            let object: JSONObject = [
                "schema_version": 1, "id": .string("p\(i)"), "index": .int(Int64(i)), "model": .string("m"),
                "status": "ok", "latency_us": .double(latency), "sram_bytes": .int(Int64(sram)),
            ]
            return SweepRecord(fields: object, line: "")
        }
        let whole = ParetoFront(records: records, metrics: metrics)
        var builder = ParetoFront.Builder(metrics: metrics, dominatedSample: 100)
        for record in records { builder.add(record) }
        let sampled = builder.front()
        #expect(sampled.front(of: "m").map(\.record.id) == whole.front(of: "m").map(\.record.id))
        #expect(whole.front(of: "m").count == 1000)  // latency + sram = 3000 exactly for i ≡ 0 (mod 3)
        #expect(sampled.points["m"]?.count == 1100 && whole.points["m"]?.count == 3000)
        #expect(sampled.candidates["m"] == 3000)
        // The sample is the same for the same rows.
        var again = ParetoFront.Builder(metrics: metrics, dominatedSample: 100)
        for record in records { again.add(record) }
        #expect(again.front().points["m"]?.map(\.record.id) == sampled.points["m"]?.map(\.record.id))
    }
}
