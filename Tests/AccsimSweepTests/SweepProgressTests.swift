import AccsimSweep
import Foundation
import Synchronization
import Testing

@Suite("Sweep progress: a redrawn line on a terminal, plain lines in a log")
struct SweepProgressTests {
    /// A clock the test moves by hand, and everything the display wrote.
    final class Recorder: Sendable {
        let now = Mutex(Date(timeIntervalSince1970: 1_000))
        let written = Mutex<[String]>([])
        func advance(_ seconds: TimeInterval) { now.withLock { $0 += seconds } }
        func progress(_ style: SweepProgress.Style, interval: TimeInterval, alreadyDone: Int = 0) -> SweepProgress {
            SweepProgress(
                style: style, interval: interval, alreadyDone: alreadyDone, clock: { self.now.withLock { $0 } },
                write: { text in self.written.withLock { $0.append(text) } }
            )
        }
    }

    @Test func logLinesArePlainAndRateLimited() {
        let recorder = Recorder()
        let progress = recorder.progress(.lines, interval: 10)
        for done in 1...100 {
            recorder.advance(0.5)  // 2 points/s: a line after 10 s, 20 s, …, and the last point
            progress.update(done: done, total: 100)
        }
        progress.finish()
        let lines = recorder.written.withLock { $0 }
        #expect(
            lines == [
                "sweep: 1/100 points (1.0%), 2.0 points/s, ETA 50s\n",
                "sweep: 21/100 points (21.0%), 2.0 points/s, ETA 40s\n",
                "sweep: 41/100 points (41.0%), 2.0 points/s, ETA 30s\n",
                "sweep: 61/100 points (61.0%), 2.0 points/s, ETA 20s\n",
                "sweep: 81/100 points (81.0%), 2.0 points/s, ETA 10s\n",
                "sweep: 100/100 points (100.0%), 2.0 points/s\n",
            ])
        let control = lines.joined().unicodeScalars.filter { $0.value < 0x20 && $0 != "\n" || $0.value == 0x7F }
        #expect(control.isEmpty)
    }

    @Test func terminalLineIsRedrawnInPlace() {
        let recorder = Recorder()
        let progress = recorder.progress(.terminal, interval: 0.2)
        recorder.advance(1)
        progress.update(done: 5, total: 10)
        recorder.advance(0.1)
        progress.update(done: 6, total: 10)  // within the interval: not drawn
        recorder.advance(1)
        progress.update(done: 10, total: 10)
        progress.finish()
        #expect(
            recorder.written.withLock { $0 } == [
                "\r\u{1B}[Ksweep: 5/10 points (50.0%), 5.0 points/s, ETA 1s",
                "\r\u{1B}[Ksweep: 10/10 points (100.0%), 4.8 points/s",
                "\n",
            ])
    }

    @Test func resumedPointsCountTowardsTheTotalButNotTheRate() {
        #expect(
            SweepProgress.line(done: 900, total: 1000, elapsed: 10, alreadyDone: 800)
                == "sweep: 900/1000 points (90.0%), 10.0 points/s, ETA 10s")
        #expect(
            SweepProgress.line(done: 800, total: 1000, elapsed: 3, alreadyDone: 800) == "sweep: 800/1000 points (80.0%)"
        )
    }
}
