import AccsimModel
import AccsimTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGKILL at random moments (issue 19, item 5): a killed `accsim` leaves each output it was
/// writing as it was before (here a "previous" file) or complete, never torn; a killed sweep
/// leaves whole rows (at most a torn last line) and resumes to the same file as an unbroken run.
/// The moments come from a fixed seed; the test takes about 12 s in a debug build (2 cores).
@Suite(.serialized) struct KillAtRandomTests {
    /// Starts `accsim arguments…` in the repository root, kills it after `microseconds` (unless it
    /// ended first) and waits for it.
    private func runKilled(_ arguments: [String], after microseconds: Int) throws -> Bool {
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = arguments
        process.currentDirectoryURL = CLI.root
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(UInt32(microseconds))
        let killed = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return killed
    }

    private func contents(_ url: URL) -> Data? { try? Data(contentsOf: url) }

    @Test func killedRunLeavesThePreviousOutputsOrTheCompleteOnes() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let names = ["o.npy", "r.json", "t.trace.gz"]
        func arguments(_ prefix: String) -> [String] {
            [
                "--hw", "8x8", "Models/digits.q", "--batch", "10000", "--trace-level", "cycle", "--force",
                "--output", directory.appendingPathComponent(prefix + names[0]).path,
                "--report", directory.appendingPathComponent(prefix + names[1]).path,
                "--trace", directory.appendingPathComponent(prefix + names[2]).path,
            ]
        }
        let start = Date()
        let reference = try CLI.run(arguments("reference-"))
        let duration = Date().timeIntervalSince(start)
        #expect(reference.status == 0, "\(reference.stderr)")
        let complete = names.map { contents(directory.appendingPathComponent("reference-" + $0)) }
        #expect(complete.allSatisfy { ($0?.count ?? 0) > 1_000 })
        var generator = SeededGenerator(seed: 19)
        var outcomes: [String: Int] = ["previous": 0, "complete": 0]
        for round in 0..<8 {
            let previous = names.map { Data("previous \($0) of round \(round)\n".utf8) }
            for (name, data) in zip(names, previous) { try data.write(to: directory.appendingPathComponent(name)) }
            // Moments from 30 % to 120 % of a whole run: the outputs are written near its end.
            let moment = Int(duration * 1e6 * (0.3 + 0.9 * Double(generator.next(1_000)) / 1_000))
            _ = try runKilled(arguments(""), after: moment)
            for (index, name) in names.enumerated() {
                let left = contents(directory.appendingPathComponent(name))
                if left == previous[index] {
                    outcomes["previous", default: 0] += 1
                } else if left == complete[index] {
                    outcomes["complete", default: 0] += 1
                } else {
                    Issue.record("round \(round), killed at \(moment) µs: \(name) is torn (\(left?.count ?? -1) bytes)")
                }
            }
        }
        #expect(outcomes.values.reduce(0, +) == 24, "\(outcomes)")
        print("kill-at-random run outputs: \(outcomes) (reference run \(Int(duration * 1000)) ms)")
        // The killed runs' temporary files are removed by the next run that writes the same outputs.
        let finished = try CLI.run(arguments(""))
        #expect(finished.status == 0, "\(finished.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".tmp") }
        #expect(left.isEmpty, "temporary files left: \(left)")
        for (index, name) in names.enumerated() {
            #expect(contents(directory.appendingPathComponent(name)) == complete[index], "\(name)")
        }
    }

    @Test func killedSweepLeavesWholeRowsAndResumesToTheUnbrokenResult() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let grid = [
            "sweep", "--hw", "16x16-ws", "Models/digits.q", "--vary", "array.rows=4:100:+1", "--vary",
            "array.cols=4:32:+4", "--jobs", "1", "--progress", "none", "--out",
        ]
        let referencePath = directory.appendingPathComponent("reference.jsonl")
        let start = Date()
        #expect(try CLI.run(grid + [referencePath.path]).status == 0)
        let duration = Date().timeIntervalSince(start)
        let reference = try #require(contents(referencePath))
        let out = directory.appendingPathComponent("r.jsonl")
        var generator = SeededGenerator(seed: 1_919)
        for round in 0..<4 {
            // Each round resumes the file the previous kill left and gets a little further.
            let moment = Int(duration * 1e6 * (0.05 + 0.2 * Double(generator.next(1_000)) / 1_000))
            _ = try runKilled(grid + [out.path], after: moment)
            let left = contents(out) ?? Data()
            // Whole rows of the unbroken run, in its order, and at most a torn last line.
            #expect(reference.starts(with: left), "round \(round): the file is not a prefix of the unbroken run")
        }
        let resumed = try CLI.run(grid + [out.path])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(contents(out) == reference)
    }
}
