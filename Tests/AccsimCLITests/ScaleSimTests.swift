import AccsimJSON
import AccsimTestSupport
import Foundation
import Testing

/// `accsim run --hw their.cfg their_topology.csv` on the SCALE-Sim example in Models/scalesim/:
/// an 8×8 weight-stationary array under SCALE-Sim's convention. Per layer, SCALE-Sim 3.0.0's
/// compute cycles are folds · (2R + C + T − 2) − 1 with folds = ceil(K/R)·ceil(N/C), T = M output
/// pixels (R = C = 8), the ofmap ceil((H − FH)/S) + 1, and a depthwise row one layer per channel
/// with all its filters (all three checked against the real tool in ScaleSimParityTests):
/// - Conv1: 34×34×3, 3×3, 16 filters, stride 1 → M = 32·32 = 1024, K = 27, N = 16:
///   folds 4·2 = 8, 8 · (16 + 8 + 1024 − 2) − 1 = 8 · 1046 − 1 = 8367.
/// - Conv2: 32×32×16, 3×3, 32 filters, stride 2 → ofmap ceil(29/2) + 1 = 16, M = 256, K = 144,
///   N = 32: folds 18·4 = 72, 72 · 278 − 1 = 20,015.
/// - DP_Conv3: 17×17×32, 3×3, 32 filters → per channel M = 15·15 = 225, K = 9, N = 32: folds 2·4,
///   32 · (8 · 247 − 1) = 63,200.
/// - PW_Conv4: 15×15×32, 1×1, 64 filters → M = 225, K = 32, N = 64: folds 4·8 = 32, 32 · 247 − 1 = 7,903.
/// - FC5: 1×1×64, 10 filters → M = 1, K = 64, N = 10: folds 8·2 = 16, 16 · 23 − 1 = 367.
@Suite struct ScaleSimTests {
    @Test func arrayCyclesEqualScaleSimsFormula() throws {
        let result = try CLI.run([
            "--hw", "Models/scalesim/example.cfg", "Models/scalesim/example_topology.csv", "--format", "json",
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let report = try JSONParser().parse(result.stdout)
        let layers = report["layers"]?.arrayValue ?? []
        #expect(layers.compactMap { $0["name"]?.stringValue } == ["Conv1", "Conv2", "DP_Conv3", "PW_Conv4", "FC5"])
        #expect(layers.compactMap { $0["cycles"]?["array"]?.intValue } == [8367, 20015, 63200, 7903, 367])
        #expect(report["hardware"]?["config"]?["convention"]?.stringValue == "scale_sim")
        #expect(report["hardware"]?["config"]?["array"]?["dataflow"]?.stringValue == "weight_stationary")
        // Every layer ran on generated data: one output per layer.
        #expect(report["outputs"]?.arrayValue?.count == 5)
    }

    /// GEMM topologies: QKV is M = 64, K = 64, N = 192 → folds 8·24 = 192, 192 · (16 + 8 + 64 − 2) − 1 = 16,511.
    @Test func gemmTopology() throws {
        let result = try CLI.run([
            "--hw", "Models/scalesim/example.cfg", "Models/scalesim/example_gemm.csv", "--no-data", "--format", "json",
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let report = try JSONParser().parse(result.stdout)
        #expect(report["layers"]?[0]?["cycles"]?["array"]?.intValue == 16_511)
        #expect(report["layers"]?[0]?["macs"]?.intValue == 786_432)  // 64 · 64 · 192
    }

    @Test func malformedTopologyNamesTheLine() throws {
        let directory = try CLI.temporaryDirectory()
        let path = directory.appendingPathComponent("bad.csv")
        try Data("Layer name, H, W, FH, FW, C, N, S,\nConv1, 34, 34, 3, 3, three, 16, 1,\n".utf8).write(to: path)
        let result = try CLI.run([path.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("line 2, column 6"))
        #expect(result.stderr.contains("'three'"))
    }

    /// Found by the fuzzer (Fuzz/regressions/scalesim-csv/huge-filter-count): a row whose sizes
    /// would make accsim generate 191,111,111,111 × … weights, or overflow an extent, is refused
    /// before anything is allocated, naming the layer, the line and the limit.
    @Test func oversizedRowsAreRefusedBeforeAllocating() throws {
        let directory = try CLI.temporaryDirectory()
        func refusal(_ row: String) throws -> String {
            let path = directory.appendingPathComponent("big.csv")
            try Data("Layer name, H, W, FH, FW, C, N, S,\nConv1, 34, 34, 3, 3, 3, 16, 1,\n\(row)\n".utf8).write(
                to: path)
            let result = try CLI.run([path.path, "--no-data", "--hw", "8x8"])
            #expect(result.status == 2)
            return result.stderr
        }
        #expect(
            try refusal("Conv2, 1, 1, 1, 1, 1073741824, 20, 1,").contains(
                "node 'Conv2': field 'line 3': the weights (1 x 1 x 1073741824 x 20 elements, after 432 in the rows "
                    + "before) are over the limit of 2^28 generated weights per topology "
                    + "(ScaleSimTopology.maxGeneratedWeights)"))
        #expect(
            try refusal("Conv2, 16, 16, 1, 1, 191111111111, 20, 2,").contains(
                "node 'Conv2': field 'line 3': the ifmap (16 x 16 x 191111111111 elements) is over the limit of 2^40 "
                    + "elements (ScaleSimTopology.maxFeatureMapElements)"))
        #expect(
            try refusal("Conv2, 9, 9, 3, 3, 4, 8, 9223372036854775807,").contains(
                "node 'Conv2': field 'line 3, column 8': stride 9223372036854775807 is over the limit of 2^20"))
    }

    @Test func unknownConfigKeyIsNamed() throws {
        let directory = try CLI.temporaryDirectory()
        let path = directory.appendingPathComponent("bad.cfg")
        try Data("[architecture_presets]\nArrayHeight: 8\nArrayWidht: 8\nDataflow: os\n".utf8).write(to: path)
        let result = try CLI.run(["--hw", path.path, "Models/scalesim/example_topology.csv"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("ArrayWidht"))
    }

    @Test func importWritesAModelThatRunsTheSame() throws {
        let directory = try CLI.temporaryDirectory()
        let output = directory.appendingPathComponent("topology.q").path
        let imported = try CLI.run(["import", "Models/scalesim/example_topology.csv", "-o", output])
        #expect(imported.status == 0, "stderr: \(imported.stderr)")
        let direct = try CLI.run([
            "--hw", "Models/scalesim/example.cfg", "Models/scalesim/example_topology.csv", "--format", "json",
        ])
        let viaQ = try CLI.run(["--hw", "Models/scalesim/example.cfg", output, "--format", "json"])
        let a = try JSONParser().parse(direct.stdout)
        let b = try JSONParser().parse(viaQ.stdout)
        #expect(a["layers"] == b["layers"])
        #expect(a["outputs"] == b["outputs"])
    }
}

@Suite struct GenerateCommandTests {
    /// ResNet-18 at 224×224: 1,814,073,344 MACs (the published 1.8 GMAC) and 11,702,112 parameter
    /// bytes: 11,678,912 int8 weights (3·64·49 stem, 4·64·64·9 stage 1, then per stage
    /// c·2c·9 + 3·(2c)²·9 + c·2c projection, fc 512·1000) + 5,800 int32 biases · 4 B.
    @Test func resnet18HasItsWellKnownSize() throws {
        let directory = try CLI.temporaryDirectory()
        let path = directory.appendingPathComponent("r18.q").path
        let result = try CLI.run(["generate", "resnet18", "-o", path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("31 layers, 1814073344 MACs, 11702112 parameter bytes"))
        let again = try CLI.run(["generate", "resnet18", "-o", path])
        #expect(again.status == 2)
        let unknown = try CLI.run(["generate", "vgg99", "-o", path + "2"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("known: resnet18"))
    }
}

@Suite struct ImportCommandTests {
    static let onnx = "Tests/AccsimImportTests/Fixtures/onnx/branch_qdq_s8_pt.onnx"

    /// `accsim import` of an ONNX QDQ model reports the policy's worst scale approximation and the
    /// onnxruntime agreement; the written .q runs like the .onnx itself.
    @Test func onnxImportReportsTheApproximation() throws {
        let directory = try CLI.temporaryDirectory()
        let output = directory.appendingPathComponent("m.q").path
        let result = try CLI.run(["import", Self.onnx, "-o", output])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("8 layers, 51840 MACs, semantics onnxruntime"))
        #expect(result.stdout.contains("under fixed_point(32, half_even)"))
        #expect(result.stdout.contains("differ from onnxruntime's float32 arithmetic: 0"))
        let shift = try CLI.run(["import", Self.onnx, "-o", output, "--force", "--requant", "single-shift"])
        #expect(shift.status == 0)
        #expect(shift.stdout.contains("under single_shift"))
        let direct = try CLI.run([Self.onnx, "--batch", "3", "--format", "json"])
        let viaQ = try CLI.run([output, "--batch", "3", "--format", "json"])
        #expect(direct.status == 0 && viaQ.status == 0)
        let bad = try CLI.run(["import", Self.onnx, "-o", output, "--force", "--requant", "fixed-point:40"])
        #expect(bad.status == 2)
    }
}

/// accsim's array cycles under `convention = scale_sim` against the real SCALE-Sim 3.0.0's compute
/// cycles (`Models/scalesim/parity/expected.csv`, written by `Scripts/make_scalesim_fixtures.py`):
/// conv, strided, depthwise (SCALE-Sim reports one row per channel; summed here), pointwise and
/// GEMM rows, in all three dataflows, with 1–2 KiB and 64 KiB buffers (the SRAM size must not change
/// the compute cycles), on 8×8 and 8×4 arrays. Every layer must be equal.
@Suite struct ScaleSimParityTests {
    @Test func everyLayerEqualsTheRealScaleSim() throws {
        let text = try String(contentsOfFile: "Models/scalesim/parity/expected.csv", encoding: .utf8)
        var expected: [String: [(name: String, cycles: Int)]] = [:]
        var order: [String] = []
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",").map(String.init)
            let key = f[0] + " " + f[1]
            let name = String(
                f[3].split(separator: "C").first.map { _ in f[3].components(separatedBy: "Channel_")[0] } ?? f[3])
            if expected[key] == nil { order.append(key) }
            if let last = expected[key]?.last, last.name == name {
                expected[key]![expected[key]!.count - 1].cycles += Int(f[4])!
            } else {
                expected[key, default: []].append((name, Int(f[4])!))
            }
        }
        #expect(order.count == 12)
        var compared = 0
        for key in order {
            let parts = key.split(separator: " ").map(String.init)
            let result = try CLI.run([
                "--hw", "Models/scalesim/parity/" + parts[0], "Models/scalesim/parity/" + parts[1],
                "--no-data", "--format", "json",
            ])
            try #require(result.status == 0, "\(key) stderr: \(result.stderr)")
            let layers = try JSONParser().parse(result.stdout)["layers"]?.arrayValue ?? []
            let got = layers.map { ($0["name"]?.stringValue ?? "", Int($0["cycles"]?["array"]?.intValue ?? -1)) }
            let want = expected[key] ?? []
            #expect(got.map(\.0) == want.map(\.name), "\(key)")
            #expect(got.map(\.1) == want.map(\.cycles), "\(key)")
            compared += want.count
        }
        #expect(compared == 54)
    }
}
