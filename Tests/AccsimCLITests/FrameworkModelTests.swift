import AccsimJSON
import AccsimModel
import AccsimTestSupport
import Foundation
import Testing

/// The digits CNN trained and quantized by real frameworks (Models/frameworks/, written by
/// Scripts/make_framework_models.py): accsim runs the committed models on the committed int8 test
/// inputs and must give the framework's own int8 outputs element for element, hence its accuracy.
@Suite struct FrameworkModelTests {
    static let directory = "Models/frameworks"
    static let labels = "Models/digits_test_y.npy"

    /// `Models/frameworks/accuracy.json`, as the script wrote it.
    static func record() throws -> JSONValue {
        let url = CLI.root.appendingPathComponent("\(directory)/accuracy.json")
        return try JSONParser().parse(String(decoding: try Data(contentsOf: url), as: UTF8.self))
    }

    /// An integer `.npy` file (a path relative to the repository root, or absolute).
    struct IntArray: Equatable {
        var shape: [Int]
        var dtype: NPYDType
        var values: [Int32]
        var count: Int { values.count }
    }

    static func npy(_ path: String) throws -> IntArray {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : CLI.root.appendingPathComponent(path)
        let array = try NPYFile.read(path: url.path)
        return IntArray(
            shape: array.shape, dtype: array.dtype,
            values: try #require(array.int32Values(), "\(path) holds no integers"))
    }

    /// Argmax per row, first index on ties (as accsim's report and the script).
    static func argmax(_ array: IntArray) -> [Int64] {
        let width = array.count / array.shape[0]
        return (0..<array.shape[0]).map { row in
            let values = array.values[(row * width)..<((row + 1) * width)]
            return Int64(values.firstIndex(of: values.max()!)! - row * width)
        }
    }

    /// Runs `accsim run model …` on `inputs` with the digits labels, writing the outputs to a
    /// temporary `.npy`; returns the JSON report and those outputs.
    static func run(_ model: String, inputs: String, extra: [String] = []) throws -> (
        report: JSONValue, outputs: IntArray
    ) {
        let output = try CLI.temporaryDirectory().appendingPathComponent("logits.npy").path
        let result = try CLI.run(
            ["run"] + extra + [model, "--input", inputs, "--labels", labels, "--format", "json", "--output", output])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        return (try JSONParser().parse(result.stdout), try npy(output))
    }

    /// The outputs equal the framework's, element for element; the report's predictions are
    /// their argmax, and its accuracy is what the script recorded for the framework and for accsim
    /// (`recorded`: the framework's entry in accuracy.json, `recordedAccsim`: accsim's).
    static func expectExact(
        _ run: (report: JSONValue, outputs: IntArray), framework file: String, recorded: JSONValue?,
        recordedAccsim: JSONValue?,
        correct: Int, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let expected = try npy("\(directory)/\(file)")
        #expect(expected.shape == [360, 10] && expected.dtype == .int8, sourceLocation: sourceLocation)
        #expect(run.outputs.shape == expected.shape, sourceLocation: sourceLocation)
        #expect(run.outputs.dtype == expected.dtype, sourceLocation: sourceLocation)
        let differing = zip(run.outputs.values, expected.values).enumerated().filter { $0.element.0 != $0.element.1 }
            .map(\.offset)
        #expect(run.outputs.values.count == expected.values.count, sourceLocation: sourceLocation)
        #expect(
            differing.isEmpty,
            "\(differing.count) of \(expected.count) int8 outputs differ from \(file); first at flat index \(differing.first.map { String($0) } ?? "-")",
            sourceLocation: sourceLocation)

        let predictions = run.report["outputs"]?[0]?["predictions"]?.arrayValue?.compactMap(\.intValue) ?? []
        #expect(predictions == Self.argmax(expected), sourceLocation: sourceLocation)
        #expect(run.report["samples"]?.intValue == 360, sourceLocation: sourceLocation)
        #expect(run.report["accuracy"]?["correct"]?.intValue == Int64(correct), sourceLocation: sourceLocation)
        #expect(run.report["accuracy"]?["total"]?.intValue == 360, sourceLocation: sourceLocation)
        #expect(
            recorded?["correct"]?.intValue == Int64(correct), "accuracy.json records another count",
            sourceLocation: sourceLocation)
        #expect(recorded?["total"]?.intValue == 360, sourceLocation: sourceLocation)
        #expect(recorded?["outputs"]?.stringValue == file, sourceLocation: sourceLocation)
        #expect(
            recordedAccsim?["correct"]?.intValue == Int64(correct), "accuracy.json records another accsim count",
            sourceLocation: sourceLocation)
        #expect(recordedAccsim?["total"]?.intValue == 360, sourceLocation: sourceLocation)
        #expect(recordedAccsim?["elements_differing_from_framework"]?.intValue == 0, sourceLocation: sourceLocation)
    }

    // MARK: - TFLite (Keras, TFLite converter, LiteRT)

    static let tflite = "\(directory)/digits_keras_int8.tflite"
    static let tfliteInputs = "\(directory)/digits_tflite_test_x.npy"

    @Test func recordHoldsTheAccuraciesOfTheREADME() throws {
        let record = try Self.record()
        #expect(record["keras_float"]?["correct"]?.intValue == 354)
        #expect(record["keras_float"]?["total"]?.intValue == 360)
        #expect(
            record["tflite"]?["operators"]?.arrayValue?.compactMap(\.stringValue) == [
                "CONV_2D", "MAX_POOL_2D", "CONV_2D", "MEAN", "FULLY_CONNECTED",
            ])
        // The inputs are what LiteRT's QUANTIZE makes of pixel/16 with scale 1/255, zero point −128.
        #expect(record["tflite"]?["input_quantization"]?["zero_point"]?.intValue == -128)
        let inputs = try Self.npy(Self.tfliteInputs)
        #expect(inputs.shape == [360, 8, 8, 1] && inputs.dtype == .int8)
        #expect(Set(inputs.values) == [-128, -112, -96, -80, -64, -48, -32, -16, -1, 15, 31, 47, 63, 79, 95, 111, 127])
        // The framework's two kernel variants disagree on some logits, so each comparison below is
        // a real test of the variant's semantics.
        let optimized = try Self.npy("\(Self.directory)/digits_keras_int8_litert_optimized.npy")
        let reference = try Self.npy("\(Self.directory)/digits_keras_int8_litert_reference.npy")
        let differing = zip(optimized.values, reference.values).filter { $0 != $1 }.count
        #expect(differing == record["tflite"]?["litert_elements_differing_between_kernels"]?.intValue.map(Int.init))
        #expect(differing > 0)
    }

    @Test func tfliteOptimizedKernelsEqualLiteRT() throws {
        let run = try Self.run(Self.tflite, inputs: Self.tfliteInputs)
        #expect(run.report["model"]?["producer"]?.stringValue?.contains("optimized") == true)
        try Self.expectExact(
            run, framework: "digits_keras_int8_litert_optimized.npy",
            recorded: try Self.record()["tflite"]?["litert"]?["optimized"],
            recordedAccsim: try Self.record()["tflite"]?["accsim"]?["optimized"],
            correct: 354)
    }

    @Test func tfliteOptimizedKernelsOnTheMappedArrayEqualLiteRT() throws {
        let run = try Self.run(Self.tflite, inputs: Self.tfliteInputs, extra: ["--hw", "HardwareConfigs/8x8.json"])
        try Self.expectExact(
            run, framework: "digits_keras_int8_litert_optimized.npy",
            recorded: try Self.record()["tflite"]?["litert"]?["optimized"],
            recordedAccsim: try Self.record()["tflite"]?["accsim"]?["optimized"],
            correct: 354)
    }

    @Test func tfliteReferenceKernelsEqualLiteRT() throws {
        let model = try CLI.temporaryDirectory().appendingPathComponent("digits_reference.q").path
        let imported = try CLI.run(["import", "--tflite-kernels", "reference", Self.tflite, "-o", model])
        #expect(imported.status == 0, "stderr: \(imported.stderr)")
        #expect(imported.stdout.contains("semantics tflite_reference"))
        let run = try Self.run(model, inputs: Self.tfliteInputs)
        try Self.expectExact(
            run, framework: "digits_keras_int8_litert_reference.npy",
            recorded: try Self.record()["tflite"]?["litert"]?["reference"],
            recordedAccsim: try Self.record()["tflite"]?["accsim"]?["reference"],
            correct: 354)
    }
}

