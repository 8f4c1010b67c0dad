import AccsimModel

/// A bounds-checked reader of one protobuf message (wire format only, no schema): it walks the
/// fields of `bytes[range]` in order. Every read checks the remaining length; a damaged message
/// becomes a ``ModelError`` naming the field path being decoded
/// (`graph.node[4].attribute[1]: length 900 beyond end of message`), never a trap.
///
/// Wire types: 0 varint, 1 64-bit, 2 length-delimited, 5 32-bit. The deprecated group types 3
/// and 4 and the undefined 6 and 7 are errors. All arithmetic is on `Int` from values checked
/// against the message length first, so it cannot overflow.
struct ProtobufReader: Sendable {
    /// One decoded field: its number and its raw value.
    struct Field: Sendable {
        var number: Int
        var value: Value
    }

    /// A field's value as the wire format carries it.
    enum Value: Sendable {
        case varint(UInt64)
        case fixed64(UInt64)
        /// The byte range of a length-delimited payload (a string, bytes, a sub-message or a
        /// packed repeated field), inside the reader's bytes.
        case bytes(Range<Int>)
        case fixed32(UInt32)

        /// The wire type's name, for errors.
        var wireName: String {
            switch self {
            case .varint: "varint"
            case .fixed64: "64-bit"
            case .bytes: "length-delimited"
            case .fixed32: "32-bit"
            }
        }
    }

    /// The whole file (sub-readers share it).
    let bytes: [UInt8]
    /// The message's bytes.
    let range: Range<Int>
    /// The field path of this message, for errors (`graph.node[4]`).
    let path: String
    /// The file name for errors, if known.
    let file: String?
    private(set) var position: Int

    init(bytes: [UInt8], range: Range<Int>, path: String, file: String?) {
        self.bytes = bytes
        self.range = range
        self.path = path
        self.file = file
        self.position = range.lowerBound
    }

    /// An error about the field at `path` (this message's path when nil).
    func error(_ message: String, at path: String? = nil) -> ModelError {
        let field = path ?? self.path
        return ModelError(file: file, field: field.isEmpty ? nil : field, message)
    }

    /// A reader of the sub-message `range` at `path`.
    func subreader(_ range: Range<Int>, path: String) -> ProtobufReader {
        ProtobufReader(bytes: bytes, range: range, path: path, file: file)
    }

    /// The path of `component` inside this message (`graph` + `node[4]` → `graph.node[4]`).
    func child(_ component: String) -> String {
        path.isEmpty ? component : path + "." + component
    }

    /// The next field, or nil at the end of the message. `name` gives the path component of a
    /// field number (`attribute[1]`), so that a field whose bytes are damaged is named in the error.
    mutating func next(_ name: (Int) -> String = { "field \($0)" }) throws(ModelError) -> Field? {
        guard position < range.upperBound else { return nil }
        let offset = position - range.lowerBound
        let key = try varint(what: "field key at byte \(offset)")
        let wireType = Int(key & 7)
        let numberValue = key >> 3
        guard numberValue >= 1, numberValue <= 536_870_911 else {
            throw error("invalid field number \(numberValue) at byte \(offset) of the message")
        }
        let number = Int(numberValue)
        switch wireType {
        case 0:
            return Field(number: number, value: .varint(try varint(what: "value", at: child(name(number)))))
        case 1:
            return Field(number: number, value: .fixed64(try fixed64(what: "value", at: child(name(number)))))
        case 2:
            let length = try varint(what: "length", at: child(name(number)))
            let remaining = range.upperBound - position
            guard length <= UInt64(remaining) else {
                throw error("length \(length) beyond end of message (\(remaining) bytes left)", at: child(name(number)))
            }
            let start = position
            position += Int(length)
            return Field(number: number, value: .bytes(start..<position))
        case 5:
            return Field(number: number, value: .fixed32(try fixed32(what: "value", at: child(name(number)))))
        case 3, 4:
            throw error(
                "field \(number) uses the deprecated group wire type \(wireType), which ONNX never writes",
                at: child(name(number)))
        default:
            throw error(
                "field \(number) has invalid wire type \(wireType) at byte \(offset) of the message",
                at: child(name(number)))
        }
    }

    private mutating func varint(what: String, at path: String? = nil) throws(ModelError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < range.upperBound else {
                throw error("\(what): varint truncated at end of message", at: path)
            }
            let byte = bytes[position]
            position += 1
            if shift == 63 && byte > 1 {
                throw error("\(what): varint overflows 64 bits", at: path)
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7  // the check above stops a tenth byte with a continuation bit
        }
    }

