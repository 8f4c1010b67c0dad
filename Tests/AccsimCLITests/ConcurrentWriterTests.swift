import AccsimJSON
import AccsimTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Two writers of one sweep `--out` (issue 19, item 6): the second refuses with a clear message
/// instead of interleaving lines, and leaves the file as the first one writes it.
@Suite struct ConcurrentWriterTests {
    static let longGrid = [
        "sweep", "--hw", "16x16-ws", "Models/digits.q", "--vary", "array.rows=4:400:+1", "--vary",
        "array.cols=4:64:+4", "--jobs", "1", "--progress", "none",
    ]

    private func refusal(_ path: String) -> String {
        "accsim: error: \(path) is being written by another accsim sweep (it holds the file's lock); "
            + "wait for it to finish or use another --out\n"
    }

    /// Another holder of the lock (here the test itself): the sweep refuses and writes nothing.
    @Test func sweepRefusesAFileLockedByAnotherWriter() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("r.jsonl").path
        let descriptor = open(out, O_RDWR | O_CREAT, 0o644)
        #expect(descriptor >= 0)
        defer { close(descriptor) }
        #expect(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
        let second = try CLI.run(Self.longGrid + ["--out", out])
        #expect(second.status == 2)
        #expect(second.stderr == refusal(out))
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)).isEmpty)
        flock(descriptor, LOCK_UN)
        let after = try CLI.run(["sweep", "--hw", "8x8", "Models/digits.q", "--vary", "array.rows=4,8", "--out", out])
        #expect(after.status == 0, "\(after.stderr)")  // the lock goes with its holder
    }

    /// Two accsim processes: the second starts while the first is writing rows, refuses, and the
    /// first one's rows stay whole lines.
    @Test func secondSweepProcessRefusesWhileTheFirstWrites() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("r.jsonl").path
        let first = Process()
        first.executableURL = CLI.executable
        first.arguments = Self.longGrid + ["--out", out]
        first.currentDirectoryURL = CLI.root
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        defer {
            if first.isRunning { first.terminate() }
            first.waitUntilExit()
        }
        let deadline = Date().addingTimeInterval(60)
        while first.isRunning && Date() < deadline
            && ((try? Data(contentsOf: URL(fileURLWithPath: out)))?.isEmpty ?? true)
        {
            usleep(10_000)
        }
        #expect(first.isRunning, "the first sweep ended before the second could start")
        let second = try CLI.run(Self.longGrid + ["--out", out])
        #expect(second.status == 2)
        #expect(second.stderr == refusal(out))
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let text = try String(contentsOfFile: out, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(!lines.isEmpty)
        for line in lines.dropLast() {  // a SIGKILL may tear the last line only (resume drops it)
            #expect(try JSONParser().parse(String(line))["id"]?.stringValue?.count == 16)
        }
    }
}
