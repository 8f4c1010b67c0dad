/// Reads and writes NumPy `.npy` files.
///
/// Reading accepts format versions 1.0, 2.0 and 3.0, C order only, the dtypes of ``NPYDType``
/// (little-endian, or single bytes), and a header dictionary in any key order and spacing. The
/// data length must match the shape exactly (a truncated file says how many bytes are missing).
/// Errors are ``ModelError``s naming the file and the header field; no input crashes the reader.
///
/// Writing produces exactly the bytes `numpy.save` writes for the same array: a 1.0 header padded
/// so that the data starts at a multiple of 64 bytes.
public enum NPYFile {
    /// Reads the `.npy` file at `path`.
    public static func read(path: String) throws(ModelError) -> NPYArray {
        try decode(BinaryFile.read(path: path), file: path)
    }

    /// Decodes the bytes of a `.npy` file; errors name `file` when given.
    public static func decode(_ bytes: [UInt8], file: String? = nil) throws(ModelError) -> NPYArray {
        do throws(ModelError) {
            let (header, dataOffset) = try NPYHeader.decode(bytes)
            try checkDataLength(of: header, actual: bytes.count - dataOffset)
            return try NPYArray(shape: header.shape, dtype: header.dtype, bytes: Array(bytes[dataOffset...]))
        } catch {
            guard let file else { throw error }
            throw error.inFile(file)
        }
    }

    /// Checks that `actual` data bytes are exactly what `header`'s shape and dtype need; returns
    /// that length.
    @discardableResult
    static func checkDataLength(of header: NPYHeader, actual: Int) throws(ModelError) -> Int {
        let count = try NPYArray.elementCount(of: header.shape)
        let (expected, overflow) = count.multipliedReportingOverflow(by: header.dtype.itemSize)
        if overflow { throw ModelError(field: "shape", "shape \(header.shape) is too large") }
        if actual < expected {
            throw ModelError(
                "truncated: shape \(header.shape) of \(header.dtype) needs \(expected) data bytes, the file has \(actual) (\(expected - actual) missing)"
            )
        }
        if actual > expected {
            throw ModelError(
                "the file has \(actual - expected) unexpected bytes after the \(expected) data bytes of shape \(header.shape) \(header.dtype)"
            )
        }
        return expected
    }

    /// The bytes of the `.npy` file holding `array`.
    public static func encode(_ array: NPYArray) -> [UInt8] {
        NPYHeader(dtype: array.dtype, shape: array.shape).encoded() + array.bytes
    }

    /// Writes `array` to `path` atomically. Refuses to replace an existing file unless `overwrite`.
    public static func write(_ array: NPYArray, to path: String, overwrite: Bool) throws(ModelError) {
        try BinaryFile.write(encode(array), to: path, overwrite: overwrite)
    }
}
