import AccsimJSON
import AccsimTestSupport
import Foundation
import Testing

/// `accsim sweep` as users run it: the built executable in a subprocess.
@Suite("accsim sweep on the command line")
struct SweepCLITests {
    /// Runs `accsim arguments…` in `directory` (default: the repository root).
    func accsim(_ arguments: [String], in directory: URL? = nil) throws -> CLIResult {
        try CLI.run(arguments, in: directory)
    }

    static let grid = [
        "--hw", "16x16-ws", "Models/digits.q", "Models/every_op.q", "--vary", "array.rows=8,16,32", "--vary",
        "sram.weight.kib=16:64:*2",
    ]

    @Test func mergeOfFilesOutOfGridOrderFallsBackToMemory() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let full = directory.appendingPathComponent("full.jsonl").path
        #expect(try accsim(["sweep"] + Self.grid + ["--out", full, "--progress", "none"]).status == 0)
        let lines = try String(contentsOfFile: full, encoding: .utf8).split(separator: "\n").map(String.init)
        let reversed = directory.appendingPathComponent("reversed.jsonl").path
        try Data((lines.reversed().joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: reversed))
        for out in [["--out", directory.appendingPathComponent("m.jsonl").path], []] {
            let merged = try accsim(["sweep", "merge", reversed] + out)
            #expect(merged.status == 0)
            #expect(merged.stderr.contains("is not in grid order: merging in memory"), "\(merged.stderr)")
            let text = out.isEmpty ? merged.stdout : try String(contentsOfFile: out[1], encoding: .utf8)
            #expect(text == (try String(contentsOfFile: full, encoding: .utf8)))
        }
    }

    @Test func progressLinesForLogs() throws {
        let run = try accsim(
            ["sweep"] + Self.grid + ["--jobs", "1", "--progress", "lines", "--progress-interval", "60"])
        #expect(run.status == 0)
        // The first point draws a line (then nothing for 60 s), the last point always does.
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(run.stderr)")
        #expect(lines.first?.hasPrefix("sweep: 1/18 points (5.6%), ") == true)
        #expect(lines.last?.hasPrefix("sweep: 18/18 points (100.0%), ") == true)
        #expect(!run.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        // Not a terminal (and the tests do not run inside a Slurm job): no progress by default.
        #expect(try accsim(["sweep"] + Self.grid).stderr.isEmpty)
    }

    @Test func shardsMergeToTheFullRunAndResumeSkips() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let full = directory.appendingPathComponent("full.jsonl").path
        let first = try accsim(["sweep"] + Self.grid + ["--jobs", "2", "--out", full, "--stats"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("18 evaluated"))
        let again = try accsim(["sweep"] + Self.grid + ["--jobs", "1", "--out", full, "--stats"])
        #expect(again.status == 0)
        #expect(again.stderr.contains("0 evaluated") && again.stderr.contains("18 already done"))
        var shards: [String] = []
        for index in 1...4 {
            let path = directory.appendingPathComponent("shard\(index).jsonl").path
            shards.append(path)
            #expect(try accsim(["sweep"] + Self.grid + ["--shard", "\(index)/4", "--out", path]).status == 0)
        }
        let merged = directory.appendingPathComponent("merged.jsonl").path
        #expect(try accsim(["sweep", "merge"] + shards + ["--out", merged]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: merged)) == Data(contentsOf: URL(fileURLWithPath: full)))
        // Stdout gives the same rows.
        #expect(try accsim(["sweep"] + Self.grid).stdout == String(contentsOfFile: full, encoding: .utf8))

        let plot = directory.appendingPathComponent("front.svg").path
        let pareto = try accsim(["sweep", "pareto", full, "--x", "latency", "--y", "sram_bytes", "--svg", plot])
        #expect(pareto.status == 0, "\(pareto.stderr)")
        #expect(pareto.stdout.contains("digits_cnn:") && pareto.stdout.contains("every_op:"))
        #expect(try String(contentsOfFile: plot, encoding: .utf8).hasSuffix("</svg>\n"))
        #expect(
            try accsim(["sweep", "pareto", full, "--x", "latency", "--y", "sram_bytes", "--svg", plot]).status == 2)
    }

    @Test(arguments: [
        (["--vary", "array.rowz=8,16"], "--vary 'array.rowz=8,16'"),
        (["--vary", "array.rows=8:64:*0"], "--vary 'array.rows=8:64:*0'"),
        (["--zip", "array.rows=8,16 array.cols=8"], "--zip 'array.rows=8,16 array.cols=8'"),
        (["--vary", "array.rows=8", "--shard", "3/2"], "--shard"),
        (["--vary", "array.rows=8", "--jobs", "0"], "--jobs"),
    ])
    func badArgumentsAreUsageErrorsNamingTheArgument(_ arguments: [String], _ named: String) throws {
        let result = try accsim(["sweep", "Models/digits.q"] + arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains(named), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func invalidPointsAreRowsNotFailures() throws {
        let result = try accsim(["sweep", "Models/digits.q", "--vary", "array.rows=0,8", "--format", "csv"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[1].contains(",invalid,") && lines[1].contains("array.rows"))
        #expect(lines[2].contains(",ok,"))
    }
}
