import AccsimArithmetic
import AccsimChecksum
import AccsimJSON
import AccsimTestSupport
import Foundation
import Testing

@testable import AccsimModel

/// Builders and byte surgery shared by the `.q` tests.
enum QModelTestSupport {
    /// A small, valid graph that uses every operation once (requantize three times, to produce
    /// int8, uint8 and int16 outputs), with per-channel weights and int32 biases.
    static func everyOperationGraph() -> Graph {
        var generator = SeededGenerator(seed: 7)
        func values(_ count: Int, _ range: ClosedRange<Int32>) -> [Int32] {
            (0..<count).map { _ in generator.nextInt32(in: range) }
        }
        let activation = Quantization(scale: 0.05, zeroPoint: -128)
        func int8(_ name: String, _ shape: [Int]) -> TensorInfo {
            TensorInfo(name: name, shape: shape, elementType: .int8, quantization: activation)
        }
        let tensors = [
            int8("input", [1, 8, 8, 2]),
            TensorInfo(
                name: "w0", shape: [4, 3, 3, 2], elementType: .int8,
                quantization: Quantization(scales: [0.01, 0.02, 0.015, 1e-5], zeroPoints: [0, 0, 0, 0], axis: 0)),
            TensorInfo(name: "b0", shape: [4], elementType: .int32),
            int8("a0", [1, 8, 8, 4]), int8("a1", [1, 4, 4, 4]), int8("a2", [1, 4, 4, 4]), int8("a3", [1, 4, 4, 4]),
            int8("a4", [1, 4, 4, 8]), int8("a5", [1, 4, 4, 8]), int8("a6", [1, 4, 4, 8]), int8("a7", [1, 4, 4, 8]),
            int8("a8", [1, 6, 6, 8]), int8("a9", [1, 1, 1, 8]), int8("a10", [1, 8]),
            TensorInfo(
                name: "w1", shape: [10, 8], elementType: .int8, quantization: Quantization(scale: 0.004, zeroPoint: 0)),
            TensorInfo(name: "b1", shape: [10], elementType: .int32),
            int8("a11", [1, 10]), int8("a12", [1, 10]),
            TensorInfo(
                name: "probs", shape: [1, 10], elementType: .int8,
                quantization: Quantization(scale: 1.0 / 256, zeroPoint: -128)),
            TensorInfo(
                name: "out_u8", shape: [1, 10], elementType: .uint8,
                quantization: Quantization(scale: 0.1, zeroPoint: 128)),
            TensorInfo(
                name: "out_i16", shape: [1, 10], elementType: .int16,
                quantization: Quantization(scale: 0.30000000000000004, zeroPoint: 0)),
        ]
        let constants = [
            "w0": ConstantData(elementType: .int8, values: values(4 * 3 * 3 * 2, -128...127)),
            "b0": ConstantData(elementType: .int32, values: values(4, -100_000...100_000) + []),
            "w1": ConstantData(elementType: .int8, values: values(80, -128...127)),
            "b1": ConstantData(elementType: .int32, values: [Int32.min, Int32.max] + values(8, -1000...1000)),
        ]
        func requantizer(_ multiplier: Int32 = 1_518_500_250, shift: Int32 = 38, zeroPoint: Int32 = -128) -> Requantizer
        {
            Requantizer(multiplier: multiplier, shift: shift, rounding: .tflite, zeroPoint: zeroPoint)
        }
        let nodes = [
            Node(
                name: "conv0",
                operation: .conv2D(
                    Conv2DParameters(
                        stride: Size2D(1), dilation: Size2D(1),
                        padding: Padding2D(top: 1, bottom: 1, left: 1, right: 1), groups: 1,
                        requantizer: Requantizer(
                            multipliers: [1_518_500_250, 1_100_000_000, 2_000_000_000, 1_073_741_824],
                            shifts: [38, 39, 40, 37],
                            rounding: .tflite, zeroPoint: -128, clampMin: -128, clampMax: 127))),
                inputs: ["input", "w0", "b0"], outputs: ["a0"]),
            Node(
                name: "pool0", operation: .maxPool(MaxPoolParameters(window: Size2D(2), stride: Size2D(2))),
                inputs: ["a0"], outputs: ["a1"]),
            Node(
                name: "avg0",
                operation: .avgPool(
                    AvgPoolParameters(
                        window: Size2D(3), stride: Size2D(1), padding: Padding2D(top: 1, bottom: 1, left: 1, right: 1),
                        rounding: .halfAway, countIncludePad: true)), inputs: ["a1"], outputs: ["a2"]),
            Node(
                name: "add0",
                operation: .add(
                    AddParameters(
                        inputs: [
                            AddInputScaling(
                                leftShift: 20, rescale: requantizer(1_073_741_824, shift: 31, zeroPoint: 0)),
                            AddInputScaling(leftShift: 0, rescale: nil),
                        ],
                        output: requantizer(1_300_000_000, shift: 50))), inputs: ["a1", "a2"], outputs: ["a3"]),
            Node(
                name: "concat0",
                operation: .concat(
                    ConcatParameters(
                        axis: 3,
                        inputRequantizers: [
                            nil, Requantizer(multiplier: 3, shift: 2, rounding: .halfUp, zeroPoint: -128),
                        ])),
                inputs: ["a3", "a2"], outputs: ["a4"]),
            Node(
                name: "lrelu0",
                operation: .leakyRelu(LeakyReluParameters(slopeMultiplier: 1, slopeShift: 3, rounding: .halfUp)),
                inputs: ["a4"], outputs: ["a5"]),
            Node(
                name: "clamp0", operation: .clamp(ClampParameters(min: -128, max: 100)), inputs: ["a5"], outputs: ["a6"]
            ),
            Node(
                name: "lut0", operation: .lookupTable(LookupTableParameters(table: (0..<256).map { Int32($0) - 128 })),
                inputs: ["a6"], outputs: ["a7"]),
            Node(
                name: "pad0",
                operation: .pad(PadParameters(padding: [[0, 0], [1, 1], [1, 1], [0, 0]], value: -128)),
                inputs: ["a7"], outputs: ["a8"]),
            Node(
                name: "mean0",
                operation: .mean(MeanParameters(requantizer: requantizer(1_200_000_000, shift: 36), keepDims: true)),
                inputs: ["a8"], outputs: ["a9"]),
            Node(
                name: "flatten0", operation: .reshape(ReshapeParameters(shape: [1, 8])), inputs: ["a9"],
                outputs: ["a10"]),
            Node(
                name: "fc0", operation: .fullyConnected(FullyConnectedParameters(requantizer: requantizer())),
                inputs: ["a10", "w1", "b1"], outputs: ["a11"]),
            Node(
                name: "requant0",
                operation: .requantize(Requantizer(multiplier: 5, shift: 2, rounding: .halfEven, zeroPoint: -128)),
                inputs: ["a11"], outputs: ["a12"]),
            Node(
                name: "softmax0",
                operation: .softmax(
                    SoftmaxParameters(
                        betaTimesInputScale: 0.1, inputMultiplier: 1_717_986_918, inputLeftShift: 25, diffMin: -248)),
                inputs: ["a12"], outputs: ["probs"]),
            Node(
                name: "to_u8",
                operation: .requantize(
                    Requantizer(
                        multiplier: 1, shift: 0, rounding: .floor, zeroPoint: 128, clampMin: 0, clampMax: 255)),
                inputs: ["a12"], outputs: ["out_u8"]),
            Node(
                name: "to_i16",
                operation: .requantize(
                    Requantizer(
                        multiplier: 3, shift: 1, rounding: .halfAway, zeroPoint: 0, clampMin: -32768, clampMax: 32767)),
                inputs: ["a11"], outputs: ["out_i16"]),
        ]
        return Graph(
            name: "every_op", tensors: tensors, constants: constants, nodes: nodes, inputs: ["input"],
            outputs: ["probs", "out_u8", "out_i16"],
            metadata: [
                "source_model": "hand-built", "producer": "QModelTests", "semantics": "tflite", "dataset": "none",
            ])
    }

