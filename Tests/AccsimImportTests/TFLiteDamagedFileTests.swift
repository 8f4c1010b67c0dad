import AccsimModel
import Testing

@testable import AccsimImport

/// Damaged, foreign and unsupported files give a ModelError naming the field, operator and
/// tensor — never a crash.
@Suite("TFLite damaged and unsupported files")
struct TFLiteDamagedFileTests {
    /// A small deterministic generator for positions and values.
    struct Positions {
        var state: UInt64
        mutating func next(below bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    /// The error importing `bytes` raises, or nil when it imports.
    static func importError(_ bytes: [UInt8], kernels: TFLiteImporter.Options.Kernels = .optimized) -> ModelError? {
        do {
            _ = try TFLiteImporter.importModel(bytes: bytes, file: "damaged.tflite", options: .init(kernels: kernels))
            return nil
        } catch {
            return error
        }
    }

    /// Writes `value` little-endian at `position`.
    static func patch(_ bytes: inout [UInt8], at position: Int, _ value: UInt64, width: Int) {
        for i in 0..<width { bytes[position + i] = UInt8(truncatingIfNeeded: value >> UInt64(8 * i)) }
    }

    /// The root table and the subgraph-0 table of `bytes`.
    static func tables(_ bytes: [UInt8]) throws -> (root: FlatTable, subgraph: FlatTable) {
        let buffer = FlatBuffer(bytes: bytes, file: nil)
        let root = try buffer.root("")
        let subgraph = try #require(try root.vector(2, "subgraphs", elementSize: 4)).table(0)
        return (root, subgraph)
    }

    @Test("truncation at every length is an error, and names the end of the file")
    func truncation() throws {
        let bytes = try TFLiteFixtures.bytes("add_ties.tflite")
        var rejected = 0
        for length in 0..<bytes.count {
            if let error = Self.importError(Array(bytes[0..<length])) {
                #expect(!error.description.isEmpty)
                rejected += 1
            }
        }
        // Only cuts in trailing bytes nothing refers to can still import.
        #expect(rejected > bytes.count * 9 / 10)
        let half = try #require(Self.importError(Array(bytes[0..<bytes.count / 2])))
        #expect(half.description.contains("beyond end of file"), "\(half)")
        #expect(Self.importError([])?.description.contains("not a TFLite model") == true)
    }

    @Test("truncations of every fixture are rejected or import cleanly")
    func truncationsOfAllFixtures() throws {
        for fixture in TFLiteFixtures.all {
            let bytes = try TFLiteFixtures.bytes(fixture.model)
            for length in stride(from: 0, to: bytes.count, by: 97) {
                _ = Self.importError(Array(bytes[0..<length]))
            }
        }
    }

    @Test("a corrupted offset names the field and the offset")
    func corruptedOffset() throws {
        var bytes = try TFLiteFixtures.bytes("add_ties.tflite")
        let (_, subgraph) = try Self.tables(bytes)
        let tensors = try #require(try subgraph.vector(0, "tensors", elementSize: 4))
        Self.patch(&bytes, at: tensors.start + 4 * 1, 0x7FFF_0000, width: 4)
        let error = try #require(Self.importError(bytes))
        #expect(error.field == "subgraphs[0].tensors[1]", "\(error)")
        #expect(error.description.contains("beyond end of file (size 0x"), "\(error)")

        var root = try TFLiteFixtures.bytes("add_ties.tflite")
        Self.patch(&root, at: 0, 0xFFFF_FF00, width: 4)
        #expect(Self.importError(root)?.description.contains("root offset") == true)
    }

    @Test("a vtable outside the file is an error naming the table")
    func badVTable() throws {
        var bytes = try TFLiteFixtures.bytes("conv.tflite")
        let (_, subgraph) = try Self.tables(bytes)
        let operators = try #require(try subgraph.vector(3, "operators", elementSize: 4))
        let op = try operators.table(2)
        Self.patch(&bytes, at: op.position, UInt64(UInt32(bitPattern: -0x7000_0000)), width: 4)
        let error = try #require(Self.importError(bytes))
        #expect(error.description.contains("subgraphs[0].operators[2] (vtable)"), "\(error)")
    }

    @Test("an unsupported operator is named with its index")
    func unsupportedOperator() throws {
        var bytes = try TFLiteFixtures.bytes("add_ties.tflite")
        let (root, _) = try Self.tables(bytes)
        let model = try TFLiteModel.decode(bytes, file: nil)
        let codes = try #require(try root.vector(1, "operator_codes", elementSize: 4))
        // CONV_2D (code 3) becomes MUL (18); ADD (0) is the default value, which files omit.
        let convCode = try #require(model.operatorCodes.firstIndex { $0.builtin == .conv2D })
        let code = try codes.table(convCode)
        let mul: UInt64 = 18
        var patched = 0
        if let at = try code.fieldPosition(0, size: 1, "deprecated_builtin_code") {
            Self.patch(&bytes, at: at, mul, width: 1)
            patched += 1
        }
        if let at = try code.fieldPosition(3, size: 4, "builtin_code") {
            Self.patch(&bytes, at: at, mul, width: 4)
            patched += 1
        }
        #expect(patched > 0)
        let error = Self.importError(bytes)
        let convIndex = try #require(model.subgraph.operators.first { Int($0.opcodeIndex) == convCode }?.index)
        #expect(error?.field == "subgraphs[0].operators[\(convIndex)]", "\(String(describing: error))")
        #expect(error?.message.hasPrefix("MUL: operator MUL is not supported") == true, "\(String(describing: error))")
    }

    @Test("float and int16 tensors and asymmetric weights are named with the operator and tensor")
    func unsupportedTensors() throws {
        let original = try TFLiteFixtures.bytes("add_ties.tflite")
        let model = try TFLiteModel.decode(original, file: nil)
        let add = try #require(
            model.subgraph.operators.first { model.operatorCodes[Int($0.opcodeIndex)].builtin == .add })
        let output = model.subgraph.tensors[Int(add.outputs[0])]
        let (_, subgraph) = try Self.tables(original)
        let tensorTable = try #require(try subgraph.vector(0, "tensors", elementSize: 4)).table(output.index)
        let typeAt = try #require(try tensorTable.fieldPosition(1, size: 1, "type"))
        // An int16 tensor is imported, but needs zero point 0 (this int8 one has another).
        for (raw, name) in [(UInt64(0), "FLOAT32"), (7, "int16 with zero point"), (3, "UINT8")] {
            var bytes = original
            Self.patch(&bytes, at: typeAt, raw, width: 1)
            let error = try #require(Self.importError(bytes))
            #expect(error.field == "subgraphs[0].operators[\(add.index)]", "\(error)")
            #expect(error.message.contains("ADD: tensor \(output.index) '\(output.name)' is \(name)"), "\(error)")
        }

        // Asymmetric weights: the conv's first weight zero point set to 5.
        let conv = try #require(
            model.subgraph.operators.first { model.operatorCodes[Int($0.opcodeIndex)].builtin == .conv2D })
        let weights = Int(conv.inputs[1])
        let weightsTable = try #require(try subgraph.vector(0, "tensors", elementSize: 4)).table(weights)
        let quantization = try #require(try weightsTable.table(4, "quantization"))
        let zeroPoints = try #require(try quantization.vector(3, "zero_point", elementSize: 8))
        var bytes = original
        Self.patch(&bytes, at: zeroPoints.start, 5, width: 8)
        let error = try #require(Self.importError(bytes))
        #expect(error.message.contains("asymmetric (zero point 5)"), "\(error)")
        #expect(error.message.contains("tensor \(weights)"), "\(error)")
    }

