import AccsimJSON
import AccsimSweep
import Foundation
import Testing

@Suite("Sweep output: atomic rows, resume, refusing foreign files")
struct SweepResumeTests {
    /// Runs `plan` into `path` through SweepOutput, as the CLI does; returns the statistics.
    func runInto(_ path: String, plan: SweepPlan, format: SweepFormat, force: Bool = false, jobs: Int = 2) throws
        -> SweepRunner.Statistics
    {
        let output = try SweepOutput.open(path: path, format: format, keys: plan.space.keys, force: force)
        let statistics = try SweepRunner(plan: plan, jobs: jobs).run(done: output.done) { row in try output.write(row) }
        try output.finish()
        return statistics
    }

    /// As the CLI resumes: the file's leading rows in grid order are counted, not remembered.
    func resumeInto(_ path: String, plan: SweepPlan, format: SweepFormat, shard: SweepShard = .all) throws
        -> (output: SweepOutput, statistics: SweepRunner.Statistics)
    {
        let runner = SweepRunner(plan: plan, jobs: 2)
        let output = try SweepOutput.open(
            path: path, format: format, keys: plan.space.keys, force: false, prefix: runner.prefixCheck(shard: shard))
        let statistics = try runner.run(shard: shard, startSlot: output.doneSlots, done: output.done) { row in
            try output.write(row)
        }
        try output.finish()
        return (output, statistics)
    }

    @Test(arguments: [SweepFormat.jsonl, .csv])
    func resumeCountsTheLeadingRowsWithoutRememberingThem(format: SweepFormat) throws {
        let directory = try SweepFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let plan = try SweepFixtures.plan(["array.rows=0,4,8,16", "sram.weight.kib=8,16,32"], samples: nil)
        let shard = try SweepShard(index: 2, count: 3)  // grid indices 1, 4, 7, 10
        let complete = directory.appendingPathComponent("complete.\(format.rawValue)").path
        #expect(try resumeInto(complete, plan: plan, format: format, shard: shard).statistics.evaluated == 4)
        let expected = try Data(contentsOf: URL(fileURLWithPath: complete))

        // Three whole rows (one invalid: array.rows = 0) and a torn fourth.
        let lines = expected.split(separator: 0x0A, omittingEmptySubsequences: false)
        let keep = format == .csv ? 4 : 3
        var partial = Data(lines[0..<keep].map { Data($0) + Data([0x0A]) }.joined())
        partial += Data(lines[keep].prefix(10))
        let path = directory.appendingPathComponent("resumed.\(format.rawValue)").path
        try partial.write(to: URL(fileURLWithPath: path))
        let (output, statistics) = try resumeInto(path, plan: plan, format: format, shard: shard)
        #expect(output.doneSlots == 3 && output.done.isEmpty && output.resumedRows == 3)
        #expect(statistics.skipped == 3 && statistics.evaluated == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == expected)

        // The same rows under another shard are not its prefix: remembered by id, and skipped.
        let other = try resumeInto(path, plan: plan, format: format, shard: try SweepShard(index: 1, count: 3))
        #expect(other.output.doneSlots == 0 && other.output.done.count == 4)
        #expect(other.statistics.evaluated == 4 && other.statistics.skipped == 0)
    }

