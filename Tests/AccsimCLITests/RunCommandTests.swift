import AccsimJSON
import AccsimModel
import AccsimTestSupport
import Foundation
import Testing

@Suite struct RunCommandTests {
    /// The README's example: the digits model on the 8x8 config with its held-out inputs and labels.
    static let example = [
        "--hw", "HardwareConfigs/8x8.json", "Models/digits.q",
        "--input", "Models/digits_test_x.npy", "--labels", "Models/digits_test_y.npy",
    ]

    @Test func exampleMatchesTheQuantizationScriptSampleForSample() throws {
        let result = try CLI.run(Self.example + ["--format", "json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let report = try JSONParser().parse(result.stdout)
        let expected = try NPYFile.read(
            path: CLI.root.appendingPathComponent("Models/digits_expected_predictions.npy").path)
        let predictions = report["outputs"]?[0]?["predictions"]?.arrayValue?.compactMap(\.intValue) ?? []
        #expect(predictions.count == 360)
        #expect(predictions == expected.intTensor()?.values.map(Int64.init))
        // 348 of 360 held-out digits right, as Models/digits_accuracy.json records for the int8 model.
        #expect(report["accuracy"]?["correct"]?.intValue == 348)
        #expect(report["accuracy"]?["total"]?.intValue == 360)
        #expect(report["samples"]?.intValue == 360)
        // conv0 8·8·16·9 + conv1 4·4·32·144 + fc 32·10 = 83,264 MACs per inference.
        #expect(report["totals"]?["macs"]?.intValue == 83_264)
        // The timing fields of the report's schema, per layer and in total.
        let conv = try #require(report["layers"]?[0])
        #expect(conv["name"]?.stringValue == "conv1")
        #expect(conv["macs"]?.intValue == 9_216)
        let cycles = try #require(conv["cycles"])
        let total = try #require(cycles["total"]?.intValue)
        let parts = [cycles["prologue"], cycles["compute"], cycles["stall"]?["total"], cycles["epilogue"]].compactMap {
            $0?.intValue
        }
        #expect(parts.count == 4 && parts.reduce(0, +) == total)
        #expect(conv["sram"]?["weight"]?["write_bytes"]?.intValue == 144)  // 16 filters · 3·3 · 1 channel, loaded once
        #expect(conv["dram"]?["write_bytes"]?.intValue == 1_024)  // 8·8·16 int8 outputs
        #expect(report["hardware"]?["config"]?["array"]?["rows"]?.intValue == 8)
        #expect(report["hardware"]?["config_hash"]?.stringValue?.count == 16)
    }

    @Test func tableReportShowsLayersAndAccuracy() throws {
        let result = try CLI.run(Self.example)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("top-1     348/360 = 96.67%"))
        #expect(result.stdout.contains("fully_connected"))
        #expect(result.stdout.contains("83,264"))
        #expect(result.stdout.contains("per inference: "))
        #expect(result.stderr.isEmpty)
    }

    @Test func outputIsByteIdenticalWhateverTheThreadCount() throws {
        let one = try CLI.run(Self.example + ["--format", "json", "--threads", "1"])
        let two = try CLI.run(Self.example + ["--format", "json", "--threads", "2"])
        #expect(one.status == 0 && two.status == 0)
        #expect(one.stdout == two.stdout)
    }

    /// The oracle and the fast kernels print the same report (output CRCs included) and exit 0.
    @Test func referenceAndFastKernelsGiveTheSameReport() throws {
        let fast = try CLI.run(Self.example + ["--format", "json", "--kernels", "fast"])
        let reference = try CLI.run(Self.example + ["--format", "json", "--kernels", "reference"])
        #expect(fast.status == 0 && reference.status == 0, "stderr: \(fast.stderr) \(reference.stderr)")
        #expect(fast.stdout == reference.stdout)
        #expect(fast.stdout.contains("\"crc32\": \"58081c3f\""))
        let wrong = try CLI.run(Self.example + ["--kernels", "turbo"])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("--kernels"))
    }