    @Test("foreign files and other schema versions are rejected")
    func foreignFiles() throws {
        #expect(
            Self.importError(Array("ACCSIMQ\u{1A}........".utf8))?.description.contains("not a TFLite model") == true)
        var bytes = try TFLiteFixtures.bytes("pool.tflite")
        let (root, _) = try Self.tables(bytes)
        let versionAt = try #require(try root.fieldPosition(0, size: 4, "version"))
        Self.patch(&bytes, at: versionAt, 4, width: 4)
        #expect(Self.importError(bytes)?.description.contains("schema version 4") == true)
    }

    @Test("seeded byte flips never crash the importer")
    func byteFlips() throws {
        var positions = Positions(state: 2026)
        var outcomes = (imported: 0, rejected: 0)
        for fixture in TFLiteFixtures.all {
            let valid = try TFLiteFixtures.bytes(fixture.model)
            for round in 0..<120 {
                var bytes = valid
                // One to four damaged bytes; bias toward the structure at the start of the file.
                for _ in 0...(round % 4) {
                    let position =
                        round % 2 == 0
                        ? positions.next(below: min(bytes.count, 1024)) : positions.next(below: bytes.count)
                    bytes[position] ^= UInt8(truncatingIfNeeded: 1 + positions.next(below: 255))
                }
                let kernels: TFLiteImporter.Options.Kernels = round % 3 == 0 ? .reference : .optimized
                if let error = Self.importError(bytes, kernels: kernels) {
                    #expect(!error.message.isEmpty)
                    outcomes.rejected += 1
                } else {
                    outcomes.imported += 1
                }
            }
        }
        #expect(outcomes.rejected > 0 && outcomes.imported > 0)
    }
}