    @Test func rowsOutOfGridOrderAreRememberedByID() throws {
        let directory = try SweepFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let plan = try SweepFixtures.plan(["array.rows=4,8,16,32"], samples: nil)
        let path = directory.appendingPathComponent("r.jsonl").path
        _ = try resumeInto(path, plan: plan, format: .jsonl)
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        var lines = expected.split(separator: "\n").map(String.init)
        // Rows 0 and 2 kept, in the order 0, 2: a prefix of one row, then one remembered by id.
        lines = [lines[0], lines[2]]
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let (output, statistics) = try resumeInto(path, plan: plan, format: .jsonl)
        #expect(output.doneSlots == 1 && output.done.count == 1)
        #expect(statistics.skipped == 2 && statistics.evaluated == 2)
        let rows = try SweepResultsFile.read(path: path).records.map { $0.index ?? -1 }
        #expect(rows == [0, 2, 1, 3])

        // A row whose values differ from the grid's at its index is not counted in the prefix;
        // its id (point 0's) is remembered instead.
        let moved = expected.split(separator: "\n").map(String.init)[0].replacingOccurrences(
            of: #""array.rows":4"#, with: #""array.rows":5"#)
        try Data((moved + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let again = try resumeInto(path, plan: plan, format: .jsonl)
        #expect(again.output.doneSlots == 0 && again.output.done.count == 1 && again.statistics.evaluated == 3)
    }

    @Test(arguments: [SweepFormat.jsonl, .csv])
    func resumeSkipsDonePointsAndEndsIdentical(format: SweepFormat) throws {
        let directory = try SweepFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let plan = try SweepFixtures.plan(["array.rows=4,8,16", "sram.weight.kib=8,16,32"], samples: 8)
        let complete = directory.appendingPathComponent("complete.\(format.rawValue)").path
        #expect(try runInto(complete, plan: plan, format: format).evaluated == 9)
        let expected = try Data(contentsOf: URL(fileURLWithPath: complete))

        // An interrupted run: the header (CSV), four whole rows and half of the fifth.
        let lines = expected.split(separator: 0x0A, omittingEmptySubsequences: false)
        let keep = format == .csv ? 5 : 4
        var partial = Data(lines[0..<keep].map { Data($0) + Data([0x0A]) }.joined())
        partial += Data(lines[keep].prefix(lines[keep].count / 2))
        let resumed = directory.appendingPathComponent("resumed.\(format.rawValue)").path
        try partial.write(to: URL(fileURLWithPath: resumed))

        let statistics = try runInto(resumed, plan: plan, format: format)
        #expect(statistics.skipped == 4)
        #expect(statistics.evaluated == 5)
        #expect(try Data(contentsOf: URL(fileURLWithPath: resumed)) == expected)

        // Running again does nothing.
        let again = try runInto(resumed, plan: plan, format: format)
        #expect(again.evaluated == 0 && again.skipped == 9)
        #expect(try Data(contentsOf: URL(fileURLWithPath: resumed)) == expected)
    }

    @Test func resumingWithOtherDataIsAnError() throws {
        let directory = try SweepFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("r.jsonl").path
        let timingOnly = try SweepFixtures.plan(["array.rows=4,8"], samples: nil)
        #expect(try runInto(path, plan: timingOnly, format: .jsonl).evaluated == 2)
        // The same grid with input data: the rows there lack outputs, so they do not count as done.
        let withData = try SweepFixtures.plan(["array.rows=4,8"], samples: 8)
        #expect(withData.setupHashes != timingOnly.setupHashes)
        #expect {
            try runInto(path, plan: withData, format: .jsonl)
        } throws: { error in
            (error as? SweepError)?.message.contains("other input data") == true
        }
        #expect(try SweepResultsFile.read(path: path).records.count == 2)
    }

    @Test func foreignFilesAreNeverOverwrittenWithoutForce() throws {
        let directory = try SweepFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let plan = try SweepFixtures.plan(["array.rows=4,8"], samples: nil)
        let notes = directory.appendingPathComponent("notes.jsonl").path
        try Data("my precious notes\n".utf8).write(to: URL(fileURLWithPath: notes))
        #expect {
            try SweepOutput.open(path: notes, format: .jsonl, keys: plan.space.keys, force: false)
        } throws: { error in
            (error as? SweepError)?.message.contains("--force") == true
        }
        #expect(try String(contentsOfFile: notes, encoding: .utf8) == "my precious notes\n")
        #expect(try runInto(notes, plan: plan, format: .jsonl, force: true).evaluated == 2)
        #expect(try SweepResultsFile.read(path: notes).records.count == 2)

        // A CSV file of a sweep with other columns is not resumed into.
        let csv = directory.appendingPathComponent("r.csv").path
        _ = try runInto(csv, plan: plan, format: .csv)
        let other = try SweepFixtures.plan(["array.cols=4,8"], samples: nil)
        #expect(throws: SweepError.self) {
            try SweepOutput.open(path: csv, format: .csv, keys: other.space.keys, force: false)
        }
        // Nor is a JSONL file read as CSV.
        #expect(throws: SweepError.self) {
            try SweepOutput.open(path: notes, format: .csv, keys: plan.space.keys, force: false)
        }
    }

    @Test func mergeRejectsConflictsAndTornShards() throws {
        let row = #"{"schema_version":1,"id":"a","index":0,"model":"m","values":{},"status":"ok","cycles":1}"#
        let conflict = #"{"schema_version":1,"id":"a","index":0,"model":"m","values":{},"status":"ok","cycles":2}"#
        let first = try SweepResultsFile.parse(Array((row + "\n").utf8), format: .jsonl, name: "one")
        let same = try SweepResultsFile.parse(Array((row + "\n").utf8), format: .jsonl, name: "two")
        let different = try SweepResultsFile.parse(Array((conflict + "\n").utf8), format: .jsonl, name: "three")
        let torn = try SweepResultsFile.parse(Array((row + "\n{\"sche").utf8), format: .jsonl, name: "four")
        #expect(torn.hasTornTail && torn.records.count == 1)
        let merged = try SweepMerge.merge([("one", first), ("two", same)])
        #expect(merged.records.count == 1 && merged.duplicates == 1)
        #expect(throws: SweepError.self) { try SweepMerge.merge([("one", first), ("three", different)]) }
        #expect(throws: SweepError.self) { try SweepMerge.merge([("one", first), ("four", torn)]) }
        #expect(throws: SweepError.self) {
            try SweepResultsFile.parse(
                Array(#"{"schema_version":99,"id":"x"}"#.utf8 + [10]), format: .jsonl, name: "future")
        }
    }
}
