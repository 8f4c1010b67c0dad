import AccsimModel

/// A bounds-checked view of a FlatBuffers binary: little-endian scalars at absolute positions.
///
/// Every read checks that the bytes exist; a violation becomes a ``ModelError`` naming the field
/// path being read (e.g. `subgraphs[0].tensors[12].quantization.scale`) and the offending offset.
/// Nothing here traps on hostile input: all offset arithmetic is done in `Int` (64-bit) from
/// values of at most 32 bits, so it cannot overflow.
struct FlatBuffer: Sendable {
    /// The whole file.
    let bytes: [UInt8]
    /// The file name for errors, if known.
    let file: String?

    var count: Int { bytes.count }

    /// An error about the field at `path`.
    func error(_ path: String, _ message: String) -> ModelError {
        ModelError(file: file, field: path, message)
    }

    /// Checks that `size` bytes starting at `position` lie inside the file.
    func check(_ position: Int, size: Int, _ path: String) throws(ModelError) {
        if position < 0 {
            throw error(path, "offset \(position) is negative")
        }
        if size < 0 || position > bytes.count || size > bytes.count - position {
            throw error(path, "offset \(hex(position)) + \(size) bytes beyond end of file (size \(hex(bytes.count)))")
        }
    }

    func uint8(at position: Int, _ path: String) throws(ModelError) -> UInt8 {
        try check(position, size: 1, path)
        return bytes[position]
    }

    func uint16(at position: Int, _ path: String) throws(ModelError) -> UInt16 {
        try check(position, size: 2, path)
        return UInt16(bytes[position]) | UInt16(bytes[position + 1]) << 8
    }

    func uint32(at position: Int, _ path: String) throws(ModelError) -> UInt32 {
        try check(position, size: 4, path)
        return uncheckedUInt32(at: position)
    }

    func uint64(at position: Int, _ path: String) throws(ModelError) -> UInt64 {
        try check(position, size: 8, path)
        return UInt64(uncheckedUInt32(at: position)) | UInt64(uncheckedUInt32(at: position + 4)) << 32
    }

    /// A little-endian UInt32 at a position already known to be in bounds.
    func uncheckedUInt32(at position: Int) -> UInt32 {
        UInt32(bytes[position]) | UInt32(bytes[position + 1]) << 8
            | UInt32(bytes[position + 2]) << 16 | UInt32(bytes[position + 3]) << 24
    }

    /// The absolute position a `uoffset_t` stored at `position` points to.
    func followOffset(at position: Int, _ path: String) throws(ModelError) -> Int {
        let relative = Int(try uint32(at: position, path))
        let target = position + relative
        if target >= bytes.count {
            throw error(path, "offset \(hex(target)) beyond end of file (size \(hex(bytes.count)))")
        }
        return target
    }

    /// The root table of the file.
    func root(_ path: String) throws(ModelError) -> FlatTable {
        try FlatTable(buffer: self, position: followOffset(at: 0, path + " (root offset)"), path: path)
    }

    /// The 4-byte file identifier after the root offset, if the file is long enough.
    var fileIdentifier: [UInt8]? {
        bytes.count >= 8 ? Array(bytes[4..<8]) : nil
    }
}

/// `0x`-prefixed lowercase hexadecimal, as offsets are shown in errors.
func hex(_ value: Int) -> String {
    value < 0 ? "-0x" + String(-value, radix: 16) : "0x" + String(value, radix: 16)
}
