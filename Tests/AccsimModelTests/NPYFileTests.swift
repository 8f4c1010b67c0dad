import AccsimArithmetic
import Foundation
import Testing

@testable import AccsimModel

/// The bytes of fixture `name` (written by NumPy 2.x, see Fixtures/npy/generate.py).
private func fixture(_ name: String) throws -> [UInt8] {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: "npy", subdirectory: "Fixtures/npy"))
    return Array(try Data(contentsOf: url))
}

/// The error decoding `bytes` (records an issue when decoding succeeds).
private func npyError(_ bytes: [UInt8], file: String? = nil) -> ModelError? {
    do {
        _ = try NPYFile.decode(bytes, file: file)
        Issue.record("expected the array to be rejected")
        return nil
    } catch {
        return error
    }
}

/// A v1 file with a hand-written header dictionary (padded like NumPy) followed by `data`.
private func handWritten(_ dictionary: String, data: [UInt8]) -> [UInt8] {
    var header = Array(dictionary.utf8)
    let padding = 64 - (10 + header.count + 1) % 64
    header += [UInt8](repeating: 0x20, count: padding) + [0x0A]
    return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count & 0xFF), UInt8(header.count >> 8)] + header + data
}

@Suite("NPY files")
struct NPYFileTests {
    @Test("reads NumPy's files of every supported dtype")
    func readsFixtures() throws {
        let int8 = try NPYFile.decode(fixture("int8_2x3"))
        #expect(int8.dtype == .int8 && int8.shape == [2, 3])
        #expect(int8.int32Values() == [-128, -1, 0, 1, 64, 127])
        let uint8 = try NPYFile.decode(fixture("uint8_4"))
        #expect(uint8.dtype == .uint8 && uint8.shape == [4] && uint8.int32Values() == [0, 1, 128, 255])
        let scalar = try NPYFile.decode(fixture("int16_scalar"))
        #expect(
            scalar.dtype == .int16 && scalar.shape == [] && scalar.elementCount == 1 && scalar.int32Values() == [-12345]
        )
        let int32 = try NPYFile.decode(fixture("int32_2x2x2"))
        #expect(int32.dtype == .int32 && int32.shape == [2, 2, 2])
        #expect(int32.int32Values() == [.min, -1, 0, 1, 2, 3, 65536, .max])
        let float = try NPYFile.decode(fixture("float32_3"))
        #expect(float.dtype == .float32 && float.shape == [3])
        #expect(float.floatValues() == [0.1, -2.5, .greatestFiniteMagnitude])
        #expect(float.int32Values() == nil && float.intTensor() == nil)
        let empty = try NPYFile.decode(fixture("int32_empty"))
        #expect(empty.shape == [0] && empty.elementCount == 0 && empty.bytes.isEmpty)
    }

    @Test("reads format versions 2.0 and 3.0")
    func versions() throws {
        let v2 = try NPYFile.decode(fixture("v2_int16_2x3"))
        #expect(v2.dtype == .int16 && v2.shape == [2, 3] && v2.int32Values() == [-3, -2, -1, 0, 1, 2])
        let v3 = try NPYFile.decode(fixture("v3_uint8_2"))
        #expect(v3.dtype == .uint8 && v3.shape == [2] && v3.int32Values() == [7, 9])
    }

    @Test(
        "writes exactly the bytes NumPy writes",
        arguments: ["int8_2x3", "uint8_4", "int16_scalar", "int32_2x2x2", "float32_3", "int32_empty"])
    func byteIdentical(name: String) throws {
        let bytes = try fixture(name)
        #expect(NPYFile.encode(try NPYFile.decode(bytes)) == bytes)
    }

    @Test("written headers put the data at a multiple of 64")
    func alignment() throws {
        for shape in [[], [1], [7], [2, 3], [1, 2, 3, 4, 5, 6, 7, 8], [123_456_789, 0]] as [[Int]] {
            let count = shape.reduce(1, *)
            let array = try NPYArray(shape: shape, dtype: .int8, values: [Int32](repeating: 5, count: count))
            let bytes = NPYFile.encode(array)
            #expect((bytes.count - count) % 64 == 0)
            #expect(bytes[bytes.count - count - 1] == 0x0A)
            #expect(try NPYFile.decode(bytes) == array)
        }
    }

    @Test("round trip of every dtype and several shapes", arguments: NPYDType.allCases)
    func roundTrip(dtype: NPYDType) throws {
        for shape in [[], [0], [3], [2, 3], [2, 1, 4]] as [[Int]] {
            let count = shape.reduce(1, *)
            let array: NPYArray
            if dtype == .float32 {
                array = try NPYArray(shape: shape, floats: (0..<count).map { Float($0) * -0.75 + 1e-3 })
            } else {
                let type = try #require(dtype.elementType)
                array = try NPYArray(
                    shape: shape, dtype: dtype,
                    values: (0..<count).map { Int32($0 % 2 == 0 ? type.minValue : type.maxValue) })
            }
            let decoded = try NPYFile.decode(NPYFile.encode(array))
            #expect(decoded == array)
            #expect(decoded.shape == shape && decoded.dtype == dtype)
        }
    }

    @Test("conversions to and from tensors and values")
    func conversions() throws {
        let tensor = IntTensor(shape: [1, 2, 2], elementType: .int16, values: [-32768, 0, 1, 32767])
        let array = NPYArray(tensor: tensor)
        #expect(array.dtype == .int16 && array.shape == [1, 2, 2])
        #expect(array.intTensor() == tensor)
        #expect(array.floatValues() == [-32768, 0, 1, 32767])
        let floats = try NPYArray(shape: [2], dtype: .float32, values: [3, -4])
        #expect(floats.floatValues() == [3, -4])
        #expect(throws: ModelError(field: "values[1]", "value 128 does not fit int8 (-128...127)")) {
            try NPYArray(shape: [2], dtype: .int8, values: [0, 128])
        }
        #expect(throws: ModelError(field: "shape", "shape [2, 2] needs 4 values, got 3")) {
            try NPYArray(shape: [2, 2], dtype: .int32, values: [1, 2, 3])
        }
        #expect(throws: ModelError(field: "shape", "shape [3] of int16 needs 3 elements, got 5 bytes (2 per element)"))
        {
            try NPYArray(shape: [3], dtype: .int16, bytes: [0, 0, 0, 0, 0])
        }
        #expect(NPYDType.int32.description == "int32" && NPYDType.float32.descr == "<f4")
    }

    @Test("headers in any key order and spacing, with double quotes and without trailing comma")
    func headerVariants() throws {
        let data: [UInt8] = [1, 0, 2, 0, 3, 0]
        for dictionary in [
            "{'shape': (3,), 'fortran_order': False, 'descr': '<i2'}",
            "{ \"descr\" : \"<i2\" , \"fortran_order\" : False , \"shape\" : ( 3 , ) , }",
            "{'descr':'<i2','fortran_order':False,'shape':(3L,)}",
        ] {
            let array = try NPYFile.decode(handWritten(dictionary, data: data))
            #expect(array.shape == [3] && array.dtype == .int16 && array.int32Values() == [1, 2, 3])
        }
        let byteOrders = try NPYFile.decode(
            handWritten("{'descr': '<u1', 'fortran_order': False, 'shape': (1, 1)}", data: [200]))
        #expect(byteOrders.dtype == .uint8 && byteOrders.shape == [1, 1])
    }

    @Test("unsupported layouts and dtypes are named")
    func unsupported() throws {
        #expect(
            npyError(try fixture("fortran_int32_2x3"), file: "f.npy")
                == ModelError(
                    file: "f.npy", field: "fortran_order",
                    "Fortran-order (column-major) arrays are not supported; save a C-order array (np.ascontiguousarray)"
                ))
        #expect(
            npyError(try fixture("bigendian_int32_3"))
                == ModelError(
                    field: "descr",
                    "dtype '>i4' is big-endian; accsim reads little-endian data (convert with arr.astype('<i4'))"))
        #expect(
            npyError(try fixture("float64_2"))
                == ModelError(
                    field: "descr",
                    "dtype '<f8' is not supported (accsim reads int8 (|i1), uint8 (|u1), int16 (<i2), int32 (<i4), int64 (<i8) and float32 (<f4))"
                ))
        #expect(
            npyError(
                handWritten("{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (1,)}", data: [0, 0, 0, 0]))?
                .field == "descr")
        var version = try fixture("int8_2x3")
        version[6] = 4
        #expect(
            npyError(version)
                == ModelError(field: "version", "format version 4.0 is not supported (accsim reads 1.0, 2.0 and 3.0)"))
    }

    @Test("malformed headers are errors")
    func malformedHeaders() {
        let cases: [(String, String)] = [
            ("{'descr': '<i2', 'shape': (3,)}", "the header has no 'fortran_order'"),
            (
                "{'descr': '<i2', 'fortran_order': False, 'shape': (3,), 'extra': 1}",
                "unexpected key 'extra' in the header"
            ),
            ("{'descr': '<i2', 'fortran_order': 0, 'shape': (3,)}", "expected True or False, found 0"),
            ("{'descr': '<i2', 'fortran_order': False, 'shape': [3]}", "expected a tuple of integers, found a list"),
            ("{'descr': '<i2', 'fortran_order': False, 'shape': (-3,)}", "expected non-negative integers, found -3"),
            (
                "{'descr': '<i2', 'fortran_order': False, 'shape': (3,)",
                "malformed header: expected ',' or '}' at header byte 118"
            ),
            (
                "{'descr': '<i2', 'fortran_order': False, 'shape': (99999999999999999999,)}",
                "malformed header: integer too large at header byte 69"
            ),
            (
                "{'descr': '<i2', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296)}",
                "shape [4294967296, 4294967296, 4294967296] is too large"
            ),
            ("['descr']", "the header is a list, not a dict"),
            ("{'descr': '<i2', 'descr': '<i2'}", "malformed header: the key 'descr' appears twice at header byte 31"),
            (String(repeating: "(", count: 40), "malformed header: nested too deeply at header byte 16"),
        ]
        for (dictionary, message) in cases {
            #expect(npyError(handWritten(dictionary, data: [1, 0, 2, 0, 3, 0]))?.message == message, "\(dictionary)")
        }
    }

    @Test("truncation and corruption are reported with byte counts")
    func truncation() throws {
        let bytes = try fixture("int16_scalar")  // 128 header bytes + 2 data bytes
        #expect(
            npyError(Array(bytes[0..<129]), file: "t.npy")
                == ModelError(
                    file: "t.npy", "truncated: shape [] of int16 needs 2 data bytes, the file has 1 (1 missing)"))
        #expect(
            npyError(Array(bytes[0..<100]))
                == ModelError(
                    field: "header", "truncated: the header ends at byte 128 but the file has 100 bytes (28 missing)"))
        #expect(
            npyError(Array(bytes[0..<8]))
                == ModelError("truncated: the file has 8 bytes, less than the 10-byte preamble"))
        #expect(
            npyError(bytes + [0])
                == ModelError("the file has 1 unexpected bytes after the 2 data bytes of shape [] int16"))
        #expect(npyError([]) == ModelError("not a NumPy .npy file (the file is empty)"))
        #expect(
            npyError(Array("PK\u{3}\u{4}".utf8) + bytes)
                == ModelError(field: "magic", "not a NumPy .npy file (bad magic)"))
    }

    @Test("damaged files never crash the reader")
    func fuzz() throws {
        let valid = try fixture("int32_2x2x2")
        var state: UInt64 = 99
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for round in 0..<3000 {
            var bytes = valid
            if round % 4 == 0 {
                bytes = Array(bytes[0..<next(bytes.count)])
            } else {
                for _ in 0...(round % 3) {
                    bytes[next(bytes.count)] = UInt8(truncatingIfNeeded: next(256))
                }
            }
            do {
                let array = try NPYFile.decode(bytes)
                #expect(array.bytes.count == array.elementCount * array.dtype.itemSize)
            } catch {
                #expect(!error.message.isEmpty)
            }
        }
    }

    @Test("files: written atomically, never overwritten unless asked")
    func files() throws {
        let directory = try QModelTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/x.npy"
        let array = try NPYArray(shape: [2, 2], dtype: .int32, values: [1, -2, 3, -4])
        try NPYFile.write(array, to: path, overwrite: false)
        #expect(try NPYFile.read(path: path) == array)
        #expect(throws: ModelError(file: path, "already exists; refusing to overwrite it")) {
            try NPYFile.write(array, to: path, overwrite: false)
        }
        let other = try NPYArray(shape: [1], floats: [0.5])
        try NPYFile.write(other, to: path, overwrite: true)
        #expect(try NPYFile.read(path: path) == other)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["x.npy"])
        #expect(throws: ModelError(file: directory + "/none.npy", "cannot open: No such file or directory")) {
            try NPYFile.read(path: directory + "/none.npy")
        }
    }
}
