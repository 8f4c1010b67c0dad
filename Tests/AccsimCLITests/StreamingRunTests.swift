import AccsimModel
import AccsimTestSupport
import Foundation
import Testing

/// `accsim run` in chunks (issue 19, item 4): the chunk size (`ACCSIM_CHUNK_SAMPLES`; 1, 7 and
/// the default) and the thread count change no byte of the `--output` file, the JSON report, the
/// table or the notes, and the values are those of the run that held the whole batch.
@Suite struct StreamingRunTests {
    /// Every file and stream a run produces, for comparing runs byte for byte.
    private struct Outcome: Equatable {
        var status: Int32
        var stdout: String
        var stderr: String
        var output: Data?
        var report: Data?
        var trace: Data?
    }

    private func run(_ arguments: [String], chunk: Int?, threads: Int = 2, trace: Bool = false) throws -> Outcome {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("y.npy")
        let report = directory.appendingPathComponent("r.json")
        let tracePath = directory.appendingPathComponent("t.trace.gz")
        var all = arguments + ["--output", output.path, "--report", report.path, "--threads", String(threads)]
        if trace { all += ["--trace", tracePath.path] }
        let result = try CLI.run(
            all, environment: chunk.map { [ModelInputs.chunkSamplesVariable: String($0)] } ?? [:])
        return Outcome(
            status: result.status, stdout: result.stdout, stderr: result.stderr,
            output: try? Data(contentsOf: output), report: try? Data(contentsOf: report),
            trace: try? Data(contentsOf: tracePath))
    }

    @Test func generatedBatchGivesTheSameBytesWhateverTheChunkSizeAndThreads() throws {
        let arguments = ["--hw", "8x8", "Models/digits.q", "--batch", "100", "--seed", "3"]
        let whole = try run(arguments, chunk: nil, threads: 1)
        #expect(whole.status == 0, "\(whole.stderr)")
        // The CRC-32 the run printed before it ran in chunks (the whole batch in memory).
        #expect(whole.stdout.contains("output    logits int8[100,10] crc32 a6950288\n"))
        #expect(whole.output?.count == 128 + 1_000)
        for (chunk, threads) in [(1, 2), (7, 1), (7, 2), (100, 2)] {
            #expect(
                try run(arguments, chunk: chunk, threads: threads) == whole, "chunks of \(chunk), \(threads) threads")
        }
    }

    @Test func npyInputInChunksEqualsTheWholeArrayResult() throws {
        let arguments = [
            "--hw", "8x8", "Models/digits.q", "--input", "Models/digits_test_x.npy", "--labels",
            "Models/digits_test_y.npy",
        ]
        let whole = try run(arguments, chunk: nil)  // 360 samples: one chunk
        #expect(whole.status == 0, "\(whole.stderr)")
        let expected = try Data(contentsOf: CLI.root.appendingPathComponent("Models/digits_expected_logits.npy"))
        #expect(whole.output == expected)
        #expect(whole.stdout.contains("top-1     348/360 = 96.67%\n"))
        #expect(whole.stdout.contains("crc32 58081c3f\n"))
        for chunk in [1, 7, 359] {
            #expect(try run(arguments, chunk: chunk) == whole, "chunks of \(chunk)")
        }
    }

    /// The traced sample is cut from the chunk that holds it; the adapted-requantizer notes add up
    /// over the chunks.
    @Test func traceAndAdaptationNotesDoNotDependOnTheChunkSize() throws {
        let arguments = [
            "--hw", "8x8", "--set", "requantizer.multiplier_bits=16", "--adapt-requant", "Models/digits.q", "--input",
            "Models/digits_test_x.npy", "--labels", "Models/digits_test_y.npy", "--trace-sample", "9", "--trace-level",
            "layer",
        ]
        let whole = try run(arguments, chunk: nil, trace: true)
        #expect(whole.status == 0, "\(whole.stderr)")
        #expect(whole.stderr.contains("--adapt-requant: 1320 of 3600 model outputs differ"))
        #expect((whole.trace?.count ?? 0) > 100)
        // The trace note names the temporary path and the time taken: the other lines must match.
        func withoutTraceNote(_ outcome: Outcome) -> Outcome {
            var copy = outcome
            copy.stderr = outcome.stderr.split(separator: "\n").filter { !$0.hasPrefix("accsim: trace ") }
                .joined(separator: "\n")
            return copy
        }
        let chunked = try run(arguments, chunk: 7, trace: true)
        #expect(withoutTraceNote(chunked) == withoutTraceNote(whole))
        #expect(chunked.stderr.contains("accsim: trace ") && chunked.stderr.contains("(layer): 10 events in 1 chunks"))
        let outside = try run(arguments.dropLast(4) + ["--trace-sample", "360"], chunk: 7, trace: true)
        #expect(outside.status == 2)
        #expect(outside.stderr.contains("sample 360 is outside the batch of 360 samples"))
        #expect(outside.output == nil && outside.trace == nil)
    }

    /// The memory limit bounds a chunk, not the batch: 10,000 digits samples (2.8 MiB of inputs
    /// and outputs) run under a 1 MiB limit, in chunks of 3,542, to the same bytes.
    @Test func memoryLimitBoundsTheChunkNotTheBatch() throws {
        let arguments = ["--hw", "8x8", "Models/digits.q", "--batch", "10000", "--format", "csv"]
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let limited = try CLI.run(
            arguments + ["--output", directory.appendingPathComponent("a.npy").path],
            environment: [ModelInputs.batchMemoryVariable: "1"])
        #expect(limited.status == 0, "\(limited.stderr)")
        let free = try CLI.run(arguments + ["--output", directory.appendingPathComponent("b.npy").path])
        #expect(free.stdout == limited.stdout)
        #expect(
            try Data(contentsOf: directory.appendingPathComponent("a.npy"))
                == Data(contentsOf: directory.appendingPathComponent("b.npy")))
    }
}
