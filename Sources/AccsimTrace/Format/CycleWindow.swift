/// A window of global cycles `[from, to)`, as `--trace-cycles FROM:TO` gives it; either end may be
/// open (`1000:`, `:5000`).
public struct CycleWindow: Sendable, Hashable, Codable, CustomStringConvertible {
    /// First cycle inside the window.
    public var from: Int
    /// First cycle after the window (nil: no end).
    public var to: Int?

    /// The window `[from, to)`.
    public init(from: Int = 0, to: Int? = nil) {
        self.from = from
        self.to = to
    }

    /// Parses `FROM:TO`, `FROM:` or `:TO` (decimal, `FROM < TO`).
    public init(parsing text: String) throws(TraceError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw TraceError(.usage, "cycle window '\(text)' is not FROM:TO") }
        let fromText = parts[0].trimmingSpaces
        let toText = parts[1].trimmingSpaces
        guard let from = fromText.isEmpty ? 0 : Int(fromText), from >= 0 else {
            throw TraceError(.usage, "cycle window '\(text)': '\(fromText)' is not a cycle")
        }
        var to: Int?
        if !toText.isEmpty {
            guard let end = Int(toText), end > from else {
                throw TraceError(.usage, "cycle window '\(text)': the end must be a cycle after \(from)")
            }
            to = end
        }
        self.init(from: from, to: to)
    }

    /// Everything.
    public static let all = CycleWindow()

    /// Whether `cycle` lies in the window.
    @inline(__always)
    public func contains(_ cycle: Int) -> Bool {
        cycle >= from && (to.map { cycle < $0 } ?? true)
    }

    /// Whether the span `[start, end)` meets the window.
    public func overlaps(start: Int, end: Int) -> Bool {
        end > from && (to.map { start < $0 } ?? true)
    }

    /// `FROM:TO` (`FROM:` without an end).
    public var description: String { "\(from):\(to.map(String.init) ?? "")" }
}
