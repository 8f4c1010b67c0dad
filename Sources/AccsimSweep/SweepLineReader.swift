#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file line by line in constant memory (a 1 MiB buffer, plus the longest line): results
/// files of millions of rows are resumed, merged and reduced to a Pareto front without loading
/// them. Tracks where the last complete line ends, so a torn last line (an interrupted write) can
/// be told apart and dropped.
final class SweepLineReader {
    private let descriptor: Int32
    private let name: String
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    private static let chunk = 1 << 20

    /// Bytes up to and including the last newline returned so far.
    private(set) var completeLength = 0
    /// The line number of the line last returned (1-based).
    private(set) var lineNumber = 0
    /// After the last line: the bytes after the last newline (a torn line), if any.
    private(set) var tornTail = 0

    /// Opens `path`; `name` names it in errors.
    init(path: String, name: String? = nil) throws(SweepError) {
        self.name = name ?? path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw SweepError(.file, "\(path): cannot read the file (\(String(cString: strerror(errno))))")
        }
    }

    deinit { close(descriptor) }

    /// The next complete line without its newline, or nil at the end (the bytes of a last line
    /// without a newline are counted in ``tornTail``, not returned).
    func next() throws(SweepError) -> ArraySlice<UInt8>? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                let line = buffer[start..<newline]
                completeLength += newline - start + 1
                start = newline + 1
                lineNumber += 1
                return line
            }
            if atEnd {
                tornTail = buffer.count - start
                return nil
            }
            try fill()
        }
    }

    /// Reads the next chunk after the unread bytes.
    private func fill() throws(SweepError) {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: Self.chunk))
        var count = 0
        repeat {
            count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + old, Self.chunk) }
        } while count < 0 && errno == EINTR
        guard count >= 0 else {
            throw SweepError(.file, "\(name): cannot read the file (\(String(cString: strerror(errno))))")
        }
        buffer.removeLast(Self.chunk - count)
        if count == 0 { atEnd = true }
    }
}