/// The same trained weights as an ONNX graph, quantized by onnxruntime's `quantize_static` (QDQ)
/// and run by onnxruntime (CPU execution provider, default graph optimizations).
@Suite struct ONNXFrameworkModelTests {
    static let onnx = "\(FrameworkModelTests.directory)/digits_qdq.onnx"
    static let onnxInputs = "\(FrameworkModelTests.directory)/digits_onnx_test_x.npy"

    @Test func recordHoldsTheAccuraciesOfTheREADME() throws {
        let record = try #require(try FrameworkModelTests.record()["onnx"])
        #expect(record["onnx_float"]?["correct"]?.intValue == 354)
        #expect(record["onnx_float_argmax_equal_to_keras"]?.intValue == 360)
        #expect(record["input_quantization"]?["zero_point"]?.intValue == -128)
        let inputs = try FrameworkModelTests.npy(Self.onnxInputs)
        #expect(inputs.shape == [360, 8, 8, 1] && inputs.dtype == .int8)
    }

    @Test func onnxRuntimeOutputsEqualAccsim() throws {
        let run = try FrameworkModelTests.run(Self.onnx, inputs: Self.onnxInputs)
        try FrameworkModelTests.expectExact(
            run, framework: "digits_qdq_ort.npy", recorded: try FrameworkModelTests.record()["onnx"]?["ort"],
            recordedAccsim: try FrameworkModelTests.record()["onnx"]?["accsim"], correct: 354)
    }

    @Test func onnxRuntimeOutputsEqualAccsimOnTheMappedArray() throws {
        let run = try FrameworkModelTests.run(
            Self.onnx, inputs: Self.onnxInputs, extra: ["--hw", "HardwareConfigs/8x8.json"])
        try FrameworkModelTests.expectExact(
            run, framework: "digits_qdq_ort.npy", recorded: try FrameworkModelTests.record()["onnx"]?["ort"],
            recordedAccsim: try FrameworkModelTests.record()["onnx"]?["accsim"], correct: 354)
    }
}
