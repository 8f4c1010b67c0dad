import AccsimModel
import Testing

@testable import AccsimImport

/// The bounds-checked flatbuffer primitives on hand-built buffers.
@Suite("FlatBuffer reader")
struct FlatBufferReaderTests {
    /// A buffer holding: root offset → table at 20 whose vtable at 8 declares 3 fields:
    /// id 0 int32 = −7 at +4, id 1 absent, id 2 offset to a vector of two int32 [3, 258] at 32.
    static let sample: [UInt8] = [
        20, 0, 0, 0,  // root offset → 20
        84, 69, 83, 84,  // identifier "TEST"
        10, 0, 12, 0,  // vtable at 8: 10 bytes, table 12 bytes
        4, 0, 0, 0, 8, 0,  // field offsets: id0 +4, id1 absent, id2 +8
        0, 0,  // padding
        12, 0, 0, 0,  // table at 20: soffset 12 → vtable at 8
        0xF9, 0xFF, 0xFF, 0xFF,  // id0 = −7
        4, 0, 0, 0,  // id2 at 28: offset +4 → 32
        2, 0, 0, 0, 3, 0, 0, 0, 2, 1, 0, 0,  // vector at 32: count 2, [3, 258]
    ]

    @Test("fields, defaults and vectors read as laid out")
    func reads() throws {
        let buffer = FlatBuffer(bytes: Self.sample, file: nil)
        let table = try buffer.root("root")
        #expect(try table.int32(0, "a") == -7)
        #expect(try table.int32(1, "b", default: 42) == 42)
        #expect(try table.int32(9, "far", default: 5) == 5)
        let vector = try #require(try table.vector(2, "c", elementSize: 4))
        #expect(vector.int32Values == [3, 258])
        #expect(buffer.fileIdentifier == Array("TEST".utf8))
    }

    @Test("every out-of-range read is an error naming the field")
    func bounds() throws {
        // A vector whose count runs past the end.
        var long = Self.sample
        long[32] = 200
        let table = try FlatBuffer(bytes: long, file: "x.tflite").root("root")
        #expect(throws: ModelError.self) { try table.vector(2, "c", elementSize: 4) }
        do {
            _ = try table.vector(2, "c", elementSize: 4)
        } catch {
            #expect(error.field == "root.c")
            #expect(error.file == "x.tflite")
            #expect(error.message.contains("beyond end of file (size 0x2c)"))
        }
        // A field offset outside its table.
        var wide = Self.sample
        wide[12] = 40
        let bad = try FlatBuffer(bytes: wide, file: nil).root("root")
        #expect(throws: ModelError.self) { try bad.int32(0, "a") }
        // A vtable size that is odd, and a root offset past the end.
        var odd = Self.sample
        odd[8] = 9
        #expect(throws: ModelError.self) { try FlatBuffer(bytes: odd, file: nil).root("root") }
        #expect(throws: ModelError.self) { try FlatBuffer(bytes: [200, 0, 0, 0], file: nil).root("root") }
        #expect(throws: ModelError.self) { try FlatBuffer(bytes: [1, 0], file: nil).root("root") }
    }
}
