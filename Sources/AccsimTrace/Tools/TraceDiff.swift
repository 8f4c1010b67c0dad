/// How ``TraceDiff`` compares two events.
public enum TraceDiffMode: Sendable, Hashable, CustomStringConvertible {
    /// Every field, cycles included.
    case exact
    /// Everything but timing (``TraceRecord/timingFields``): the same events in the same order.
    case orderOnly
    /// Timing fields may differ by at most the given number of cycles; everything else exactly.
    case cycleTolerance(Int)

    /// The mode as the diff report names it.
    public var description: String {
        switch self {
        case .exact: "exact"
        case .orderOnly: "order-only"
        case .cycleTolerance(let n): "cycle tolerance \(n)"
        }
    }
}

/// The first place two traces disagree.
public struct TraceDivergence: Sendable {
    /// 0-based position of the event in both files.
    public var index: Int
    /// The event of the first trace there (nil: it ended).
    public var a: TraceRecord?
    /// The event of the second trace there (nil: it ended).
    public var b: TraceRecord?
    /// What differs, in words.
    public var reason: String
    /// The equal events just before, oldest first, with their positions.
    public var context: [(index: Int, record: TraceRecord)]
}

/// The outcome of comparing two traces.
public struct TraceDiffResult: Sendable {
    /// Header fields that differ (informational: traces of different configs can still be compared).
    public var headerDifferences: [String]
    /// Events compared before the divergence (or in all).
    public var eventsCompared: Int
    /// The first divergence, nil when the event streams agree.
    public var divergence: TraceDivergence?
    /// A read error in either file that ended the comparison (the events before it were compared).
    public var error: TraceError?

    /// Whether the traces agree (no divergence and no read error).
    public var isSame: Bool { divergence == nil && error == nil }

    /// A report for people: header differences, then the divergence with context.
    public func text(nameA: String, nameB: String, mode: TraceDiffMode) -> String {
        var lines: [String] = []
        for difference in headerDifferences { lines.append("header: \(difference)") }
        if let divergence {
            lines.append("first divergence at event \(divergence.index) (\(mode)): \(divergence.reason)")
            for (index, record) in divergence.context { lines.append("  \(index): \(record.textLine)") }
            lines.append("- \(nameA) \(divergence.index): \(divergence.a?.textLine ?? "<end of trace>")")
            lines.append("+ \(nameB) \(divergence.index): \(divergence.b?.textLine ?? "<end of trace>")")
        } else if error == nil {
            lines.append("no divergence in \(eventsCompared) events (\(mode))")
        }
        if let error { lines.append("error: \(error)") }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Finds the first event where two traces disagree, streaming both files chunk by chunk.
public enum TraceDiff {
    /// Compares `a` and `b` in `mode`, keeping `context` equal events before the divergence.
    public static func diff(_ a: TraceReader, _ b: TraceReader, mode: TraceDiffMode, context: Int = 3)
        -> TraceDiffResult
    {
        var result = TraceDiffResult(headerDifferences: headerDifferences(a.header, b.header), eventsCompared: 0)
        var streamA = RecordStream(reader: a)
        var streamB = RecordStream(reader: b)
        var recent: [(index: Int, record: TraceRecord)] = []
        var index = 0
        while true {
            let left: TraceRecord?
            let right: TraceRecord?
            do {
                left = try streamA.next()
                right = try streamB.next()
            } catch {
                result.error = error
                break
            }
            if left == nil && right == nil { break }
            if let reason = difference(left, right, mode: mode) {
                result.divergence = TraceDivergence(index: index, a: left, b: right, reason: reason, context: recent)
                break
            }
            if context > 0, let left {
                recent.append((index, left))
                if recent.count > context { recent.removeFirst() }
            }
            index += 1
            result.eventsCompared = index
        }
        return result
    }

    /// Why `a` and `b` differ in `mode`, or nil when they match.
    public static func difference(_ a: TraceRecord?, _ b: TraceRecord?, mode: TraceDiffMode) -> String? {
        guard let a, let b else { return a == nil ? "the first trace ends here" : "the second trace ends here" }
        switch mode {
        case .exact:
            guard a != b else { return nil }
        case .orderOnly:
            guard a.untimed != b.untimed else { return nil }
        case .cycleTolerance(let tolerance):
            if a.untimed == b.untimed {
                for (fieldA, fieldB) in zip(a.timingFields, b.timingFields)
                where abs(fieldA.value - fieldB.value) > tolerance {
                    return
                        "\(fieldA.name) differs by \(abs(fieldA.value - fieldB.value)) cycles (\(fieldA.value) vs \(fieldB.value)), more than \(tolerance)"
                }
                return nil
            }
        }
        if a.kind != b.kind { return "different kinds of event (\(a.kind.rawValue) vs \(b.kind.rawValue))" }
        let lineA = mode == .exact ? a.textLine : a.untimed.textLine
        let lineB = mode == .exact ? b.textLine : b.untimed.textLine
        let tokensA = lineA.split(separator: " ")
        let tokensB = lineB.split(separator: " ")
        for (position, (tokenA, tokenB)) in zip(tokensA, tokensB).enumerated() where tokenA != tokenB {
            return position == 0 ? "cycle \(tokenA) vs \(tokenB)" : "\(tokenA) vs \(tokenB)"
        }
        return "the events differ"
    }

    /// Human-readable differences between two headers.
    public static func headerDifferences(_ a: TraceHeader, _ b: TraceHeader) -> [String] {
        var differences: [String] = []
        func check(_ name: String, _ x: String, _ y: String) {
            if x != y { differences.append("\(name) \(x) vs \(y)") }
        }
        check("format_version", "\(a.formatVersion)", "\(b.formatVersion)")
        check("accsim_version", a.accsimVersion, b.accsimVersion)
        check("level", a.level.rawValue, b.level.rawValue)
        check("traced_layers", a.tracedLayers?.description ?? "all", b.tracedLayers?.description ?? "all")
        check("cycle_window", a.cycleWindow?.description ?? "all", b.cycleWindow?.description ?? "all")
        check("sample", "\(a.sample)", "\(b.sample)")
        check("model hash", a.model.hash, b.model.hash)
        check("hardware hash", a.hardware.hash, b.hardware.hash)
        return differences
    }
}

/// Records of a reader one at a time.
private struct RecordStream {
    let reader: TraceReader
    var buffer: [TraceRecord] = []
    var position = 0

    init(reader: TraceReader) {
        self.reader = reader
    }

    mutating func next() throws(TraceError) -> TraceRecord? {
        while position >= buffer.count {
            guard let chunk = try reader.nextChunk() else { return nil }
            buffer = chunk.records
            position = 0
        }
        defer { position += 1 }
        return buffer[position]
    }
}
