import Foundation

/// The progress of a long sweep: points finished, the rate and the estimated time left.
///
/// Two styles: on a terminal one line redrawn in place (carriage return and erase-line) at most
/// a few times a second; in a log (a Slurm task's, or any file) one plain line every few seconds,
/// with no control characters, so `tail -f` and `grep` read it.
public final class SweepProgress: @unchecked Sendable {
    /// How the progress is written.
    public enum Style: String, Sendable, CaseIterable {
        /// One line redrawn in place (for a terminal).
        case terminal
        /// A plain line per report, newline-terminated (for logs).
        case lines
    }

    private let lock = NSLock()
    private let style: Style
    private let clock: @Sendable () -> Date
    private let start: Date
    private let interval: TimeInterval
    private let alreadyDone: Int
    private let write: @Sendable (String) -> Void
    private var lastDraw: Date?
    private var lastDone: Int?
    private var drewLine = false

    /// A progress display through `write`, at most once per `interval` seconds (and always when
    /// the last point finishes). `alreadyDone` points were finished before this run started
    /// (resume): they count towards the total but not towards the rate.
    public init(
        style: Style = .terminal, interval: TimeInterval = 0.2, alreadyDone: Int = 0,
        clock: @escaping @Sendable () -> Date = { Date() }, write: @escaping @Sendable (String) -> Void
    ) {
        self.style = style
        self.clock = clock
        self.start = clock()
        self.interval = interval
        self.alreadyDone = alreadyDone
        self.write = write
    }

    /// Reports `done` of `total` points finished (`done` includes ``alreadyDone``).
    public func update(done: Int, total: Int) {
        lock.lock()
        defer { lock.unlock() }
        let now = clock()
        if done < total, let lastDraw, now.timeIntervalSince(lastDraw) < interval { return }
        if done == lastDone { return }
        lastDraw = now
        lastDone = done
        let text = Self.line(
            done: done, total: total, elapsed: now.timeIntervalSince(start), alreadyDone: alreadyDone)
        switch style {
        case .terminal:
            drewLine = true
            write("\r\u{1B}[K" + text)
        case .lines:
            write(text + "\n")
        }
    }

    /// Ends the redrawn line (if one was drawn).
    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drewLine { write("\n") }
        drewLine = false
    }

    /// `sweep: 120/200 points (60.0%), 35.2 points/s, ETA 2s`; the rate counts the points
    /// finished in this run only (`done − alreadyDone` in `elapsed` seconds).
    public static func line(done: Int, total: Int, elapsed: TimeInterval, alreadyDone: Int = 0) -> String {
        let percent = total == 0 ? 100 : Double(done) * 100 / Double(total)
        var text = "sweep: \(done)/\(total) points (\(String(format: "%.1f", percent))%)"
        guard elapsed > 0, done > alreadyDone else { return text }
        let rate = Double(done - alreadyDone) / elapsed
        text += ", \(String(format: rate >= 100 ? "%.0f" : "%.1f", rate)) points/s"
        if done < total { text += ", ETA \(duration(Double(total - done) / rate))" }
        return text
    }

    /// `42s`, `3m05s`, `2h07m`.
    public static func duration(_ seconds: Double) -> String {
        let whole = Int(min(seconds, 1e12).rounded(.up))
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return "\(whole / 60)m\(String(format: "%02d", whole % 60))s" }
        return "\(whole / 3600)h\(String(format: "%02d", whole / 60 % 60))m"
    }
}
