import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a sweep's rows go: a results file (created, or resumed into) or standard output. Each
/// row is one `write` of one complete line, so an interrupted sweep leaves whole lines (and at
/// most one torn last line, which resuming drops); ``finish()`` fsyncs a file.
public final class SweepOutput: @unchecked Sendable {
    private let handle: FileHandle
    private let isFile: Bool
    private let format: SweepFormat
    private let header: [String]
    private let lock = NSLock()

    /// How many of the shard's points, from its first in grid order, the file already holds as
    /// its first rows (resume without remembering them: ``SweepRunner`` starts after them).
    public let doneSlots: Int
    /// The other rows already in the file when it was opened, as id → setup hash: those points
    /// are skipped too (``SweepRunner/run(shard:startSlot:done:emit:progress:)``).
    public let done: [String: String]
    /// Rows already in the file when it was opened.
    public let resumedRows: Int

    private init(
        handle: FileHandle, isFile: Bool, format: SweepFormat, keys: [String], doneSlots: Int = 0,
        done: [String: String] = [:], resumedRows: Int = 0
    ) {
        self.handle = handle
        self.isFile = isFile
        self.format = format
        self.header = SweepCSV.header(keys: keys)
        self.doneSlots = doneSlots
        self.done = done
        self.resumedRows = resumedRows
    }

    /// Rows to standard output, with the CSV header first.
    public static func standardOutput(format: SweepFormat, keys: [String]) throws(SweepError) -> SweepOutput {
        let output = SweepOutput(handle: .standardOutput, isFile: false, format: format, keys: keys)
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
    ///
    /// The file is read row by row, in constant memory. `prefix` (``SweepRunner/prefixCheck(shard:)``)
    /// says whether a row is exactly the shard's `slot`-th point: the file's leading rows for which
    /// it holds are counted in ``doneSlots`` and not remembered; only the rows after them (a file
    /// not written in grid order by this sweep) are kept in ``done``.
    public static func open(
        path: String, format: SweepFormat, keys: [String], force: Bool,
        prefix: (@Sendable (_ slot: Int, _ record: SweepRecord) -> Bool)? = nil
    ) throws(SweepError) -> SweepOutput {
        let fileManager = FileManager.default
        var done: [String: String] = [:]
        var doneSlots = 0
        var resumed = 0
        var keepLength = 0
        let existed = fileManager.fileExists(atPath: path)
        let handle = try lockedHandle(path)
        if existed && !force {
            do throws(SweepError) {
                let reader = try SweepRecordReader(path: path, format: format)
                if let columns = reader.header, columns != SweepCSV.header(keys: keys) {
                    throw SweepError(
                        .usage,
                        "\(path) holds results of a sweep with other columns (\(columns.filter { $0.hasPrefix("values.") }.joined(separator: ", "))); use another --out or pass --force to overwrite it"
                    )
                }
                var inPrefix = prefix != nil
                while let record = try reader.next() {
                    if inPrefix, let prefix, prefix(resumed, record) {
                        doneSlots += 1
                    } else {
                        inPrefix = false
                        done[record.id] = record.setupHash
                    }
                    resumed += 1
                }
                keepLength = reader.completeLength
            } catch  where error.kind != .usage {
                throw SweepError(
                    .usage,
                    "\(path) exists and is not a \(format.rawValue) sweep results file (\(error.message)); pass --force to overwrite it"
                )
            }
        }
        do {
            try handle.truncate(atOffset: UInt64(keepLength))
            try handle.seekToEnd()
        } catch {
            throw SweepError(.file, "\(path): \(error.localizedDescription)")
        }
        let output = SweepOutput(
            handle: handle, isFile: true, format: format, keys: keys, doneSlots: doneSlots, done: done,
            resumedRows: resumed)
        if keepLength == 0 && format == .csv { try output.write(bytes: SweepCSV.headerLine(keys: keys)) }
        return output
    }

    /// `path` opened for reading and writing (created when missing) under an exclusive advisory
    /// lock (`flock`), held until the output is finished or the process ends: a second sweep
    /// writing the same file refuses instead of interleaving lines. The lock is on the file itself,
    /// so no stale lock file is left behind by a killed sweep.
    private static func lockedHandle(_ path: String) throws(SweepError) -> FileHandle {
        let descriptor = openForUpdate(path)
        guard descriptor >= 0 else {
            throw SweepError(.file, "\(path): cannot open the file for writing (\(String(cString: strerror(errno))))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            close(descriptor)
            if reason == EWOULDBLOCK {
                throw SweepError(
                    .usage,
                    "\(path) is being written by another accsim sweep (it holds the file's lock); "
                        + "wait for it to finish or use another --out")
            }
            throw SweepError(.file, "\(path): cannot lock the file (\(String(cString: strerror(reason))))")
        }
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
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

/// `open(2)` for reading and writing, creating the file (at file scope, where `open` is the C call).
private func openForUpdate(_ path: String) -> Int32 {
    open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
}
