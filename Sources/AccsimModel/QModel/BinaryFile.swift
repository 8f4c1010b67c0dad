#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file binary I/O for model and tensor files, with errors as ``ModelError``s naming the
/// file. Writes are atomic: the bytes go to a temporary file in the same directory, which is then
/// renamed (or, when an existing file must not be replaced, hard-linked) into place, so a reader
/// never sees a half-written file and an interrupted write leaves the old file intact.
enum BinaryFile {
    /// The contents of the file at `path`.
    static func read(path: String) throws(ModelError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ModelError(file: path, "cannot open: \(lastError())") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw ModelError(file: path, "cannot read: \(lastError())") }
        if (status.st_mode & S_IFMT) == S_IFDIR { throw ModelError(file: path, "is a directory, not a file") }
        // A regular file is read straight into an array of its size (one copy, no growth); a
        // file that turns out shorter or longer than `stat` said, or a pipe, continues in chunks.
        var bytes: [UInt8] = []
        if (status.st_mode & S_IFMT) == S_IFREG && status.st_size > 0 {
            let size = Int(status.st_size)
            var failure: Int32 = 0
            bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
                while initialized < size {
                    let count = posixRead(descriptor, buffer.baseAddress! + initialized, size - initialized)
                    if count > 0 {
                        initialized += count
                    } else if count == 0 || errno != EINTR {
                        if count < 0 { failure = errno }
                        break
                    }
                }
            }
            if failure != 0 { throw ModelError(file: path, "cannot read: \(String(cString: strerror(failure)))") }
            if bytes.count < size { return bytes }
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { posixRead(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw ModelError(file: path, "cannot read: \(lastError())")
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    /// Writes `bytes` to `path` atomically; an existing file is only replaced when `overwrite`.
    static func write(_ bytes: [UInt8], to path: String, overwrite: Bool) throws(ModelError) {
        if !overwrite && exists(path) {
            throw ModelError(file: path, "already exists; refusing to overwrite it")
        }
        let temporary = temporaryPath(for: path)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw ModelError(file: path, "cannot create a temporary file next to it: \(lastError())") }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                posixWrite(descriptor, buffer.baseAddress.map { $0 + written }, buffer.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                let message = lastError()
                close(descriptor)
                unlink(temporary)
                throw ModelError(file: path, "cannot write: \(message)")
            }
            written += count
        }
        if fsync(descriptor) != 0 || close(descriptor) != 0 {
            let message = lastError()
            unlink(temporary)
            throw ModelError(file: path, "cannot write: \(message)")
        }
        if overwrite {
            if rename(temporary, path) != 0 {
                let message = lastError()
                unlink(temporary)
                throw ModelError(file: path, "cannot move the written file into place: \(message)")
            }
            return
        }
        // link() fails when the target exists, so a file created meanwhile is never replaced.
        if link(temporary, path) == 0 {
            unlink(temporary)
            return
        }
        let linkError = errno
        if linkError == EEXIST {
            unlink(temporary)
            throw ModelError(file: path, "already exists; refusing to overwrite it")
        }
        // Filesystems without hard links: check once more, then rename.
        if exists(path) {
            unlink(temporary)
            throw ModelError(file: path, "already exists; refusing to overwrite it")
        }
        if rename(temporary, path) != 0 {
            let message = lastError()
            unlink(temporary)
            throw ModelError(file: path, "cannot move the written file into place: \(message)")
        }
    }

    /// Whether something exists at `path` (a dangling symbolic link counts).
    static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    /// A unique hidden name in the directory of `path`.
    private static func temporaryPath(for path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        return "\(directory).\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}

/// `read(2)`, under a name that does not clash with ``BinaryFile/read(path:)``.
private func posixRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

/// `write(2)`, under a name that does not clash with ``BinaryFile/write(_:to:overwrite:)``.
private func posixWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
