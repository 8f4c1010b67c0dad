import AccsimJSON
import AccsimSweep
import Foundation
import Testing

@Suite("Sweep output: atomic rows, resume, refusing foreign files")
struct SweepResumeTests {
    /// Runs `plan` into `path` through SweepOutput, as the CLI does; returns the statistics.
    func runInto(_ path: String, plan: SweepPlan, format: SweepFormat, force: Bool = false, jobs: Int = 2) throws -> SweepRunner.Statistics {
        let output = try SweepOutput.open(path: path, format: format, keys: plan.space.keys, force: force)
        let statistics = try SweepRunner(plan: plan, jobs: jobs).run(done: output.done) { row in try output.write(row) }
        try output.finish()
        return statistics
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
        #expect(throws: SweepError.self) { try SweepOutput.open(path: csv, format: .csv, keys: other.space.keys, force: false) }
        // Nor is a JSONL file read as CSV.
        #expect(throws: SweepError.self) { try SweepOutput.open(path: notes, format: .csv, keys: plan.space.keys, force: false) }
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
            try SweepResultsFile.parse(Array(#"{"schema_version":99,"id":"x"}"#.utf8 + [10]), format: .jsonl, name: "future")
        }
    }
}
