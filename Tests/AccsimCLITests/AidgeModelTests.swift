import AccsimJSON
import AccsimModel
import AccsimTestSupport
import Foundation
import Testing

/// The digits models quantized by Eclipse Aidge 0.10.1 and exported by `accsim.aidge.export`
/// (Models/aidge/, written by Scripts/aidge_models.py): accsim runs each on the float32 NCHW array
/// that was given to Aidge's scheduler and must give Aidge's own int8 outputs element for element.
@Suite struct AidgeModelTests {
    static let directory = "Models/aidge"
    static let inputs = "Models/aidge/test_x_nchw.npy"
    static let models = ["mlp_ss", "mlp_fs", "cnn_ss", "cnn_fs", "res_ss", "res_fs", "mix_ss", "mix_fs"]

    static func record() throws -> JSONValue {
        let url = CLI.root.appendingPathComponent("\(directory)/aidge_models.json")
        return try JSONParser().parse(String(decoding: try Data(contentsOf: url), as: UTF8.self))
    }

    @Test("every int8 output equals Aidge's", arguments: models)
    func bitExactWithAidge(model: String) throws {
        let run = try FrameworkModelTests.run("\(Self.directory)/\(model).q", inputs: Self.inputs)
        let expected = try FrameworkModelTests.npy("\(Self.directory)/\(model)_aidge_logits.npy")
        #expect(expected.shape == [360, 10] && expected.dtype == .int8)
        #expect(run.outputs.shape == expected.shape && run.outputs.dtype == .int8)
        let differing = zip(run.outputs.values, expected.values).filter { $0 != $1 }.count
        #expect(run.outputs.count == 3600)
        #expect(differing == 0, "\(differing) of 3600 int8 outputs differ from Aidge's")
        let correct = try Self.record()["models"]?[model]?["aidge_top1"]?.intValue
        #expect(correct != nil && run.report["accuracy"]?["correct"]?.intValue == correct)
    }

    @Test func int8InputIsTakenAsAlreadyQuantized() throws {
        // The inputs are pixel/16; Aidge's InputRescaling gives round_half_up(127·p/16), which is
        // exact in integers: (254·p + 16) div 32. The int8 NCHW array must give the same outputs.
        let floats = try NPYFile.read(path: CLI.root.appendingPathComponent(Self.inputs).path).floatValues()
        let quantized = floats.map { x -> Int32 in
            let p = Int32(x * 16)
            return (254 * p + 16) / 32
        }
        let path = try CLI.temporaryDirectory().appendingPathComponent("x_int8.npy").path
        try NPYFile.write(
            try NPYArray(shape: [360, 1, 8, 8], dtype: .int8, values: quantized), to: path, overwrite: false)
        let run = try FrameworkModelTests.run("\(Self.directory)/mix_ss.q", inputs: path)
        let expected = try FrameworkModelTests.npy("\(Self.directory)/mix_ss_aidge_logits.npy")
        #expect(run.outputs.values == expected.values)
    }

    @Test func singleShiftWeightedLayersRunOnAShiftOnlyRequantizer() throws {
        // Every FC/Conv requantizer of a single-shift graph is M = 1: the MLP and the CNN run on a
        // shift-only unit as they are, bit-exact with Aidge.
        for model in ["mlp_ss", "cnn_ss"] {
            let run = try FrameworkModelTests.run(
                "\(Self.directory)/\(model).q", inputs: Self.inputs,
                extra: ["--hw", "8x8", "--set", "requantizer.multiplier_bits=0"])
            #expect(
                run.outputs.values
                    == (try FrameworkModelTests.npy("\(Self.directory)/\(model)_aidge_logits.npy")).values)
        }
        // The residual model's joining nodes carry a small multiplier: refused, naming the layer.
        let result = try CLI.run([
            "run", "--hw", "8x8", "--set", "requantizer.multiplier_bits=0", "\(Self.directory)/res_ss.q",
            "--input", Self.inputs,
        ])
        #expect(result.status != 0)
        #expect(result.stderr.contains("relu2_Res") || result.stderr.contains("add5"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("multiplier_bits"))
        #expect(!result.stderr.contains("'conv1'") && !result.stderr.contains("'logits'"), "stderr: \(result.stderr)")
    }

    @Test func runningMeanPoolingIsRefusedByHardwareUnlessAdapted() throws {
        let model = "\(Self.directory)/mix_ss.q"
        let refused = try CLI.run(["run", "--hw", "8x8", model, "--input", Self.inputs])
        #expect(refused.status != 0)
        #expect(
            refused.stderr.contains("globalaveragepool12") && refused.stderr.contains("aidge_running_mean"),
            "stderr: \(refused.stderr)")
        let adapted = try CLI.run([
            "run", "--hw", "8x8", "--adapt-requant", model, "--input", Self.inputs, "--labels",
            FrameworkModelTests.labels,
        ])
        #expect(adapted.status == 0, "stderr: \(adapted.stderr)")
        #expect(adapted.stderr.contains("converted 1 requantizer(s) in 1 layer(s)"), "stderr: \(adapted.stderr)")
        #expect(adapted.stderr.contains("of 3600 model outputs differ"), "stderr: \(adapted.stderr)")
        let inspect = try CLI.run(["inspect", model])
        #expect(inspect.status == 0)
        #expect(inspect.stdout.contains("aidge_running_mean"), "inspect: \(inspect.stdout)")
        #expect(inspect.stdout.contains("float input"), "inspect: \(inspect.stdout)")
    }

    @Test func onnxModelsTakeFloatNCHWInput() throws {
        // The ONNX QDQ digits model records onnxruntime's input QuantizeLinear (float32 x / s,
        // half even): the float NCHW pixel/16 array gives onnxruntime's own int8 logits.
        let run = try FrameworkModelTests.run("Models/frameworks/digits_qdq.onnx", inputs: Self.inputs)
        let expected = try FrameworkModelTests.npy("Models/frameworks/digits_qdq_ort.npy")
        #expect(run.outputs.values == expected.values)
        #expect(run.report["accuracy"]?["correct"]?.intValue == 354)
    }

    @Test func tfliteModelsTakeFloatNHWCInput() throws {
        // The TFLite model records LiteRT's QUANTIZE (float32 x / s, half away). With one channel
        // the NCHW pixel/16 array is the NHWC one reshaped; LiteRT's own logits come out.
        let nchw = try NPYFile.read(path: CLI.root.appendingPathComponent(Self.inputs).path)
        let path = try CLI.temporaryDirectory().appendingPathComponent("x_nhwc.npy").path
        try NPYFile.write(
            try NPYArray(shape: [360, 8, 8, 1], dtype: .float32, bytes: nchw.bytes), to: path, overwrite: false)
        let run = try FrameworkModelTests.run("Models/frameworks/digits_keras_int8.tflite", inputs: path)
        let expected = try FrameworkModelTests.npy("Models/frameworks/digits_keras_int8_litert_optimized.npy")
        #expect(run.outputs.values == expected.values)
    }
}
