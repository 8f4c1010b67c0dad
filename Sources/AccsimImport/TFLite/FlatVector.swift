import AccsimModel

/// A FlatBuffers vector: a 32-bit element count followed by the elements. Creating one checks
/// that all `count · elementSize` bytes lie inside the file, so element reads cannot fail for
/// scalars; elements that are offsets (tables, strings) are checked when followed.
struct FlatVector: Sendable {
    let buffer: FlatBuffer
    /// Position of the first element.
    let start: Int
    let count: Int
    let elementSize: Int
    let path: String

    init(buffer: FlatBuffer, at position: Int, elementSize: Int, path: String) throws(ModelError) {
        let count = Int(try buffer.uint32(at: position, path + " (length)"))
        let start = position + 4
        let available = max(0, buffer.count - start)
        if count > available / elementSize {
            throw buffer.error(
                path,
                "vector of \(count) elements of \(elementSize) bytes at \(hex(position)) runs beyond end of file (size \(hex(buffer.count)))"
            )
        }
        self.buffer = buffer
        self.start = start
        self.count = count
        self.elementSize = elementSize
        self.path = path
    }

    func elementPath(_ index: Int) -> String { "\(path)[\(index)]" }

    /// The raw bytes of all elements.
    var bytes: ArraySlice<UInt8> { buffer.bytes[start..<start + count * elementSize] }

    func uint8(_ index: Int) -> UInt8 { buffer.bytes[start + index] }

    func uint32(_ index: Int) -> UInt32 { buffer.uncheckedUInt32(at: start + 4 * index) }

    func int32(_ index: Int) -> Int32 { Int32(bitPattern: uint32(index)) }

    func int64(_ index: Int) -> Int64 {
        let at = start + 8 * index
        return Int64(
            bitPattern: UInt64(buffer.uncheckedUInt32(at: at)) | UInt64(buffer.uncheckedUInt32(at: at + 4)) << 32)
    }

    func float32(_ index: Int) -> Float { Float(bitPattern: uint32(index)) }

    /// All elements as int32 (a vector of 4-byte elements).
    var int32Values: [Int32] { (0..<count).map(int32) }

    /// The table element `index` of a vector of tables.
    func table(_ index: Int) throws(ModelError) -> FlatTable {
        let path = elementPath(index)
        return try FlatTable(buffer: buffer, position: buffer.followOffset(at: start + 4 * index, path), path: path)
    }
}