    private mutating func fixed32(what: String, at path: String?) throws(ModelError) -> UInt32 {
        guard range.upperBound - position >= 4 else {
            throw error("\(what): 4-byte value beyond end of message", at: path)
        }
        let value = Self.littleEndianUInt32(bytes, at: position)
        position += 4
        return value
    }

    private mutating func fixed64(what: String, at path: String?) throws(ModelError) -> UInt64 {
        guard range.upperBound - position >= 8 else {
            throw error("\(what): 8-byte value beyond end of message", at: path)
        }
        let value =
            UInt64(Self.littleEndianUInt32(bytes, at: position)) | UInt64(
                Self.littleEndianUInt32(bytes, at: position + 4)) << 32
        position += 8
        return value
    }

    /// A little-endian UInt32 at a position already known to be in bounds.
    static func littleEndianUInt32(_ bytes: [UInt8], at position: Int) -> UInt32 {
        UInt32(bytes[position]) | UInt32(bytes[position + 1]) << 8 | UInt32(bytes[position + 2]) << 16 | UInt32(
            bytes[position + 3]) << 24
    }

    // MARK: Typed field values

    /// The field as a varint (int32, int64, enum, bool), else an error naming `path`.
    func varint(_ field: Field, _ path: String) throws(ModelError) -> UInt64 {
        guard case .varint(let value) = field.value else { throw wrongType(field, expected: "varint", path) }
        return value
    }

    /// The field as an int64 (two's complement varint).
    func int64(_ field: Field, _ path: String) throws(ModelError) -> Int64 {
        Int64(bitPattern: try varint(field, path))
    }

    /// The field as an int32: a varint whose value fits 32 bits (negative values are written sign
    /// extended to 64 bits).
    func int32(_ field: Field, _ path: String) throws(ModelError) -> Int32 {
        let value = Int64(bitPattern: try varint(field, path))
        guard let narrow = Int32(exactly: value) else { throw error("value \(value) does not fit int32", at: path) }
        return narrow
    }

    /// The field as a float (32-bit).
    func float(_ field: Field, _ path: String) throws(ModelError) -> Float {
        guard case .fixed32(let bits) = field.value else { throw wrongType(field, expected: "32-bit", path) }
        return Float(bitPattern: bits)
    }

    /// The field's length-delimited payload range.
    func payload(_ field: Field, _ path: String) throws(ModelError) -> Range<Int> {
        guard case .bytes(let payload) = field.value else { throw wrongType(field, expected: "length-delimited", path) }
        return payload
    }

    /// The field as a UTF-8 string.
    func string(_ field: Field, _ path: String) throws(ModelError) -> String {
        let payload = try payload(field, path)
        guard let text = String(validating: bytes[payload], as: UTF8.self) else {
            throw error("string is not valid UTF-8", at: path)
        }
        return text
    }

    /// A sub-message reader for the field.
    func message(_ field: Field, _ path: String) throws(ModelError) -> ProtobufReader {
        subreader(try payload(field, path), path: path)
    }

    /// Appends the values of a repeated varint field, packed (length-delimited) or not.
    func appendVarints(_ field: Field, _ path: String, to values: inout [Int64]) throws(ModelError) {
        switch field.value {
        case .varint(let value):
            values.append(Int64(bitPattern: value))
        case .bytes(let payload):
            var packed = subreader(payload, path: path)
            while packed.position < payload.upperBound {
                values.append(Int64(bitPattern: try packed.varint(what: "packed element \(values.count)", at: path)))
            }
        default:
            throw wrongType(field, expected: "varint or packed varints", path)
        }
    }

    /// Appends the values of a repeated float field, packed or not.
    func appendFloats(_ field: Field, _ path: String, to values: inout [Float]) throws(ModelError) {
        switch field.value {
        case .fixed32(let bits):
            values.append(Float(bitPattern: bits))
        case .bytes(let payload):
            guard payload.count % 4 == 0 else {
                throw error("packed floats occupy \(payload.count) bytes, not a multiple of 4", at: path)
            }
            values.reserveCapacity(values.count + payload.count / 4)
            for start in stride(from: payload.lowerBound, to: payload.upperBound, by: 4) {
                values.append(Float(bitPattern: Self.littleEndianUInt32(bytes, at: start)))
            }
        default:
            throw wrongType(field, expected: "32-bit or packed floats", path)
        }
    }

    private func wrongType(_ field: Field, expected: String, _ path: String) -> ModelError {
        error("wire type \(field.value.wireName) where \(expected) was expected", at: path)
    }
}
