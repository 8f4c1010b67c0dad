/// The output formats of a sweep.
public enum SweepFormat: String, Sendable, Hashable, CaseIterable {
    /// One compact JSON object per line (the canonical format).
    case jsonl
    /// A header line, then one comma-separated row per point (RFC 4180 quoting).
    case csv

    /// The format a file name suggests: `.csv` is CSV, anything else JSONL.
    public static func guess(path: String) -> SweepFormat {
        path.lowercased().hasSuffix(".csv") ? .csv : .jsonl
    }
}
