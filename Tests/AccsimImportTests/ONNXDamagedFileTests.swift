import AccsimImport
import AccsimModel
import Testing

/// Damaged, foreign and unsupported ONNX files give a ModelError naming the field path, node and
/// tensor — never a crash.
@Suite("ONNX damaged and unsupported files")
struct ONNXDamagedFileTests {
    /// A small deterministic generator (a 64-bit LCG) for positions and byte values.
    struct Positions {
        var state: UInt64
        mutating func next(below bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    /// The error importing `bytes` raises, or nil when it imports.
    static func importError(_ bytes: [UInt8], policy: RequantPolicy = .default) -> ModelError? {
        do {
            _ = try ONNXImporter.importModel(bytes: bytes, file: "damaged.onnx", options: .init(policy: policy))
            return nil
        } catch {
            return error
        }
    }

    @Test("truncation at every length is an error naming the file")
    func truncation() throws {
        let bytes = try ONNXFixtures.bytes(ONNXFixtures.fixture("ties").model)
        for length in 0..<bytes.count {
            let error = try #require(
                Self.importError(Array(bytes[0..<length])), "a cut at \(length) of \(bytes.count) bytes imported")
            #expect(error.file == "damaged.onnx")
        }
        let half = try #require(Self.importError(Array(bytes[0..<bytes.count / 2])))
        #expect(half.description.contains("beyond end of message") || half.description.contains("truncated"), "\(half)")
        #expect(Self.importError([])?.description.contains("not an ONNX model") == true)
        #expect(Self.importError(Array("not a model at all".utf8)) != nil)
    }

    @Test("seeded byte flips and truncations of every fixture never crash", arguments: ONNXFixtures.names)
    func fuzz(name: String) throws {
        let original = try ONNXFixtures.bytes(ONNXFixtures.fixture(name).model)
        var positions = Positions(state: 0x5EED_0000 &+ UInt64(original.count))
        var rejected = 0
        let trials = 150
        for trial in 0..<trials {
            var bytes = original
            let flips = 1 + positions.next(below: 4)
            for _ in 0..<flips {
                bytes[positions.next(below: bytes.count)] = UInt8(positions.next(below: 256))
            }
            if trial % 3 == 0 { bytes = Array(bytes[0..<positions.next(below: bytes.count)]) }
            if let error = Self.importError(bytes) {
                #expect(!error.description.isEmpty)
                rejected += 1
            }
        }
        // Flips in weights or names can import; damage to the structure is caught.
        #expect(rejected > 0)
    }

    @Test("an unsupported operator names the node and the operator")
    func unsupportedOperator() throws {
        let error = try #require(Self.importError(try ONNXFixtures.bytes("unsupported_op.onnx")))
        #expect(error.node == "the_tanh")
        #expect(error.field == "graph.node[2]")
        #expect(error.message.contains("unsupported operator 'Tanh' (domain ai.onnx)"), "\(error)")
    }

    @Test("per-channel activation quantization names the tensor")
    func perChannelActivation() throws {
        let error = try #require(Self.importError(try ONNXFixtures.bytes("per_channel_activation.onnx")))
        #expect(error.message.contains("activation 'x' is quantized per channel"), "\(error)")
        #expect(error.node == "QuantizeLinear#0")
    }

    @Test("an invalid policy is rejected before anything is read")
    func invalidPolicy() {
        let error = Self.importError([], policy: .fixedPoint(bits: 40))
        #expect(error?.message.contains("bits must lie in 2...32") == true)
    }

    @Test("a missing file is an error naming it")
    func missingFile() {
        do {
            _ = try ONNXImporter.importModel(path: "/nonexistent/model.onnx")
            Issue.record("imported a missing file")
        } catch {
            #expect(error.file == "/nonexistent/model.onnx")
        }
    }
}
