import AccsimReport
import AccsimSweep
import Foundation

/// The progress line of `accsim run` on a terminal: layers computed over all samples, the samples
/// finished, and the time left, redrawn in place at most every `interval` seconds. Nothing is drawn
/// before `delay` seconds have passed, so a quick run prints nothing. The caller decides whether
/// stderr is a terminal; a pipe or a file never gets this line.
public final class RunProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private let layers: Int
    private let delay: TimeInterval
    private let interval: TimeInterval
    private let clock: @Sendable () -> Date
    private let start: Date
    private let write: @Sendable (String) -> Void
    private var done = 0
    private var lastDraw: Date?

    /// Progress over `samples` samples of `layers` layers each.
    public init(
        samples: Int, layers: Int, delay: TimeInterval = 0.5, interval: TimeInterval = 0.2,
        clock: @escaping @Sendable () -> Date = { Date() }, write: @escaping @Sendable (String) -> Void
    ) {
        self.total = max(1, samples * layers)
        self.layers = max(1, layers)
        self.delay = delay
        self.interval = interval
        self.clock = clock
        self.start = clock()
        self.write = write
    }

    /// One layer of one sample finished (thread-safe).
    public func layerDone() {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        let now = clock()
        let elapsed = now.timeIntervalSince(start)
        guard elapsed >= delay else { return }
        if let lastDraw, now.timeIntervalSince(lastDraw) < interval, done < total { return }
        lastDraw = now
        write("\r\u{1B}[K" + Self.line(done: done, total: total, layers: layers, elapsed: elapsed))
    }

    /// Ends the line, if one was drawn.
    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        if lastDraw != nil { write("\r\u{1B}[K") }
        lastDraw = nil
    }

    /// `run: 1,240/3,100 layers (40.0%), 40/100 samples, ETA 3s`.
    public static func line(done: Int, total: Int, layers: Int, elapsed: TimeInterval) -> String {
        let percent = Double(done) * 100 / Double(max(total, 1))
        let samples = total / max(layers, 1)
        var text = "run: \(groupedDigits(done))/\(groupedDigits(total)) layers (\(String(format: "%.1f", percent))%)"
        if samples > 1 { text += ", \(groupedDigits(done / layers))/\(groupedDigits(samples)) samples" }
        if done > 0 && done < total && elapsed > 0 {
            let left = elapsed / Double(done) * Double(total - done)
            text += ", ETA \(SweepProgress.duration(left))"
        }
        return text
    }
}
