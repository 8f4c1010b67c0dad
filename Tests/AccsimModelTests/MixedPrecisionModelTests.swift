import AccsimArithmetic
import Testing

@testable import AccsimModel

/// int16 input [1,2,2,2] → conv 1x1 (int4 weights, int64 bias, int64 accumulator) → int16
/// [1,2,2,3] → FC with int16 weights (int32 accumulator, zero-point-free int16 × int16).
private func mixedGraph() -> Graph {
    let wide = Requantizer(multiplier: 3, shift: 5, rounding: .halfUp, zeroPoint: 0, clampMin: -32768, clampMax: 32767)
    return Graph(
        name: "mixed",
        tensors: [
            TensorInfo(
                name: "x", shape: [1, 2, 2, 2], elementType: .int16,
                quantization: Quantization(scale: 0.001, zeroPoint: 0)),
            TensorInfo(
                name: "w", shape: [3, 1, 1, 2], elementType: .int4, quantization: Quantization(scale: 0.1, zeroPoint: 0)
            ),
            TensorInfo(name: "b", shape: [3], elementType: .int64),
            TensorInfo(
                name: "c", shape: [1, 2, 2, 3], elementType: .int16,
                quantization: Quantization(scale: 0.002, zeroPoint: 0)),
            TensorInfo(
                name: "flat", shape: [1, 12], elementType: .int16,
                quantization: Quantization(scale: 0.002, zeroPoint: 0)),
            TensorInfo(
                name: "fw", shape: [2, 12], elementType: .int16, quantization: Quantization(scale: 0.01, zeroPoint: 0)),
            TensorInfo(
                name: "y", shape: [1, 2], elementType: .int16, quantization: Quantization(scale: 0.5, zeroPoint: 0)),
        ],
        constants: [
            "w": ConstantData(elementType: .int4, values: [-8, 7, -1, 3, 5, 0]),
            "b": ConstantData(elementType: .int64, wideValues: [Int64(1) << 40, -(Int64(1) << 35), 7]),
            "fw": ConstantData(elementType: .int16, values: (0..<24).map { Int32($0 * 1000) - 12000 }),
        ],
        nodes: [
            Node(
                name: "conv", operation: .conv2D(Conv2DParameters(requantizer: wide, accumulator: .int64)),
                inputs: ["x", "w", "b"], outputs: ["c"]),
            Node(
                name: "flatten", operation: .reshape(ReshapeParameters(shape: [1, 12])), inputs: ["c"],
                outputs: ["flat"]),
            Node(
                name: "fc", operation: .fullyConnected(FullyConnectedParameters(requantizer: wide)),
                inputs: ["flat", "fw"], outputs: ["y"]),
        ],
        inputs: ["x"], outputs: ["y"])
}

@Suite struct MixedPrecisionModelTests {
    @Test func int4PacksTwoPerByteLowNibbleFirst() {
        let data = ConstantData(elementType: .int4, values: [-8, 7, -1, 3, 5])
        #expect(data.bytes == [0x78, 0x3F, 0x05])
        #expect(data.int32Values(count: 5) == [-8, 7, -1, 3, 5])
        #expect(data.int64Values(count: 5) == [-8, 7, -1, 3, 5])
        #expect(ElementType.int4.byteCount(elements: 5) == 3)
        #expect(TensorInfo(name: "w", shape: [5, 1], elementType: .int4).byteCount == 3)
        #expect(ElementType.int4.contains(7) && !ElementType.int4.contains(8) && !ElementType.int4.contains(-9))
    }

    @Test func int64KeepsEveryBit() {
        let values: [Int64] = [.min, .max, -1, 1 << 40, -(1 << 47) + 3]
        let data = ConstantData(elementType: .int64, wideValues: values)
        #expect(data.bytes.count == 40)
        #expect(Array(data.bytes[0..<8]) == [0, 0, 0, 0, 0, 0, 0, 0x80])
        #expect(data.int64Values() == values)
        #expect(ElementType.int64.minValue == .min && ElementType.int64.lowerBound == .min)
    }

    @Test func mixedGraphIsValid() throws {
        try mixedGraph().validate()
    }