    /// The encoded every-operation graph (encoded once).
    static let encoded: [UInt8] = (try? QModelWriter.encode(everyOperationGraph())) ?? []

    // MARK: Byte surgery

    /// A `.q` file rebuilt around a manifest: header with fresh CRCs, the manifest, zero padding
    /// and `blobArea` at `blobStart`. `patchHeader` may change header bytes before the header CRC
    /// is computed.
    static func assemble(
        manifest: [UInt8], blobArea: [UInt8], blobStart: Int, patchHeader: (inout [UInt8]) -> Void = { _ in }
    ) -> [UInt8] {
        var body = manifest
        if !blobArea.isEmpty {
            body += [UInt8](repeating: 0, count: max(0, blobStart - 64 - manifest.count))
            body += blobArea
        }
        var header = QModelFormat.magic
        append(UInt32(1), to: &header)
        append(UInt32(0), to: &header)
        append(UInt64(64), to: &header)
        append(UInt64(manifest.count), to: &header)
        append(CRC32.checksum(manifest), to: &header)
        append(UInt32(0), to: &header)
        append(UInt64(64 + body.count), to: &header)
        header += [UInt8](repeating: 0, count: 12)
        patchHeader(&header)
        append(CRC32.checksum(header), to: &header)
        return header + body
    }

