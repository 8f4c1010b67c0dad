import AccsimChecksum

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why an output file was not written.
public struct OutputFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Hashable {
        /// Something is already at the path and the caller did not allow replacing it (no `--force`).
        case exists
        /// The operating system refused: creating, writing, syncing or moving the file failed.
        case io
    }

    /// What went wrong.
    public var kind: Kind
    /// The file that was to be written.
    public var path: String
    /// For ``Kind/io``: what the operating system said, e.g. "cannot write: No space left on device".
    public var message: String

    /// An error as given.
    public init(_ kind: Kind, path: String, _ message: String = "") {
        self.kind = kind
        self.path = path
        self.message = message
    }

    /// The message the command line prints: names the file, and for an existing one the flag.
    public var description: String {
        switch kind {
        case .exists: "\(path) exists; pass --force to overwrite it"
        case .io: "\(path): \(message)"
        }
    }
}

/// Writing an output file the one way accsim writes them: into a temporary file in the same
/// directory, synced, then moved into place, so a reader never sees a half-written file and a
/// failed write leaves the old file as it was. Without `overwrite`, an existing file (or one that
/// appears while writing) is never replaced.
public enum OutputFile {
    /// Writes `bytes` to `path` atomically; an existing file is replaced only when `overwrite`.
    public static func write(_ bytes: [UInt8], to path: String, overwrite: Bool) throws(OutputFileError) {
        let staged = try StagedOutputFile(path: path, overwrite: overwrite)
        do {
            try staged.write(bytes)
            try staged.commit()
        } catch {
            staged.discard()
            throw error
        }
    }

    /// Whether something exists at `path` (a dangling symbolic link counts).
    public static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    /// Refuses an existing `path` unless `overwrite`: for writers that check before a long job.
    public static func checkWritable(_ path: String, overwrite: Bool) throws(OutputFileError) {
        if !overwrite && exists(path) { throw OutputFileError(.exists, path: path) }
    }
}

/// An output file being written: bytes go to a hidden temporary file next to `path`;
/// ``commit()`` moves it into place, ``discard()`` (or deinit without commit) removes it.
public final class StagedOutputFile {
    /// The file the commit creates or replaces.
    public let path: String
    /// The temporary file the bytes go to until the commit.
    public let temporaryPath: String
    /// The open descriptor of ``temporaryPath`` (closed by ``commit()`` or ``discard()``).
    public let descriptor: Int32
    private let overwrite: Bool
    private var isOpen = true
    private var done = false

    /// Creates the temporary file; fails when `path` exists and not `overwrite`. Temporary files
    /// of `path` that a killed accsim left behind (their process, on this host, no longer exists)
    /// are removed first.
    public init(path: String, overwrite: Bool) throws(OutputFileError) {
        try OutputFile.checkWritable(path, overwrite: overwrite)
        self.path = path
        self.overwrite = overwrite
        Self.removeStale(for: path)
        temporaryPath = Self.temporaryPath(for: path)
        descriptor = posixOpen(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw OutputFileError(.io, path: path, "cannot create a temporary file next to it: \(Self.lastError())")
        }
    }

    deinit {
        if !done { discard() }
    }

    /// Appends `bytes` to the temporary file.
    public func write(_ bytes: [UInt8]) throws(OutputFileError) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                posixWrite(descriptor, buffer.baseAddress.map { $0 + written }, buffer.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw OutputFileError(.io, path: path, "cannot write: \(Self.lastError())")
            }
            written += count
        }
    }

    /// Syncs and closes the temporary file and moves it to ``path``. Without `overwrite` a file
    /// that appeared at ``path`` meanwhile is kept and the commit fails with ``OutputFileError/Kind/exists``.
    public func commit() throws(OutputFileError) {
        precondition(!done, "StagedOutputFile committed or discarded twice")
        let synced = fsync(descriptor) == 0
        let closed = close(descriptor) == 0
        isOpen = false
        guard synced && closed else {
            let message = Self.lastError()
            discard()
            throw OutputFileError(.io, path: path, "cannot write: \(message)")
        }
        defer { done = true }
        if !overwrite {
            // link() fails when the target exists, so a file created meanwhile is never replaced.
            if link(temporaryPath, path) == 0 {
                unlink(temporaryPath)
                return
            }
            if errno == EEXIST || OutputFile.exists(path) {
                unlink(temporaryPath)
                throw OutputFileError(.exists, path: path)
            }
            // Filesystems without hard links: rename below.
        }
        if rename(temporaryPath, path) != 0 {
            let message = Self.lastError()
            unlink(temporaryPath)
            throw OutputFileError(.io, path: path, "cannot move the written file into place: \(message)")
        }
    }

    /// Closes and removes the temporary file; ``path`` is left as it was.
    public func discard() {
        guard !done else { return }
        done = true
        if isOpen {
            close(descriptor)
            isOpen = false
        }
        unlink(temporaryPath)
    }

    /// A unique hidden name in the directory of `path`:
    /// `.NAME.HOST-PID-RANDOM.tmp`, HOST a hash of the host name (so that a cleanup on another
    /// machine sharing the directory, a cluster's file system, never takes it for its own).
    private static func temporaryPath(for path: String) -> String {
        let (directory, name) = split(path)
        return "\(directory)\(prefix(of: name))\(hostTag)-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
    }

    /// The directory part of `path` (with its slash, or empty) and the file name.
    private static func split(_ path: String) -> (directory: String, name: String) {
        let slash = path.lastIndex(of: "/")
        return (
            slash.map { String(path[...$0]) } ?? "", slash.map { String(path[path.index(after: $0)...]) } ?? path
        )
    }

    private static func prefix(of name: String) -> String { ".\(name)." }

    /// This host's name hashed (FNV-1a, hex): part of every temporary name.
    private static let hostTag: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        let host = gethostname(&buffer, buffer.count - 1) == 0 ? String(cString: buffer) : ""
        return FNV1a.hex(host.utf8)
    }()

    /// Removes the temporary files of `path` whose writer, a process of this host, is gone (a
    /// SIGKILL or power loss leaves them; the output itself is never torn). Best effort: a file
    /// that cannot be read or removed is left.
    static func removeStale(for path: String) {
        let (directory, name) = split(path)
        guard let stream = opendir(directory.isEmpty ? "." : directory) else { return }
        defer { closedir(stream) }
        let head = prefix(of: name) + hostTag + "-"
        while let entry = readdir(stream) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard entryName.hasPrefix(head) && entryName.hasSuffix(".tmp") else { continue }
            let fields = entryName.dropFirst(head.count).dropLast(4).split(separator: "-")
            guard fields.count == 2, let pid = pid_t(fields[0]), pid > 0, pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(directory + entryName) }
        }
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}

/// `open(2)`, under a name that does not clash with the ``StagedOutputFile`` property.
private func posixOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
    open(path, flags, mode)
}

/// `write(2)`, under a name that does not clash with ``StagedOutputFile/write(_:)``.
private func posixWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
