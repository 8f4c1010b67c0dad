import AccsimArithmetic
import AccsimModel
import Testing

/// Float inputs quantized as the producing framework records (`float_input`), NCHW arrays, and
/// outputs written back in the framework's layout.
struct FloatInputTests {
    private func input(
        _ rounding: RoundingMode, operation: FloatInputQuantization.Operation = .multiply, factor: Double = 127,
        zeroPoint: Int32 = 0, shape: [Int] = [1, 1, 1, 4], layout: TensorLayout? = nil
    ) -> TensorInfo {
        TensorInfo(
            name: "input", shape: shape, elementType: .int8,
            quantization: Quantization(scale: 1 / factor, zeroPoint: zeroPoint),
            layout: layout, floatInput: FloatInputQuantization(operation: operation, factor: factor, rounding: rounding)
        )
    }

    private func quantize(_ info: TensorInfo, _ values: [Float], shape: [Int]) throws -> IntTensor {
        try info.inputTensor(from: try NPYArray(shape: shape, floats: values), source: "x.npy")
    }

    @Test func aidgeRoundHalfUpOnTheFloat32Product() throws {
        // x·1 in float32: 0.49999997 stays below the tie (0), −2.5 → −2, 2.5 → 3, 200 clamps to 127.
        let info = input(.halfUp, factor: 1)
        let q = try quantize(info, [0.49999997, -2.5, 2.5, 200], shape: [1, 1, 1, 4])
        #expect(q.values == [0, -2, 3, 127])
        #expect(q.elementType == .int8)
        // 0.5·127 = 63.5 exactly → 64 (half up); 3/16·127 = 23.8125 → 24; −1 → −127.
        #expect(try quantize(input(.halfUp), [0.5, 0.1875, -1, 0], shape: [1, 1, 1, 4]).values == [64, 24, -127, 0])
    }

    @Test func divideWithTheOtherRoundingsAndAZeroPoint() throws {
        // TFLite/ONNX style: x / scale. 2.5/1 → 2 (half even) or 3 (half away); −2.5 → −2 / −3;
        // with zero point −128: 2 − 128, 3.5 → 4 − 128, −2 − 128 clamps, 300 − 128 clamps.
        let even = input(.halfEven, operation: .divide, factor: 1, zeroPoint: -128)
        #expect(try quantize(even, [2.5, 3.5, -2.5, 300], shape: [1, 1, 1, 4]).values == [-126, -124, -128, 127])
        let away = input(.halfAway, operation: .divide, factor: 1)
        #expect(try quantize(away, [2.5, -2.5, 0.5, -0.49], shape: [1, 1, 1, 4]).values == [3, -3, 1, 0])
    }

    @Test func nchwArraysAreTransposedAndOutputsWrittenBack() throws {
        // NHWC [1, 1, 2, 3] (H 1, W 2, C 3); the NCHW array [1, 3, 1, 2] holds c-major values.
        let info = input(.halfUp, factor: 1, shape: [1, 1, 2, 3], layout: .nchw)
        let nchw: [Float] = [0, 1, 10, 11, 20, 21]  // c0: (0, 1), c1: (10, 11), c2: (20, 21)
        let q = try quantize(info, nchw, shape: [1, 3, 1, 2])
        #expect(q.shape == [1, 1, 2, 3])
        #expect(q.values == [0, 10, 20, 1, 11, 21])
        // An NHWC array of the model's own shape is taken as it is.
        #expect(try quantize(info, [0, 10, 20, 1, 11, 21], shape: [1, 1, 2, 3]).values == [0, 10, 20, 1, 11, 21])
        let back = info.frameworkArray(q)
        #expect(back.shape == [1, 3, 1, 2])
        #expect(back.int32Values() == [0, 1, 10, 11, 20, 21])
    }

    @Test func int8ArraysAreTakenAsQuantized() throws {
        let info = input(.halfUp)
        let array = try NPYArray(shape: [2, 1, 1, 4], dtype: .int8, values: [1, -2, 3, -4, 5, 6, 7, 8])
        let q = try info.inputTensor(from: array, source: "x.npy")
        #expect(q.values == [1, -2, 3, -4, 5, 6, 7, 8])
        #expect(q.shape == [2, 1, 1, 4])
    }

    @Test func badArraysAreNamed() throws {
        let info = input(.halfUp)
        #expect(throws: ModelError.self) { try quantize(info, [.nan, 0, 0, 0], shape: [1, 1, 1, 4]) }
        do {
            _ = try quantize(info, [0, 0, 0], shape: [1, 1, 1, 3])
            Issue.record("a wrong shape was accepted")
        } catch {
            #expect("\(error)".contains("x.npy"))
            #expect("\(error)".contains("expects [N] + [1, 1, 4]"))
        }
        let integerOnly = TensorInfo(name: "input", shape: [1, 4], elementType: .int8)
        do {
            _ = try integerOnly.inputTensor(from: try NPYArray(shape: [1, 4], floats: [0, 0, 0, 0]), source: "x.npy")
            Issue.record("float input without float_input was accepted")
        } catch {
            #expect("\(error)".contains("records no input quantization"))
        }
    }

    @Test func versionTwoKeysRoundTripAndSetTheVersion() throws {
        let info = input(.halfUp, shape: [1, 2, 2, 1], layout: .nchw)
        let pool = Node(
            name: "gap",
            operation: .avgPool(AvgPoolParameters(window: Size2D(2), stride: Size2D(1), average: .aidgeRunningMean)),
            inputs: ["input"], outputs: ["y"])
        let graph = Graph(
            name: "v2", tensors: [info, TensorInfo(name: "y", shape: [1, 1, 1, 1], elementType: .int8)], constants: [:],
            nodes: [pool], inputs: ["input"], outputs: ["y"])
        let bytes = try QModelWriter.encode(graph)
        #expect(bytes[8] == 2)
        #expect(try QModelReader.decode(bytes) == graph)
        var plain = graph
        plain.tensors[0].layout = nil
        plain.tensors[0].floatInput = nil
        plain.nodes[0].operation = .avgPool(AvgPoolParameters(window: Size2D(2), stride: Size2D(1)))
        #expect(try QModelWriter.encode(plain)[8] == 1)
        // A float input on a tensor that is not a graph input is refused.
        var inner = graph
        inner.tensors[1].floatInput = info.floatInput
        #expect(throws: ModelError.self) { try inner.validate() }
    }
}
