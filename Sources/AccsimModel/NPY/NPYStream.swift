import AccsimFiles

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An `.npy` file read piece by piece: the header is read and checked when it is opened (with the
/// errors of ``NPYFile/read(path:)``, the data length against the file's size included), then
/// ranges of elements or samples are read on demand, so a large array never has to fit in
/// memory. A file that cannot be read at an offset (a pipe) is read whole instead.
public final class NPYChunkReader: @unchecked Sendable {
    /// The file.
    public let path: String
    /// The array's shape.
    public let shape: [Int]
    /// The array's element type.
    public let dtype: NPYDType
    /// Number of elements (the product of the shape).
    public let elementCount: Int
    private let dataOffset: Int
    private enum Storage {
        case descriptor(Int32)
        case memory([UInt8])
    }
    private let storage: Storage

    /// Opens the `.npy` file at `path` and checks its header and data length.
    public init(path: String) throws(ModelError) {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ModelError(file: path, "cannot open: \(Self.lastError())") }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let message = Self.lastError()
            close(descriptor)
            throw ModelError(file: path, "cannot read: \(message)")
        }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            close(descriptor)
            throw ModelError(file: path, "is a directory, not a file")
        }
        let header: NPYHeader
        let offset: Int
        if (status.st_mode & S_IFMT) == S_IFREG {
            let size = Int(status.st_size)
            do throws(ModelError) {
                // The preamble says where the header ends; NPYHeader.decode sees the file up to
                // there (or all of it, when the file is shorter) and names its real size.
                let preamble = try Self.pread(descriptor, 0..<min(size, 12), path: path)
                var end = preamble.count
                if preamble.count >= 10, preamble[6] == 1 {
                    end = 10 + Int(LittleEndian.uint16(preamble, at: 8))
                } else if preamble.count >= 12, preamble[6] == 2 || preamble[6] == 3 {
                    end = 12 + Int(LittleEndian.uint32(preamble, at: 8))
                }
                let prefix =
                    end <= preamble.count ? preamble : try Self.pread(descriptor, 0..<min(size, end), path: path)
                (header, offset) = try NPYHeader.decode(prefix)
                try NPYFile.checkDataLength(of: header, actual: size - offset)
            } catch {
                close(descriptor)
                throw error.inFile(path)
            }
            storage = .descriptor(descriptor)
        } else {
            close(descriptor)
            let bytes = try BinaryFile.read(path: path)
            do throws(ModelError) {
                (header, offset) = try NPYHeader.decode(bytes)
                try NPYFile.checkDataLength(of: header, actual: bytes.count - offset)
            } catch {
                throw error.inFile(path)
            }
            storage = .memory(bytes)
        }
        shape = header.shape
        dtype = header.dtype
        dataOffset = offset
        elementCount = (try? NPYArray.elementCount(of: header.shape)) ?? 0
    }

    deinit {
        if case .descriptor(let descriptor) = storage { close(descriptor) }
    }

    /// The number of samples: the first extent (1 for a scalar).
    public var sampleCount: Int { shape.first ?? 1 }

    /// Elements per sample: the product of the extents after the first.
    public var sampleElements: Int { shape.dropFirst().reduce(1, *) }

    /// The little-endian bytes of elements `range` (row-major order).
    public func readElements(_ range: Range<Int>) throws(ModelError) -> [UInt8] {
        precondition(range.lowerBound >= 0 && range.upperBound <= elementCount, "elements outside the array")
        let bytes = (dataOffset + range.lowerBound * dtype.itemSize)..<(dataOffset + range.upperBound * dtype.itemSize)
        switch storage {
        case .memory(let all): return Array(all[bytes])
        case .descriptor(let descriptor): return try Self.pread(descriptor, bytes, path: path)
        }
    }

    /// Samples `range` (along the first axis) as an array `[range.count, …]`.
    public func readSamples(_ range: Range<Int>) throws(ModelError) -> NPYArray {
        precondition(!shape.isEmpty, "a scalar has no samples")
        let size = sampleElements
        let bytes = try readElements(range.lowerBound * size..<range.upperBound * size)
        return try NPYArray(shape: [range.count] + shape.dropFirst(), dtype: dtype, bytes: bytes)
    }

    /// Bytes `range` of the file: a short read (the file shrank since it was opened) is an error.
    private static func pread(_ descriptor: Int32, _ range: Range<Int>, path: String) throws(ModelError) -> [UInt8] {
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: range.count) { buffer, initialized in
            while initialized < range.count {
                let count = posixPread(
                    descriptor, buffer.baseAddress! + initialized, range.count - initialized,
                    off_t(range.lowerBound + initialized))
                if count > 0 {
                    initialized += count
                } else if count == 0 || errno != EINTR {
                    if count < 0 { failure = errno }
                    break
                }
            }
        }
        if failure != 0 { throw ModelError(file: path, "cannot read: \(String(cString: strerror(failure)))") }
        if bytes.count < range.count {
            throw ModelError(
                file: path,
                "truncated while reading: byte \(range.lowerBound + bytes.count) is past the end of the file")
        }
        return bytes
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}

/// An `.npy` file written piece by piece: the header of the final shape first, then the elements
/// as they are computed, into a ``StagedOutputFile`` that ``commit()`` moves into place, so the
/// file at the path is the whole array or what was there before, never a part. The bytes are
/// those ``NPYFile/write(_:to:overwrite:)`` writes for the whole array.
public final class NPYStreamWriter {
    /// The file.
    public let path: String
    /// The array's shape.
    public let shape: [Int]
    /// The array's element type.
    public let dtype: NPYDType
    private let staged: StagedOutputFile
    private let elementCount: Int
    private var written = 0

    /// Creates the staged file for an array of `shape` and `dtype` and writes the header; an
    /// existing file at `path` is refused unless `overwrite` (checked now, before any work).
    public init(path: String, shape: [Int], dtype: NPYDType, overwrite: Bool) throws(ModelError) {
        self.path = path
        self.shape = shape
        self.dtype = dtype
        elementCount = try NPYArray.elementCount(of: shape)
        do {
            staged = try StagedOutputFile(path: path, overwrite: overwrite)
            try staged.write(NPYHeader(dtype: dtype, shape: shape).encoded())
        } catch {
            throw Self.modelError(error, path: path)
        }
    }

    /// Appends the elements of `array` (of ``dtype``), which follow those appended so far.
    public func append(_ array: NPYArray) throws(ModelError) {
        precondition(array.dtype == dtype, "appending \(array.dtype) to a \(dtype) array")
        precondition(written + array.elementCount <= elementCount, "more elements than the shape \(shape) holds")
        do {
            try staged.write(array.bytes)
        } catch {
            throw Self.modelError(error, path: path)
        }
        written += array.elementCount
    }

    /// Moves the file into place; every element of the shape must have been appended.
    public func commit() throws(ModelError) {
        precondition(written == elementCount, "\(written) of the \(elementCount) elements of \(shape) were written")
        do {
            try staged.commit()
        } catch {
            throw Self.modelError(error, path: path)
        }
    }

    /// Removes the staged file; the path is left as it was.
    public func discard() {
        staged.discard()
    }

    private static func modelError(_ error: OutputFileError, path: String) -> ModelError {
        switch error.kind {
        case .exists: ModelError(file: path, "already exists; refusing to overwrite it")
        case .io: ModelError(file: path, error.message)
        }
    }
}

/// `pread(2)`, under a name that does not clash with ``NPYChunkReader``'s helper.
private func posixPread(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int, _ offset: off_t)
    -> Int
{
    pread(descriptor, buffer, count, offset)
}
