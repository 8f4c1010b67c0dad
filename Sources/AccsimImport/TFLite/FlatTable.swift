import AccsimModel

/// One FlatBuffers table: its position, its vtable, and typed, bounds-checked access to fields by
/// their schema id (the order of declaration, a union taking two ids: type, then value).
///
/// Layout: at `position` a signed 32-bit offset back to the vtable (`vtable = position − soffset`);
/// the vtable holds its own size in bytes, the table's inline size, then one 16-bit offset per
/// field id relative to `position` (0 or past the vtable's end: the field is absent and has its
/// default value).
struct FlatTable: Sendable {
    let buffer: FlatBuffer
    let position: Int
    /// Dotted path of this table in the model, for errors.
    let path: String
    private let vtable: Int
    private let vtableSize: Int
    private let inlineSize: Int

    init(buffer: FlatBuffer, position: Int, path: String) throws(ModelError) {
        self.buffer = buffer
        self.position = position
        self.path = path
        let soffset = Int(Int32(bitPattern: try buffer.uint32(at: position, path + " (table)")))
        let vtable = position - soffset
        try buffer.check(vtable, size: 4, path + " (vtable)")
        let vtableSize = Int(try buffer.uint16(at: vtable, path + " (vtable)"))
        let inlineSize = Int(try buffer.uint16(at: vtable + 2, path + " (vtable)"))
        if vtableSize < 4 || vtableSize % 2 != 0 {
            throw buffer.error(
                path + " (vtable)", "vtable at \(hex(vtable)) has an invalid size of \(vtableSize) bytes")
        }
        if inlineSize < 4 {
            throw buffer.error(
                path + " (vtable)", "vtable at \(hex(vtable)) gives the table an invalid size of \(inlineSize) bytes")
        }
        try buffer.check(vtable, size: vtableSize, path + " (vtable)")
        try buffer.check(position, size: inlineSize, path + " (table)")
        self.vtable = vtable
        self.vtableSize = vtableSize
        self.inlineSize = inlineSize
    }

    /// The path of field `name`.
    func fieldPath(_ name: String) -> String {
        path.isEmpty ? name : path + "." + name
    }

    /// The absolute position of field `id` holding `size` bytes, or nil when absent.
    func fieldPosition(_ id: Int, size: Int, _ name: String) throws(ModelError) -> Int? {
        let slot = 4 + 2 * id
        guard slot + 2 <= vtableSize else { return nil }
        let offset = Int(try buffer.uint16(at: vtable + slot, fieldPath(name) + " (vtable entry)"))
        guard offset != 0 else { return nil }
        if offset + size > inlineSize {
            throw buffer.error(
                fieldPath(name),
                "field at table offset \(offset) (\(size) bytes) lies outside its table of \(inlineSize) bytes at \(hex(position))"
            )
        }
        return position + offset
    }

    func uint8(_ id: Int, _ name: String, default value: UInt8 = 0) throws(ModelError) -> UInt8 {
        guard let at = try fieldPosition(id, size: 1, name) else { return value }
        return try buffer.uint8(at: at, fieldPath(name))
    }

    func int8(_ id: Int, _ name: String, default value: Int8 = 0) throws(ModelError) -> Int8 {
        Int8(bitPattern: try uint8(id, name, default: UInt8(bitPattern: value)))
    }

    func bool(_ id: Int, _ name: String, default value: Bool = false) throws(ModelError) -> Bool {
        try uint8(id, name, default: value ? 1 : 0) != 0
    }

    func int32(_ id: Int, _ name: String, default value: Int32 = 0) throws(ModelError) -> Int32 {
        guard let at = try fieldPosition(id, size: 4, name) else { return value }
        return Int32(bitPattern: try buffer.uint32(at: at, fieldPath(name)))
    }

    func uint32(_ id: Int, _ name: String, default value: UInt32 = 0) throws(ModelError) -> UInt32 {
        guard let at = try fieldPosition(id, size: 4, name) else { return value }
        return try buffer.uint32(at: at, fieldPath(name))
    }

    func uint64(_ id: Int, _ name: String, default value: UInt64 = 0) throws(ModelError) -> UInt64 {
        guard let at = try fieldPosition(id, size: 8, name) else { return value }
        return try buffer.uint64(at: at, fieldPath(name))
    }

    func float32(_ id: Int, _ name: String, default value: Float = 0) throws(ModelError) -> Float {
        guard let at = try fieldPosition(id, size: 4, name) else { return value }
        return Float(bitPattern: try buffer.uint32(at: at, fieldPath(name)))
    }

    /// The sub-table in field `id`, or nil when absent.
    func table(_ id: Int, _ name: String) throws(ModelError) -> FlatTable? {
        guard let at = try fieldPosition(id, size: 4, name) else { return nil }
        return try FlatTable(
            buffer: buffer, position: buffer.followOffset(at: at, fieldPath(name)), path: fieldPath(name))
    }

    /// The vector in field `id` with elements of `elementSize` bytes, or nil when absent.
    func vector(_ id: Int, _ name: String, elementSize: Int) throws(ModelError) -> FlatVector? {
        guard let at = try fieldPosition(id, size: 4, name) else { return nil }
        return try FlatVector(
            buffer: buffer, at: buffer.followOffset(at: at, fieldPath(name)), elementSize: elementSize,
            path: fieldPath(name))
    }

    /// The string in field `id` (UTF-8, invalid sequences repaired), or nil when absent.
    func string(_ id: Int, _ name: String) throws(ModelError) -> String? {
        guard let vector = try vector(id, name, elementSize: 1) else { return nil }
        return String(decoding: buffer.bytes[vector.start..<vector.start + vector.count], as: UTF8.self)
    }
}
