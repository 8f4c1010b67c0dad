/// The rows of a results file, one at a time, in constant memory (``SweepLineReader``): resume,
/// merge and Pareto read files of millions of rows through it. Any line that is not a row of the
/// schema is an error naming the file and line; a torn last line is not returned but reported by
/// ``hasTornTail`` once the reader is at the end.
public final class SweepRecordReader {
    /// The file's format.
    public let format: SweepFormat
    /// The CSV header (nil for JSONL).
    public let header: [String]?
    private let lines: SweepLineReader
    private let name: String

    /// Opens `path` as a results file in `format` (from the file's name when nil: `.csv` is CSV)
    /// and, for CSV, reads its header. An empty file has no header and no rows.
    public init(path: String, format: SweepFormat? = nil) throws(SweepError) {
        self.format = format ?? SweepFormat.guess(path: path)
        name = path
        lines = try SweepLineReader(path: path)
        var header: [String]?
        if self.format == .csv, let line = try lines.next() {
            let text = String(decoding: line, as: UTF8.self)
            guard let columns = SweepCSV.fields(of: text), columns.first == SweepCSV.leadingColumns[0] else {
                throw SweepError(.file, "\(path), line 1: not the header of a sweep CSV file")
            }
            header = columns
        }
        self.header = header
    }

    /// The next row, or nil at the end of the complete lines.
    public func next() throws(SweepError) -> SweepRecord? {
        while let bytes = try lines.next() {
            guard !bytes.isEmpty else { continue }
            let line = String(decoding: bytes, as: UTF8.self)
            let location = "\(name), line \(lines.lineNumber)"
            if let header {
                return try SweepRecord.parseCSVLine(line, header: header, where: location)
            }
            guard format == .jsonl else {
                // A CSV file whose first line was its only line: no header to read rows under.
                throw SweepError(.file, "\(location): a CSV row before the header")
            }
            return try SweepRecord.parseJSONLine(line, where: location)
        }
        return nil
    }

    /// Bytes up to and including the last complete line read so far.
    public var completeLength: Int { lines.completeLength }
    /// At the end: whether the file ends with bytes after its last newline (a torn row).
    public var hasTornTail: Bool { lines.tornTail > 0 }
}