    @Test func int64BiasNeedsAnInt64Accumulator() {
        var graph = mixedGraph()
        let wide = Requantizer(
            multiplier: 3, shift: 5, rounding: .halfUp, zeroPoint: 0, clampMin: -32768, clampMax: 32767)
        graph.nodes[0].operation = .conv2D(Conv2DParameters(requantizer: wide))
        expectInvalid(graph, node: "conv", field: "inputs[2]", "bias 'b' is int64 but the layer accumulates in int32")
    }

    @Test func int64AccumulatorRefusesTheInt32TFLiteRounding() {
        var graph = mixedGraph()
        let q31 = Requantizer(
            multiplier: 1 << 30, shift: 40, rounding: .tflite, zeroPoint: 0, clampMin: -32768, clampMax: 32767)
        graph.nodes[0].operation = .conv2D(Conv2DParameters(requantizer: q31, accumulator: .int64))
        expectInvalid(
            graph, node: "conv", field: "attributes.requantizer.rounding", "tflite requantizes an int32 accumulator")
    }

    @Test func accumulatorMustBeInt32OrInt64() {
        var graph = mixedGraph()
        let wide = Requantizer(
            multiplier: 3, shift: 5, rounding: .halfUp, zeroPoint: 0, clampMin: -32768, clampMax: 32767)
        graph.nodes[2].operation = .fullyConnected(FullyConnectedParameters(requantizer: wide, accumulator: .int16))
        expectInvalid(graph, node: "fc", field: "attributes.accumulator", "is int16; accumulators are int32 or int64")
    }

    @Test func int16ProductsWithZeroPointsNeedInt64() {
        var graph = mixedGraph()
        // |q − zp| reaches 32767 + 32768 = 65535 on the input and on the weights: 65535² > 2^31.
        graph.tensors[4].quantization = Quantization(scale: 0.002, zeroPoint: -32768)
        graph.tensors[3].quantization = Quantization(scale: 0.002, zeroPoint: -32768)
        graph.tensors[5].quantization = Quantization(scale: 0.01, zeroPoint: 32767)
        let wide = Requantizer(
            multiplier: 3, shift: 5, rounding: .halfUp, zeroPoint: -32768, clampMin: -32768, clampMax: 32767)
        graph.nodes[0].operation = .conv2D(Conv2DParameters(requantizer: wide, accumulator: .int64))
        expectInvalid(
            graph, node: "fc", field: "attributes.accumulator",
            "int16 × int16 products with these zero points reach 4294836225, beyond int32")
    }

    @Test func int32AndInt64AreNotActivations() {
        var graph = mixedGraph()
        graph.tensors[0].elementType = .int64
        expectInvalid(graph, node: "conv", field: "inputs[0]", "'x' is int64; activations are int8, uint8 or int16")
        graph = mixedGraph()
        graph.tensors[5].elementType = .int32
        graph.constants["fw"] = ConstantData(elementType: .int32, values: [Int32](repeating: 1, count: 24))
        expectInvalid(
            graph, node: "fc", field: "inputs[1]", "weights 'fw' are int32; weights are int4, int8, uint8 or int16")
    }

    @Test func int4PaddingNibbleMustBeZero() {
        var graph = mixedGraph()
        graph.tensors[1].shape = [3, 1, 1, 1]
        graph.tensors[0].shape = [1, 2, 2, 1]
        graph.constants["w"] = ConstantData(elementType: .int4, bytes: [0x12, 0x93])
        expectInvalid(
            graph, node: nil, field: "constants.w",
            "int4 tensor 'w' has 3 elements; the unused high nibble of its last byte must be 0")
    }

    @Test func mixedModelsAreVersion2AndInt8ModelsStayVersion1() throws {
        let graph = mixedGraph()
        let bytes = try QModelWriter.encode(graph)
        #expect(bytes[8] == 2)
        #expect(try QModelReader.decode(bytes) == graph)
        var plain = graph
        plain.tensors[1].elementType = .int8
        plain.constants["w"] = ConstantData(elementType: .int8, values: [-8, 7, -1, 3, 5, 0])
        plain.tensors[2].elementType = .int32
        plain.constants["b"] = ConstantData(elementType: .int32, values: [1, 2, 3])
        let wide = Requantizer(
            multiplier: 3, shift: 5, rounding: .halfUp, zeroPoint: 0, clampMin: -32768, clampMax: 32767)
        plain.nodes[0].operation = .conv2D(Conv2DParameters(requantizer: wide))
        #expect(try QModelWriter.encode(plain)[8] == 1)
    }
}
