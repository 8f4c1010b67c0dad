import AccsimExecution
import AccsimTrace

/// What one traced run wrote, and how fast.
public struct TraceRunSummary: Sendable, Hashable, CustomStringConvertible {
    /// Where (nil: memory).
    public var path: String?
    /// The trace level.
    public var level: TraceLevel
    /// Records (events) written.
    public var records: Int
    /// Record chunks written.
    public var chunks: Int
    /// Bytes before compression (the whole uncompressed stream).
    public var uncompressedBytes: Int
    /// Bytes of the file.
    public var compressedBytes: Int
    /// MACs covered: of the traced layers, or at the cycle level of the traced folds.
    public var tracedMACs: Int
    /// Wall-clock seconds of the traced pass (simulating the sample, recording, compressing).
    public var seconds: Double
    /// The file's bytes, when written to memory.
    public var bytes: [UInt8]?

    /// `trace out.trace.gz (cycle): 1,234 events, 5.6 MB → 1.2 MB in 0.31 s (…)`.
    public var description: String {
        func megabytes(_ bytes: Int) -> String { decimal(Double(bytes) / 1e6, 2) + " MB" }
        let rate = seconds > 0 ? Double(records) / seconds : 0
        var text = "trace \(path ?? "<memory>") (\(level.rawValue)): \(records) events in \(chunks) chunks, "
        text += "\(megabytes(uncompressedBytes)) → \(megabytes(compressedBytes)) in \(decimal(seconds, 3)) s"
        text += " (\(decimal(rate / 1e6, 2)) M events/s"
        if tracedMACs > 0 { text += ", \(decimal(Double(compressedBytes) / Double(tracedMACs), 4)) B per traced MAC" }
        return text + ")"
    }
}

/// `value` with `places` decimals.
func decimal(_ value: Double, _ places: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let whole = Int(scaled / scale)
    let fraction = String(Int(scaled - Double(whole) * scale))
    return (value < 0 && scaled > 0 ? "-" : "") + "\(whole)"
        + (places > 0 ? "." + String(repeating: "0", count: places - fraction.count) + fraction : "")
}