    /// The manifest of a file as a JSON value.
    static func manifest(of bytes: [UInt8]) throws -> JSONValue {
        let length = Int(readUInt64(bytes, at: 24))
        return try JSONParser().parse(Array(bytes[64..<64 + length]))
    }

    /// The encoded every-operation graph with its blobs moved to byte 65536 (room for any manifest
    /// edit) and `edit` applied to its manifest; `rawManifest` replaces the manifest text instead.
    static func edited(_ edit: (inout JSONValue) -> Void = { _ in }, rawManifest: ((String) -> String)? = nil) throws
        -> [UInt8]
    {
        let bytes = encoded
        var manifest = try manifest(of: bytes)
        guard case .array(let entries)? = manifest["constants"], case .int(let first)? = entries.first?["offset"] else {
            Issue.record("the test graph has no constants")
            return []
        }
        let newStart = 65536
        let delta = Int64(newStart) - first
        var moved: [JSONValue] = []
        for entry in entries {
            guard case .object(var object) = entry, case .int(let offset)? = object["offset"] else { continue }
            object["offset"] = .int(offset + delta)
            moved.append(.object(object))
        }
        manifest = replacing(manifest, key: "constants", with: .array(moved))
        edit(&manifest)
        var text = try JSONWriter(style: .compact).encode(manifest)
        if let rawManifest { text = Array(rawManifest(String(decoding: text, as: UTF8.self)).utf8) }
        return assemble(manifest: text, blobArea: Array(bytes[Int(first)...]), blobStart: newStart)
    }

    /// `value` with member `key` of the object replaced.
    static func replacing(_ value: JSONValue, key: String, with member: JSONValue?) -> JSONValue {
        guard case .object(var object) = value else { return value }
        object[key] = member
        return .object(object)
    }

    /// Applies `change` to the element `index` of array member `key` of an object.
    static func editElement(_ value: inout JSONValue, key: String, index: Int, _ change: (inout JSONValue) -> Void) {
        guard case .array(var elements)? = value[key], elements.indices.contains(index) else {
            Issue.record("no \(key)[\(index)]")
            return
        }
        change(&elements[index])
        value = replacing(value, key: key, with: .array(elements))
    }

    /// Applies `change` to member `key` of an object value.
    static func editMember(_ value: inout JSONValue, key: String, _ change: (inout JSONValue) -> Void) {
        guard var member = value[key] else {
            Issue.record("no member \(key)")
            return
        }
        change(&member)
        value = replacing(value, key: key, with: member)
    }

    /// The error decoding `bytes` (records an issue when decoding succeeds).
    static func decodeError(_ bytes: [UInt8], file: String? = nil) -> ModelError? {
        do {
            _ = try QModelReader.decode(bytes, file: file)
            Issue.record("expected the file to be rejected")
            return nil
        } catch {
            return error
        }
    }

    static func readUInt64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        (0..<8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64(bytes[offset + $1]) }
    }

    static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32(bytes[offset + $1]) }
    }

    static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        for index in 0..<(T.bitWidth / 8) { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
    }

    /// Rewrites the header CRC after a header byte was changed on purpose.
    static func fixHeaderCRC(_ bytes: inout [UInt8]) {
        let crc = CRC32.checksum(Array(bytes[0..<60]))
        for index in 0..<4 { bytes[60 + index] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(index))) }
    }

    /// A fresh empty directory for file tests.
    static func temporaryDirectory() throws -> String { try Repository.temporaryDirectory(prefix: "io").path }
}
