import Foundation

/// Where a sweep's rows go: a results file (created, or resumed into) or standard output. Each
/// row is one `write` of one complete line, so an interrupted sweep leaves whole lines (and at
/// most one torn last line, which resuming drops); ``finish()`` fsyncs a file.
public final class SweepOutput: @unchecked Sendable {
    private let handle: FileHandle
    private let isFile: Bool
    private let format: SweepFormat
    private let header: [String]
    private let lock = NSLock()

    /// The rows already in the file when it was opened (resume), as id → setup hash: those
    /// points are skipped (``SweepRunner/run(shard:done:emit:progress:)``).
    public let done: [String: String]
    /// Rows already in the file when it was opened.
    public let resumedRows: Int

    private init(handle: FileHandle, isFile: Bool, format: SweepFormat, keys: [String], done: [String: String], resumedRows: Int) {
        self.handle = handle
        self.isFile = isFile
        self.format = format
        self.header = SweepCSV.header(keys: keys)
        self.done = done
        self.resumedRows = resumedRows
    }

    /// Rows to standard output, with the CSV header first.
    public static func standardOutput(format: SweepFormat, keys: [String]) throws(SweepError) -> SweepOutput {
        let output = SweepOutput(handle: .standardOutput, isFile: false, format: format, keys: keys, done: [:], resumedRows: 0)
        if format == .csv { try output.write(bytes: SweepCSV.headerLine(keys: keys)) }
        return output
    }

    /// Opens `path` for a sweep varying `keys`:
    /// - a missing or empty file is created;
    /// - with `force`, an existing file is replaced;
    /// - otherwise an existing file must be a results file of `format` (for CSV, with this
    ///   sweep's columns): the sweep resumes into it, skipping the ids it holds, after dropping a
    ///   torn last line. Anything else is an error — a user's file is never overwritten without
    ///   `force`.
    public static func open(path: String, format: SweepFormat, keys: [String], force: Bool) throws(SweepError) -> SweepOutput {
        let fileManager = FileManager.default
        var done: [String: String] = [:]
        var resumed = 0
        var keepLength = 0
        if fileManager.fileExists(atPath: path) && !force {
            let existing: SweepResultsFile
            do {
                existing = try SweepResultsFile.read(path: path, format: format)
            } catch {
                throw SweepError(.usage, "\(path) exists and is not a \(format.rawValue) sweep results file (\(error.message)); pass --force to overwrite it")
            }
            if let columns = existing.header, columns != SweepCSV.header(keys: keys) {
                throw SweepError(.usage, "\(path) holds results of a sweep with other columns (\(columns.filter { $0.hasPrefix("values.") }.joined(separator: ", "))); use another --out or pass --force to overwrite it")
            }
            for record in existing.records { done[record.id] = record.setupHash }
            resumed = existing.records.count
            keepLength = existing.completeLength
        } else if !fileManager.createFile(atPath: path, contents: nil) {
            throw SweepError(.file, "\(path): cannot create the file")
        }
        guard let handle = FileHandle(forUpdatingAtPath: path) else {
            throw SweepError(.file, "\(path): cannot open the file for writing")
        }
        do {
            try handle.truncate(atOffset: UInt64(keepLength))
            try handle.seekToEnd()
        } catch {
            throw SweepError(.file, "\(path): \(error.localizedDescription)")
        }
        let output = SweepOutput(handle: handle, isFile: true, format: format, keys: keys, done: done, resumedRows: resumed)
        if keepLength == 0 && format == .csv { try output.write(bytes: SweepCSV.headerLine(keys: keys)) }
        return output
    }

    /// Appends `row` as one line, in one write.
    public func write(_ row: SweepRow) throws(SweepError) {
        try write(bytes: format == .csv ? SweepCSV.line(row, header: header) : row.jsonLine())
    }

    /// Flushes a file to stable storage (fsync) and closes it.
    public func finish() throws(SweepError) {
        guard isFile else { return }
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            throw SweepError(.file, "cannot finish the results file: \(error.localizedDescription)")
        }
    }

    private func write(bytes: [UInt8]) throws(SweepError) {
        lock.lock()
        defer { lock.unlock() }
        do {
            try handle.write(contentsOf: Data(bytes))
        } catch {
            throw SweepError(.file, "cannot write a row: \(error.localizedDescription)")
        }
    }
}
