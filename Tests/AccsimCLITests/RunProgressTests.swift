import AccsimCLI
import AccsimTestSupport
import Foundation
import Synchronization
import Testing

@Suite struct RunProgressTests {
    @Test func lineCountsLayersSamplesAndTimeLeft() {
        #expect(
            RunProgress.line(done: 1_240, total: 3_100, layers: 31, elapsed: 2)
                == "run: 1,240/3,100 layers (40.0%), 40/100 samples, ETA 3s")
        #expect(RunProgress.line(done: 31, total: 31, layers: 31, elapsed: 2) == "run: 31/31 layers (100.0%)")
        #expect(
            RunProgress.line(done: 10, total: 31, layers: 31, elapsed: 60) == "run: 10/31 layers (32.3%), ETA 2m06s")
    }

    @Test func drawsNothingInTheFirstHalfSecondThenAtMostFiveTimesASecond() {
        let now = Mutex(Date(timeIntervalSince1970: 0))
        let written = Mutex<[String]>([])
        let write: @Sendable (String) -> Void = { text in written.withLock { $0.append(text) } }
        let progress = RunProgress(samples: 2, layers: 5, clock: { now.withLock { $0 } }, write: write)
        func advance(_ seconds: Double) { now.withLock { $0 = $0.addingTimeInterval(seconds) } }
        advance(0.1)
        progress.layerDone()  // 1/10 at 0.1 s: too early
        advance(0.5)
        progress.layerDone()  // 2/10 at 0.6 s: drawn
        advance(0.1)
        progress.layerDone()  // 3/10 at 0.7 s: within 0.2 s of the last line
        advance(0.2)
        progress.layerDone()  // 4/10 at 0.9 s: drawn
        for _ in 4..<10 { progress.layerDone() }  // the last one is always drawn
        progress.finish()
        #expect(
            written.withLock { $0 } == [
                "\r\u{1B}[Krun: 2/10 layers (20.0%), 0/2 samples, ETA 3s",
                "\r\u{1B}[Krun: 4/10 layers (40.0%), 0/2 samples, ETA 2s",
                "\r\u{1B}[Krun: 10/10 layers (100.0%), 2/2 samples",
                "\r\u{1B}[K",
            ])
    }

    @Test func noProgressWhenStderrIsNotATerminal() throws {
        // The test harness reads stderr through a pipe: no progress line, no control characters.
        let result = try CLI.run(RunCommandTests.example)
        #expect(result.status == 0)
        #expect(!result.stderr.contains("\r") && !result.stderr.contains("\u{1B}"))
    }
}
