/// Combines the outputs of a sweep's shards (or of several runs) into one file's worth of rows:
/// every row once, in grid order (by `index`, then `id`).
///
/// All inputs must have the same format (and for CSV the same header). A row that appears in
/// several inputs is kept once if the copies are identical; copies that differ are an error, and
/// so is an input that ends in a torn line (an interrupted shard: resume it first).
public enum SweepMerge {
    /// The merged result.
    public struct Result: Sendable {
        /// The format of the inputs.
        public var format: SweepFormat
        /// The CSV header, for CSV inputs.
        public var header: [String]?
        /// The rows, in grid order.
        public var records: [SweepRecord]
        /// Rows that appeared in more than one input (kept once).
        public var duplicates: Int

        /// The merged file's bytes.
        public var bytes: [UInt8] {
            var text = ""
            if let header { text += header.map(SweepCSV.quote).joined(separator: ",") + "\n" }
            for record in records { text += record.line + "\n" }
            return Array(text.utf8)
        }
    }

    /// Merges `files` (paths; their format is taken from the first file's name unless `format`
    /// is given).
    public static func merge(files: [String], format: SweepFormat? = nil) throws(SweepError) -> Result {
        guard let first = files.first else { throw SweepError("sweep merge: no input files") }
        let format = format ?? SweepFormat.guess(path: first)
        var inputs: [(String, SweepResultsFile)] = []
        for path in files {
            inputs.append((path, try SweepResultsFile.read(path: path, format: format)))
        }
        return try merge(inputs)
    }

    /// Merges parsed files, each with its name.
    public static func merge(_ inputs: [(name: String, file: SweepResultsFile)]) throws(SweepError) -> Result {
        guard let format = inputs.first?.file.format else { throw SweepError("sweep merge: no input files") }
        var header: [String]?
        var byID: [String: (SweepRecord, String)] = [:]
        var duplicates = 0
        for (name, file) in inputs {
            guard file.format == format else {
                throw SweepError("\(name): \(file.format.rawValue), but the other inputs are \(format.rawValue)")
            }
            if file.hasTornTail {
                throw SweepError(
                    .file,
                    "\(name) ends with an incomplete row (an interrupted run?): resume it with the same --out first")
            }
            if let columns = file.header {
                if let header, header != columns {
                    throw SweepError("\(name): its CSV columns differ from the other inputs'")
                }
                header = columns
            }
            for record in file.records {
                if let (existing, source) = byID[record.id] {
                    guard existing.fields == record.fields else {
                        throw SweepError("point \(record.id) differs between \(source) and \(name)")
                    }
                    duplicates += 1
                } else {
                    byID[record.id] = (record, name)
                }
            }
        }
        let records = byID.values.map(\.0).sorted { a, b in
            (a.index ?? Int.max, a.id) < (b.index ?? Int.max, b.id)
        }
        return Result(format: format, header: format == .csv ? header : nil, records: records, duplicates: duplicates)
    }
}
