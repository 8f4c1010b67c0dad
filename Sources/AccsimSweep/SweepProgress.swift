import Foundation

/// The progress line of a long sweep (`accsim sweep` shows it on a terminal's stderr): points
/// finished, the rate and the estimated time left, redrawn in place at most a few times a second.
public final class SweepProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let start: Date
    private let interval: TimeInterval
    private let write: @Sendable (String) -> Void
    private var lastDraw: Date?
    private var drewLine = false

    /// A progress line drawn through `write`, at most once per `interval` seconds.
    public init(interval: TimeInterval = 0.2, write: @escaping @Sendable (String) -> Void) {
        self.start = Date()
        self.interval = interval
        self.write = write
    }

    /// Reports `done` of `total` points finished.
    public func update(done: Int, total: Int) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        if done < total, let lastDraw, now.timeIntervalSince(lastDraw) < interval { return }
        lastDraw = now
        drewLine = true
        write("\r\u{1B}[K" + Self.line(done: done, total: total, elapsed: now.timeIntervalSince(start)))
    }

    /// Ends the line (if one was drawn).
    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drewLine { write("\n") }
        drewLine = false
    }

    /// `sweep: 120/200 points (60.0%), 35.2 points/s, ETA 2s`.
    public static func line(done: Int, total: Int, elapsed: TimeInterval) -> String {
        let percent = total == 0 ? 100 : Double(done) * 100 / Double(total)
        var text = "sweep: \(done)/\(total) points (\(String(format: "%.1f", percent))%)"
        guard elapsed > 0, done > 0 else { return text }
        let rate = Double(done) / elapsed
        text += ", \(String(format: rate >= 100 ? "%.0f" : "%.1f", rate)) points/s"
        if done < total { text += ", ETA \(duration(Double(total - done) / rate))" }
        return text
    }

    /// `42s`, `3m05s`, `2h07m`.
    public static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return "\(whole / 60)m\(String(format: "%02d", whole % 60))s" }
        return "\(whole / 3600)h\(String(format: "%02d", whole / 60 % 60))m"
    }
}
