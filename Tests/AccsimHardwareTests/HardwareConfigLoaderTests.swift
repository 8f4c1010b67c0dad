import AccsimArithmetic
import AccsimTestSupport
import Foundation
import Testing

@testable import AccsimHardware

private func resolve(_ text: String, overrides: [String] = []) throws(HardwareConfigError) -> HardwareConfig {
    try HardwareConfigLoader.resolve(bytes: Array(text.utf8), defaultName: "test", overrides: overrides)
}

private func expectError(
    _ text: String, overrides: [String] = [], keyPath: String?, _ fragment: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    do {
        _ = try resolve(text, overrides: overrides)
        Issue.record("expected an error containing '\(fragment)'", sourceLocation: sourceLocation)
    } catch {
        #expect(error.keyPath == keyPath, sourceLocation: sourceLocation)
        #expect(error.message.contains(fragment), "message was: \(error.message)", sourceLocation: sourceLocation)
    }
}

/// The repository's HardwareConfigs folder.
private let bundledFolder = Repository.path("HardwareConfigs")

@Suite struct HardwareConfigLoaderTests {
    @Test func emptyObjectGivesEveryDefault() throws {
        var expected = HardwareConfig.standard
        expected.name = "test"
        #expect(try resolve("{}") == expected)
    }

    @Test func fileKeysOverrideOnlyWhatTheyName() throws {
        let config = try resolve(#"{"array": {"rows": 16}, "sram": {"weight": {"kib": 128}}}"#)
        #expect(config.array.rows == 16)
        #expect(config.array.cols == 8)
        #expect(config.sram.weight.kib == 128)
        #expect(config.sram.weight.banks == 8)
        #expect(config.sram.input.kib == 64)
    }

    @Test func unknownKeyIsRejectedWithItsPath() {
        expectError(#"{"array": {"rowz": 16}}"#, keyPath: "array.rowz", "unknown key")
    }

    @Test func wrongTypeNamesTheKey() {
        expectError(#"{"array": {"rows": "sixteen"}}"#, keyPath: "array.rows", "found the string \"sixteen\"")
    }

    @Test func mappingObjectiveDefaultsToLatencyAndRejectsOthers() throws {
        #expect(try resolve("{}").mapping.objective == .latency)
        #expect(try resolve(#"{"mapping": {"objective": "edp"}}"#).mapping.objective == .edp)
        #expect(try resolve("{}", overrides: ["mapping.objective=dram_bytes"]).mapping.objective == .dramBytes)
        expectError(#"{"mapping": {"objective": "speed"}}"#, keyPath: "mapping.objective", "speed")
        expectError(#"{"mapping": {"goal": "energy"}}"#, keyPath: "mapping.goal", "unknown")
    }

    @Test func unknownEnumValueNamesTheKey() {
        expectError(#"{"array": {"dataflow": "row_stationary"}}"#, keyPath: "array.dataflow", "row_stationary")
    }

    @Test func zeroSizedArrayIsRejected() {
        expectError(#"{"array": {"rows": 0}}"#, keyPath: "array.rows", "at least one row")
    }

    @Test func zeroBandwidthIsRejected() {
        expectError(
            #"{"dram": {"bandwidth_bytes_per_cycle": 0}}"#, keyPath: "dram.bandwidth_bytes_per_cycle",
            "must be positive")
    }

    @Test func unsupportedMultiplierWidthIsRejected() {
        expectError(
            #"{"requantizer": {"multiplier_bits": 33}}"#, keyPath: "requantizer.multiplier_bits", "must lie in 0...32")
    }

    @Test func newerVersionIsRejected() {
        expectError(#"{"version": 2}"#, keyPath: "version", "newer than this accsim reads")
    }

    @Test func malformedJSONSaysWhere() {
        expectError("{\"array\": {\"rows\": 8,}}", keyPath: nil, "line 1")
    }

    @Test func overridesApplyAfterTheFile() throws {
        let config = try resolve(
            #"{"array": {"rows": 16}}"#,
            overrides: [
                "array.rows=32", "array.dataflow=output_stationary", "sram.input.double_buffered=false",
                "energy.mac_pj=0.25",
            ])
        #expect(config.array.rows == 32)
        #expect(config.array.dataflow == .outputStationary)
        #expect(config.sram.input.doubleBuffered == false)
        #expect(config.energy.macPJ == 0.25)
    }

    @Test func overrideOfUnknownKeyIsRejected() {
        expectError("{}", overrides: ["array.colums=4"], keyPath: "array.colums", "unknown key 'colums'")
    }

    @Test func overrideOfMisspelledKeySuggestsTheKeyPath() {
        do {
            _ = try resolve("{}", overrides: ["array.rwos=8"])
            Issue.record("expected an error")
        } catch {
            #expect(error.keyPath == "array.rwos")
            #expect(
                error.message
                    == "--set: unknown key 'rwos' (did you mean 'array.rows'? known here: rows, cols, dataflow, "
                    + "input_type, weight_type, accumulator_bits, overflow)")
        }
        do {
            _ = try resolve("{}", overrides: ["clok_mhz=400"])
            Issue.record("expected an error")
        } catch {
            #expect(error.message.hasPrefix("--set: unknown key 'clok_mhz' (did you mean 'clock_mhz'? known here: "))
        }
    }

    @Test func misspelledFileKeySuggestsTheKey() {
        do {
            _ = try resolve(#"{"array": {"rwos": 16}}"#)
            Issue.record("expected an error")
        } catch {
            #expect(error.keyPath == "array.rwos")
            #expect(
                error.message
                    == "unknown key 'rwos' (expected one of: rows, cols, dataflow, input_type, weight_type, "
                    + "accumulator_bits, overflow; did you mean 'rows'?)")
        }
    }

    @Test func overrideWithoutEqualsIsRejected() {
        expectError("{}", overrides: ["array.rows"], keyPath: nil, "expected key.path=value")
    }

    @Test func overrideValueIsValidated() {
        expectError("{}", overrides: ["array.cols=-1"], keyPath: "array.cols", "at least one column")
    }

    @Test func hashDependsOnlyOnTheResolvedConfig() throws {
        let viaFile = try resolve(#"{"array": {"rows": 16}}"#)
        let viaOverride = try resolve("{}", overrides: ["array.rows=16"])
        let other = try resolve("{}", overrides: ["array.rows=17"])
        #expect(viaFile.hash == viaOverride.hash)
        #expect(viaFile.hash != other.hash)
        #expect(viaFile.hash.count == 16)
    }

    @Test func canonicalJSONRoundTrips() throws {
        let config = try resolve(
            #"{"array": {"rows": 4, "overflow": "saturate"}, "energy": {"dram_pj_per_byte": 12.5}}"#)
        #expect(try resolve(config.canonicalJSON()) == config)
    }

    @Test func everyBundledConfigIsValid() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: bundledFolder).filter { $0.hasSuffix(".json") }
            .sorted()
        #expect(files.count == 9)
        for file in files {
            let resolved = try HardwareConfigLoader.load(bundledFolder + "/" + file)
            #expect(resolved.name + ".json" == file, "the name inside \(file) should match its file name")
        }
    }

    @Test func bundledConfigShapes() throws {
        let gemmini = try HardwareConfigLoader.load(bundledFolder + "/gemmini-like-16x16.json").config
        #expect(gemmini.array.rows == 16 && gemmini.array.cols == 16)
        #expect(gemmini.sram.input.kib + gemmini.sram.weight.kib == 256)
        #expect(gemmini.sram.output.kib == 64)
        let os32 = try HardwareConfigLoader.load(bundledFolder + "/32x32-os.json").config
        #expect(os32.array.dataflow == .outputStationary)
        #expect(os32.energy.isEnabled)
    }

    @Test func missingFileIsNamed() {
        do {
            _ = try HardwareConfigLoader.load("/nonexistent/hw.json")
            Issue.record("expected an error")
        } catch {
            #expect(error.file == "/nonexistent/hw.json")
            let names = HardwareConfigLoader.bundledNames().joined(separator: ", ")
            #expect(error.message == "no such file (bundled: \(names))")
            #expect(names.hasPrefix("16x16-is, 16x16-os, 16x16-ws, 32x32-is"))
        }
    }

    /// The path as users type it (`configs/8x8.json`) is answered with the bundled config of that
    /// name and where it is (tests run in the repository's root, so the path is relative).
    @Test func missingFileSuggestsTheBundledConfigOfTheClosestName() {
        let cases = [
            ("configs/8x8.json", "no such file (did you mean 8x8, HardwareConfigs/8x8.json?)"),
            ("HardwareConfigs/16x16-w.json", "no such file (did you mean 16x16-ws, HardwareConfigs/16x16-ws.json?)"),
            (
                "8x9",
                "no such file, and no bundled config of that name (did you mean 8x8, HardwareConfigs/8x8.json?)"
            ),
            (
                "32X32-OS",
                "no such file, and no bundled config of that name (did you mean 32x32-os, HardwareConfigs/32x32-os.json?)"
            ),
        ]
        for (given, expected) in cases {
            do {
                _ = try HardwareConfigLoader.load(given)
                Issue.record("expected an error for \(given)")
            } catch {
                #expect(error.file == given)
                #expect(error.message == expected)
            }
        }
    }
}
