import AccsimFiles

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

    /// Writes `bytes` to `path` atomically (``OutputFile``); an existing file is only replaced
    /// when `overwrite`.
    static func write(_ bytes: [UInt8], to path: String, overwrite: Bool) throws(ModelError) {
        do {
            try OutputFile.write(bytes, to: path, overwrite: overwrite)
        } catch {
            switch error.kind {
            case .exists: throw ModelError(file: path, "already exists; refusing to overwrite it")
            case .io: throw ModelError(file: path, error.message)
            }
        }
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}

/// `read(2)`, under a name that does not clash with ``BinaryFile/read(path:)``.
private func posixRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
