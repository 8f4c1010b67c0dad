/// A results file as read back: its format, the CSV header, the complete rows, and whether it
/// ended with an incomplete (torn) line.
public struct SweepResultsFile: Sendable {
    /// The format of the file.
    public var format: SweepFormat
    /// The CSV header (nil for JSONL).
    public var header: [String]?
    /// The complete rows, in file order.
    public var records: [SweepRecord]
    /// Bytes up to and including the last complete line: a row written when the process was
    /// interrupted may end the file without its newline, and is dropped.
    public var completeLength: Int
    /// Whether bytes after the last newline were dropped.
    public var hasTornTail: Bool

    /// The ids of the rows.
    public var ids: Set<String> { Set(records.map(\.id)) }

    /// Reads `path` as a results file in `format` (the file's name decides when nil: `.csv` is
    /// CSV), every row into memory. Any line that is not a row of this schema is an error naming
    /// the line. Resume, merge and Pareto stream files instead (``SweepRecordReader``).
    public static func read(path: String, format: SweepFormat? = nil) throws(SweepError) -> SweepResultsFile {
        let reader = try SweepRecordReader(path: path, format: format)
        var records: [SweepRecord] = []
        while let record = try reader.next() { records.append(record) }
        return SweepResultsFile(
            format: reader.format, header: reader.header, records: records, completeLength: reader.completeLength,
            hasTornTail: reader.hasTornTail)
    }

    /// Parses the bytes of a results file; `name` names it in errors.
    public static func parse(_ bytes: [UInt8], format: SweepFormat, name: String) throws(SweepError) -> SweepResultsFile
    {
        let completeLength = (bytes.lastIndex(of: 0x0A) ?? -1) + 1
        let lines = bytes[..<completeLength].split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().map {
            String(decoding: $0, as: UTF8.self)
        }
        var header: [String]?
        var records: [SweepRecord] = []
        for (number, line) in lines.enumerated() {
            let location = "\(name), line \(number + 1)"
            switch format {
            case .jsonl:
                guard !line.isEmpty else { continue }
                records.append(try SweepRecord.parseJSONLine(line, where: location))
            case .csv:
                if let columns = header {
                    guard !line.isEmpty else { continue }
                    records.append(try SweepRecord.parseCSVLine(line, header: columns, where: location))
                } else {
                    guard let columns = SweepCSV.fields(of: line), columns.first == SweepCSV.leadingColumns[0] else {
                        throw SweepError(.file, "\(location): not the header of a sweep CSV file")
                    }
                    header = columns
                }
            }
        }
        return SweepResultsFile(
            format: format, header: header, records: records, completeLength: completeLength,
            hasTornTail: completeLength < bytes.count)
    }
}
