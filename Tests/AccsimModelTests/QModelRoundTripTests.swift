import AccsimArithmetic
import AccsimChecksum
import AccsimJSON
import Foundation
import Testing

@testable import AccsimModel

@Suite("QModel round trip")
struct QModelRoundTripTests {
    private let graph = QModelTestSupport.everyOperationGraph()

    /// The version-2-only operations (LiteRT's int16 kernels); ``int16Operations()`` covers them.
    static let versionTwoKinds: Set<AccsimModel.Operation.Kind> = [.int16Activation, .int16Softmax]

    @Test("the test graph uses every version-1 operation and is valid")
    func coverage() throws {
        #expect(
            Set(graph.nodes.map(\.operation.kind)) == Set(Operation.Kind.allCases).subtracting(Self.versionTwoKinds))
        try graph.validate()
    }

    @Test("int16 LOGISTIC/TANH and SOFTMAX nodes make a version-2 file that reads back equal")
    func int16Operations() throws {
        var graph = self.graph
        let q15 = Quantization(scale: 1.0 / 32768, zeroPoint: 0)
        graph.tensors += ["tanh_i16", "probs_i16"].map {
            TensorInfo(name: $0, shape: [1, 10], elementType: .int16, quantization: q15)
        }
        graph.nodes += [
            Node(
                name: "tanh16",
                operation: .int16Activation(
                    Int16ActivationParameters(function: .tanh, inputMultiplier: 29491, inputLeftShift: 3)),
                inputs: ["out_i16"], outputs: ["tanh_i16"]),
            Node(
                name: "softmax16", operation: .int16Softmax(Int16SoftmaxParameters.litert(inputScale: 0.3, beta: 1)),
                inputs: ["out_i16"], outputs: ["probs_i16"]),
        ]
        graph.outputs += ["tanh_i16", "probs_i16"]
        #expect(Set(graph.nodes.map(\.operation.kind)) == Set(Operation.Kind.allCases))
        try graph.validate()
        let bytes = try QModelWriter.encode(graph)
        #expect(QModelTestSupport.readUInt32(bytes, at: 8) == 2)
        #expect(try QModelReader.decode(bytes) == graph)
        // A table of the wrong length is named with its node and field.
        graph.nodes[graph.nodes.count - 1].operation = .int16Softmax(
            Int16SoftmaxParameters(inputMultiplier: 1 << 30, inputShift: 0, expTable: [0], reciprocalTable: []))
        #expect {
            try graph.validate()
        } throws: { error in
            "\(error)".contains("softmax16") && "\(error)".contains("attributes.exp_table")
        }
    }

    @Test("encode then decode gives the same graph")
    func roundTrip() throws {
        let bytes = try QModelWriter.encode(graph)
        let decoded = try QModelReader.decode(bytes)
        #expect(decoded == graph)
        #expect(decoded.nodes.map(\.name) == graph.nodes.map(\.name))
        #expect(decoded.tensors.map(\.name) == graph.tensors.map(\.name))
        #expect(decoded.tensor(named: "out_i16")?.quantization?.scales == [0.30000000000000004])
        #expect(decoded.tensor(named: "w0")?.quantization?.scales == [0.01, 0.02, 0.015, 1e-5])
        #expect(decoded.constants["b1"]?.int32Values().prefix(2) == [Int32.min, Int32.max])
    }

    @Test("encoding is deterministic and re-encoding a decoded file is byte-identical")
    func determinism() throws {
        let first = try QModelWriter.encode(graph)
        let second = try QModelWriter.encode(graph)
        #expect(first == second)
        let again = try QModelWriter.encode(QModelReader.decode(first))
        #expect(again == first)
        // The metadata dictionary's order does not matter.
        var shuffled = graph
        shuffled.metadata = [:]
        for key in graph.metadata.keys.sorted().reversed() { shuffled.metadata[key] = graph.metadata[key] }
        #expect(try QModelWriter.encode(shuffled) == first)
    }

    @Test("header fields, manifest text and blob layout follow docs/model-format.md")
    func layout() throws {
        let bytes = try QModelWriter.encode(graph)
        #expect(Array(bytes[0..<8]) == Array("ACCSIMQ".utf8) + [0x1A])
        #expect(QModelTestSupport.readUInt32(bytes, at: 8) == 1)
        #expect(QModelTestSupport.readUInt32(bytes, at: 12) == 0)
        #expect(QModelTestSupport.readUInt64(bytes, at: 16) == 64)
        #expect(QModelTestSupport.readUInt64(bytes, at: 40) == UInt64(bytes.count))
        #expect(QModelTestSupport.readUInt32(bytes, at: 60) == CRC32.checksum(Array(bytes[0..<60])))
        let manifestLength = Int(QModelTestSupport.readUInt64(bytes, at: 24))
        let manifestBytes = Array(bytes[64..<64 + manifestLength])
        #expect(QModelTestSupport.readUInt32(bytes, at: 32) == CRC32.checksum(manifestBytes))

        let text = String(decoding: manifestBytes, as: UTF8.self)
        #expect(
            text.hasPrefix(
                #"{"version":1,"name":"every_op","metadata":{"dataset":"none","producer":"QModelTests","semantics":"tflite","source_model":"hand-built"},"inputs":["input"],"outputs":["probs","out_u8","out_i16"],"tensors":[{"name":"input","shape":[1,8,8,2],"type":"int8","quantization":{"scales":[0.05],"zero_points":[-128]}},"#
            ))
        #expect(text.contains(#"{"name":"b0","shape":[4],"type":"int32"}"#))
        #expect(
            text.contains(
                #"{"name":"requant0","op":"requantize","inputs":["a11"],"outputs":["a12"],"attributes":{"requantizer":{"multipliers":[5],"shifts":[2],"rounding":"half_even","zero_point":-128,"clamp_min":-128,"clamp_max":127}}}"#
            ))
        #expect(
            text.contains(
                #""attributes":{"stride":[1,1],"dilation":[1,1],"padding":[1,1,1,1],"groups":1,"requantizer":"#))
        #expect(text.contains(#""inputs":[{"left_shift":20,"rescale":{"#) && text.contains(#"{"left_shift":0}]"#))
        #expect(text.contains(#""input_requantizers":[null,{"#))

        let manifest = try StrictJSONDecoder().decode(QModelManifest.self, from: manifestBytes)
        #expect(manifest.constants.map(\.tensor) == ["w0", "b0", "w1", "b1"])
        let firstOffset = (64 + manifestLength + 63) / 64 * 64
        #expect(manifest.constants[0].offset == firstOffset)
        var expectedOffset = firstOffset
        for entry in manifest.constants {
            #expect(entry.offset == expectedOffset)
            #expect(entry.offset % 64 == 0)
            let blob = Array(bytes[entry.offset..<entry.offset + entry.length])
            #expect(blob == graph.constants[entry.tensor]?.bytes)
            #expect(entry.crc32 == CRC32.checksum(blob))
            expectedOffset = (entry.offset + entry.length + 63) / 64 * 64
        }
        #expect(manifest.constants.last.map { $0.offset + $0.length } == bytes.count)
    }

    @Test("a graph without constants ends right after its manifest")
    func noConstants() throws {
        let small = Graph(
            name: "tiny",
            tensors: [
                TensorInfo(name: "x", shape: [1, 4], elementType: .int8),
                TensorInfo(name: "y", shape: [1, 4], elementType: .int8),
            ],
            constants: [:],
            nodes: [
                Node(name: "relu", operation: .clamp(ClampParameters(min: 0, max: 127)), inputs: ["x"], outputs: ["y"])
            ],
            inputs: ["x"], outputs: ["y"])
        let bytes = try QModelWriter.encode(small)
        #expect(bytes.count == 64 + Int(QModelTestSupport.readUInt64(bytes, at: 24)))
        #expect(try QModelReader.decode(bytes) == small)
        // `metadata` and `constants` may be omitted by hand-written manifests.
        let manifest = try QModelTestSupport.manifest(of: bytes)
        let trimmed = QModelTestSupport.replacing(
            QModelTestSupport.replacing(manifest, key: "metadata", with: nil), key: "constants", with: nil)
        let rebuilt = QModelTestSupport.assemble(manifest: try JSONWriter().encode(trimmed), blobArea: [], blobStart: 0)
        #expect(try QModelReader.decode(rebuilt) == small)
    }

    @Test("the writer refuses invalid graphs and non-finite values")
    func writerChecks() {
        var invalid = graph
        invalid.nodes[0].inputs[1] = "missing"
        #expect(throws: ModelError.self) { try QModelWriter.encode(invalid) }
        var nan = graph
        nan.nodes[13].operation = .softmax(
            SoftmaxParameters(betaTimesInputScale: .nan, inputMultiplier: 1, inputLeftShift: 1, diffMin: -1))
        #expect(
            throws: ModelError(
                node: "softmax0", field: "attributes.beta_times_input_scale",
                "nan cannot be written in JSON (only finite numbers can)")
        ) {
            try QModelWriter.encode(nan)
        }
    }

    @Test("files: written atomically, never overwritten unless asked, read back equal")
    func files() throws {
        let directory = try QModelTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/model.q"
        try QModelWriter.write(graph, to: path, overwrite: false)
        #expect(try QModelReader.read(path: path) == graph)
        #expect(throws: ModelError(file: path, "already exists; refusing to overwrite it")) {
            try QModelWriter.write(graph, to: path, overwrite: false)
        }
        var renamed = graph
        renamed.name = "renamed"
        try QModelWriter.write(renamed, to: path, overwrite: true)
        #expect(try QModelReader.read(path: path).name == "renamed")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["model.q"])
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: path))) == QModelWriter.encode(renamed))
    }

    @Test("a missing file or a directory is a ModelError naming the path")
    func missingFile() throws {
        let directory = try QModelTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: ModelError(file: directory + "/none.q", "cannot open: No such file or directory")) {
            try QModelReader.read(path: directory + "/none.q")
        }
        #expect(throws: ModelError(file: directory, "is a directory, not a file")) {
            try QModelReader.read(path: directory)
        }
        #expect(throws: ModelError.self) {
            try QModelWriter.write(graph, to: directory + "/no/such/dir/m.q", overwrite: true)
        }
    }
}