    @Test func writesOutputsAndRefusesToOverwrite() throws {
        let directory = try CLI.temporaryDirectory()
        let output = directory.appendingPathComponent("logits.npy").path
        let first = try CLI.run(Self.example + ["--output", output])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        let written = try NPYFile.read(path: output)
        let expected = try NPYFile.read(path: CLI.root.appendingPathComponent("Models/digits_expected_logits.npy").path)
        #expect(written.intTensor() == expected.intTensor())

        let before = try Data(contentsOf: URL(fileURLWithPath: output))
        let second = try CLI.run(Self.example + ["--output", output, "--batch", "1"])
        #expect(second.status == 2)
        let third = try CLI.run(Self.example + ["--output", output])
        #expect(third.status == 2)
        #expect(third.stderr.contains(output))
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == before)
        let forced = try CLI.run(Self.example + ["--output", output, "--force"])
        #expect(forced.status == 0)
    }

    @Test func generatedInputIsDeterministic() throws {
        let a = try CLI.run(["Models/digits.q", "--batch", "4", "--seed", "7", "--format", "json"])
        let b = try CLI.run(["Models/digits.q", "--batch", "4", "--seed", "7", "--format", "json"])
        let c = try CLI.run(["Models/digits.q", "--batch", "4", "--seed", "8", "--format", "json"])
        #expect(a.status == 0)
        #expect(a.stdout == b.stdout)
        #expect(a.stdout != c.stdout)
        #expect(a.stdout.contains("generated, seed 7"))
    }

    @Test func missingModelIsBadInput() throws {
        let result = try CLI.run(["Models/nope.q"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("Models/nope.q"))
        #expect(result.stdout.isEmpty)
    }

    @Test func truncatedModelIsBadInputAndSaysSo() throws {
        let directory = try CLI.temporaryDirectory()
        let bytes = try Data(contentsOf: CLI.root.appendingPathComponent("Models/digits.q"))
        let path = directory.appendingPathComponent("cut.q")
        try bytes.prefix(bytes.count - 100).write(to: path)
        let result = try CLI.run([path.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("cut.q"))
        #expect(result.stderr.contains("truncated"))
    }

    @Test func inputOfWrongShapeIsBadInput() throws {
        let result = try CLI.run(["Models/digits.q", "--input", "Models/digits_test_y.npy"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("expects [N] + [8, 8, 1]"))
    }

    @Test func labelCountMustMatch() throws {
        let result = try CLI.run(["Models/digits.q", "--labels", "Models/digits_test_y.npy"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("360 labels for 1 samples"))
    }

    @Test func unknownOptionIsUsageError() throws {
        let result = try CLI.run(["Models/digits.q", "--frobnicate"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--frobnicate"))
    }

    @Test func badHardwareConfigIsBadInputNamingTheKey() throws {
        let result = try CLI.run(["--hw", "8x8", "--set", "array.rows=0", "Models/digits.q"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("array.rows"))
    }

    @Test func csvHasOneRowPerLayer() throws {
        let result = try CLI.run(Self.example + ["--format", "csv"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 6)
        #expect(lines[0].hasPrefix("index,name,op,macs,parameter_bytes,cycles_total"))
        #expect(lines[1].hasPrefix("0,conv1,conv2d,9216,208,"))
        #expect(
            lines.allSatisfy {
                $0.split(separator: ",", omittingEmptySubsequences: false).count == lines[0].split(separator: ",").count
            })
    }

    @Test func reportFileEqualsJSONOutputAndIsNotOverwritten() throws {
        let directory = try CLI.temporaryDirectory()
        let path = directory.appendingPathComponent("run.json").path
        let result = try CLI.run(Self.example + ["--report", path, "--format", "json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == result.stdout)
        let again = try CLI.run(Self.example + ["--report", path])
        #expect(again.status == 2)
        #expect(again.stderr.contains("--force"))
    }

    @Test func timingOnlyRunComputesNoData() throws {
        let timing = try CLI.run(["--hw", "8x8", "Models/digits.q", "--no-data", "--format", "json"])
        let full = try CLI.run(Self.example + ["--format", "json"])
        #expect(timing.status == 0, "stderr: \(timing.stderr)")
        let a = try JSONParser().parse(timing.stdout)
        let b = try JSONParser().parse(full.stdout)
        #expect(a["totals"] == b["totals"])
        #expect(a["samples"]?.intValue == 0)
        #expect(a["outputs"]?.arrayValue?.isEmpty == true)
    }

    @Test func requantizerTheHardwareLacksIsRejectedUnlessAdapted() throws {
        let narrow = [
            "--hw", "8x8", "--set", "requantizer.multiplier_bits=16", "Models/digits.q",
            "--input", "Models/digits_test_x.npy", "--labels", "Models/digits_test_y.npy",
        ]
        let rejected = try CLI.run(narrow)
        #expect(rejected.status == 2)
        #expect(rejected.stderr.contains("layer 'conv1'"))
        #expect(rejected.stderr.contains("needs 31 bits"))
        #expect(rejected.stderr.contains("--adapt-requant"))

        let adapted = try CLI.run(narrow + ["--adapt-requant"])
        #expect(adapted.status == 0, "stderr: \(adapted.stderr)")
        #expect(adapted.stderr.contains("converted 4 requantizer(s) in 4 layer(s)"))
        #expect(adapted.stderr.contains("model outputs differ from the model's own requantizers"))
        #expect(adapted.stderr.contains("top-1 with the model's own requantizers 348/360"))
    }

    @Test func helpAndVersionExitZero() throws {
        let help = try CLI.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("inspect"))
        let version = try CLI.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("0."))
    }
}

@Suite struct InspectAndConfigCommandTests {
    @Test func inspectListsLayersWithMACs() throws {
        let result = try CLI.run(["inspect", "Models/digits.q"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("conv2d"))
        #expect(result.stdout.contains("73,728"))
        #expect(result.stdout.contains("83,264"))
        #expect(result.stdout.contains("tflite"))
    }

    @Test func configShowAppliesOverrides() throws {
        let result = try CLI.run(["config", "show", "8x8", "--set", "array.rows=4"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let json = try JSONParser().parse(String(result.stdout.split(separator: "\n// config hash")[0]))
        #expect(json["array"]?["rows"]?.intValue == 4)
        #expect(json["array"]?["cols"]?.intValue == 8)
        #expect(json["dram"]?["bandwidth_bytes_per_cycle"]?.intValue == 8)
    }

    @Test func configValidateRejectsUnknownKey() throws {
        let directory = try CLI.temporaryDirectory()
        let path = directory.appendingPathComponent("bad.json")
        try Data(#"{"array": {"rows": 4, "colls": 4}}"#.utf8).write(to: path)
        let result = try CLI.run(["config", "validate", path.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("array.colls"))
        #expect(result.stderr.contains("bad.json"))
    }
}
