/// Counts over a whole trace: records and bytes by kind, chunks, compression, cycle span, and the
/// bytes per traced MAC.
public struct TraceStats: Sendable {
    /// Per record kind.
    public struct KindStats: Sendable, Hashable {
        /// Records of the kind.
        public var records = 0
        /// Encoded bytes (uncompressed).
        public var bytes = 0
    }

    /// The file header.
    public var header: TraceHeader
    /// Record chunks.
    public var chunks = 0
    /// Records read.
    public var records = 0
    /// Records and bytes per kind.
    public var byKind: [TraceRecord.Kind: KindStats] = [:]
    /// Bytes of the file.
    public var compressedBytes = 0
    /// Bytes of the record payloads (uncompressed, framing excluded).
    public var payloadBytes = 0
    /// The smallest record cycle.
    public var firstCycle: Int?
    /// The largest record cycle.
    public var lastCycle: Int?
    /// MACs of the layers traced at the trace's level: from layer-end counters, or, at the cycle
    /// level, the MACs of the traced folds.
    public var tracedMACs = 0
    /// The error that stopped reading, if the file is damaged (the counts cover the intact part).
    public var error: TraceError?

    /// Reads the whole trace.
    public init(_ reader: TraceReader) {
        header = reader.header
        compressedBytes = reader.compressedBytes
        var layerMACs = 0
        var foldMACs = 0
        do {
            while let chunk = try reader.nextChunk() {
                chunks += 1
                for (record, size) in zip(chunk.records, chunk.recordBytes) {
                    records += 1
                    payloadBytes += size
                    byKind[record.kind, default: KindStats()].records += 1
                    byKind[record.kind, default: KindStats()].bytes += size
                    let cycle = record.cycle
                    firstCycle = min(firstCycle ?? cycle, cycle)
                    lastCycle = max(lastCycle ?? cycle, cycle)
                    switch record {
                    case .layerEnd(let r) where header.level == .layer || header.traces(layer: r.layer):
                        layerMACs += r.counters["macs"] ?? 0
                    case .fold(let r):
                        foldMACs += r.m.count * r.k.count * r.n.count
                    default:
                        break
                    }
                }
            }
        } catch {
            self.error = error
        }
        tracedMACs = header.level == .cycle ? foldMACs : layerMACs
    }

    /// A plain-text report.
    public var text: String {
        var lines: [String] = []
        lines.append(
            "trace     \(header.model.name) on \(header.hardware.name), level \(header.level.rawValue), sample \(header.sample)"
        )
        lines.append(
            "layers    \(header.tracedLayers?.description ?? "all"); cycles \(header.cycleWindow?.description ?? "all")"
        )
        lines.append("records   \(grouped(records)) in \(chunks) chunks")
        let ratio = compressedBytes > 0 ? Double(payloadBytes) / Double(compressedBytes) : 0
        lines.append(
            "bytes     \(grouped(compressedBytes)) compressed, \(grouped(payloadBytes)) record payload (\(fixed(ratio, 2))x)"
        )
        if let firstCycle, let lastCycle { lines.append("cycles    \(firstCycle) … \(lastCycle)") }
        if tracedMACs > 0 {
            lines.append(
                "per MAC   \(fixed(Double(compressedBytes) / Double(tracedMACs), 4)) compressed bytes over \(grouped(tracedMACs)) traced MACs"
            )
        }
        lines.append("")
        lines.append("kind         records        bytes  bytes/record")
        for kind in TraceRecord.Kind.allCases {
            guard let s = byKind[kind] else { continue }
            lines.append(
                pad(kind.rawValue, 11) + lpad(grouped(s.records), 10) + lpad(grouped(s.bytes), 13)
                    + lpad(fixed(Double(s.bytes) / Double(max(1, s.records)), 2), 14))
        }
        if let error {
            lines.append("")
            lines.append("error: \(error)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
    private func lpad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}

/// `1234567` → `1,234,567`.
func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (index, digit) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
        out.append(digit)
    }
    return value < 0 ? "-" + out : out
}

/// `value` with `places` decimals (no Foundation formatting).
func fixed(_ value: Double, _ places: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let whole = Int(scaled / scale)
    let fraction = Int(scaled - Double(whole) * scale)
    var digits = String(fraction)
    digits = String(repeating: "0", count: max(0, places - digits.count)) + digits
    return (value < 0 && scaled > 0 ? "-" : "") + "\(whole)" + (places > 0 ? "." + digits : "")
}
