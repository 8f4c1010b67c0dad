import AccsimJSON
import AccsimTestSupport
import Foundation
import Testing

/// `accsim map` and `layers[].mapping` on the digits model's conv1 (64×9×16 GEMM) on the 8×8 WS
/// array: the whole layer in one tile takes 1,026 cycles (its 1,024 B output store is exposed after
/// the compute); two tiles of 8 filters take 954, because the first half's store overlaps the
/// second half's compute. Both read 1,296 DRAM bytes.
@Suite struct MapCommandTests {
    @Test func listsTheBestTilingsWithTheirScores() throws {
        let result = try CLI.run(["map", "--hw", "8x8", "--layer", "conv1", "--top", "3", "Models/digits.q"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let rows = result.stdout.split(separator: "\n").filter { $0.first?.isNumber == true }.map(String.init)
        #expect(rows.count == 3)
        #expect(rows[0].hasPrefix("1     64 × 9 × 8") && rows[0].contains("weights_outer") && rows[0].contains("954"))
        #expect(rows[2].hasPrefix("3     64 × 9 × 16") && rows[2].contains("1,026") && rows[2].contains("1,296"))
        #expect(result.stdout.contains("objective latency"))
    }

    @Test func vectorLayersAreNotTiled() throws {
        let result = try CLI.run(["map", "--hw", "8x8", "--layer", "pool1", "Models/digits.q"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("layer 'pool1' does not run on the array"))
        let missing = try CLI.run(["map", "--hw", "8x8", "--layer", "nope", "Models/digits.q"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nope"))
    }

    @Test func reportCarriesTheChosenMapping() throws {
        let result = try CLI.run(["--hw", "8x8", "Models/digits.q", "--no-data", "--format", "json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let report = try JSONParser().parse(result.stdout)
        let mapping = try #require(report["layers"]?[0]?["mapping"])
        #expect(mapping["tile"]?["m"]?.intValue == 64 && mapping["tile"]?["k"]?.intValue == 9)
        #expect(mapping["tile"]?["n"]?.intValue == 8 && mapping["tiles"]?["n"]?.intValue == 2)
        #expect(mapping["loop_order"]?.stringValue == "weights_outer")
        #expect(mapping["folds"]?.intValue == 4)
        #expect(mapping["objective"]?.stringValue == "latency")
        #expect(mapping["objective_value"]?.doubleValue == 954)
        #expect(mapping["score"]?["dram_bytes"]?.intValue == 1_296)
        #expect(mapping["buffer_bytes"]?["output"]?.intValue == 2_048)  // 64 pixels · 8 filters · 4 B
        #expect(report["layers"]?[1]?["mapping"] == nil)  // pool1 runs on the vector unit
    }

    /// Every section and key of a SCALE-Sim 3.0.0 config is accepted; the unmodelled ones are one
    /// note; `config show` prints the resolved accsim config.
    @Test func scaleSimConfigsAsShipped() throws {
        let path = "Models/scalesim/configs/every_section_16x16_os.cfg"
        let shown = try CLI.run(["config", "show", path])
        #expect(shown.status == 0, "stderr: \(shown.stderr)")
        let json = try JSONParser().parse(String(shown.stdout.split(separator: "\n// config hash")[0]))
        #expect(
            json["array"]?["rows"]?.intValue == 16 && json["array"]?["dataflow"]?.stringValue == "output_stationary")
        #expect(
            json["sram"]?["output"]?["kib"]?.intValue == 16
                && json["dram"]?["bandwidth_bytes_per_cycle"]?.intValue == 16)
        #expect(json["convention"]?.stringValue == "scale_sim")
        #expect(shown.stderr.components(separatedBy: "note:").count == 2)
        #expect(shown.stderr.contains("[layout] IfmapSRAMBankNum") && shown.stderr.contains("[sparsity] BlockSize"))
        #expect(try CLI.run(["config", "validate", path]).status == 0)

        let directory = try CLI.temporaryDirectory()
        let sparse = directory.appendingPathComponent("sparse.cfg")
        try Data(
            "[architecture_presets]\nArrayHeight: 8\nArrayWidth: 8\nDataflow: ws\n[sparsity]\nSparsitySupport : true\n"
                .utf8
        )
        .write(to: sparse)
        let refused = try CLI.run(["config", "validate", sparse.path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("'[sparsity] SparsitySupport': 'true' cannot be honoured"))
    }
}
