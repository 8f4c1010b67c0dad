import AccsimArithmetic
import AccsimHardware
import AccsimModel
import Foundation
import Testing

@testable import AccsimExecution

/// The per-layer precision variants of the digits model (Scripts/make_precision_variants.py):
/// accsim's logits on the 360 held-out images equal the script's independent NumPy integer
/// reference (CRC-32 and top-1 recorded in Models/precision/variants.json), with the reference
/// kernels, the fast engine and the multi-pass data path on the 8x8 array.
@Suite struct PrecisionVariantTests {
    struct Variant: Sendable, CustomStringConvertible {
        var model: String
        var correct: Int
        var crc: String
        var description: String { model }
    }

    static let variants: [Variant] = {
        let path = ModelFiles.path("precision/variants.json")
        guard let data = FileManager.default.contents(atPath: path),
            let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let entries = root["variants"] as? [[String: Any]]
        else { return [] }
        return entries.map {
            Variant(
                model: $0["model"] as? String ?? "", correct: $0["reference_correct"] as? Int ?? -1,
                crc: $0["logits_crc32"] as? String ?? "")
        }
    }()

    @Test func sevenVariants() {
        #expect(
            Self.variants.map(\.model) == [
                "digits_a8w8.q", "digits_first16.q", "digits_last16.q", "digits_first_last16.q", "digits_all16.q",
                "digits_body_w4.q", "digits_all_w4.q",
            ])
    }

    @Test(arguments: variants)
    func logitsEqualTheNumPyReference(_ variant: Variant) throws {
        let graph = try QModelReader.read(path: ModelFiles.path("precision/" + variant.model))
        let x = try ModelFiles.tensor("digits_test_x.npy")
        let labels = try ModelFiles.tensor("digits_test_y.npy")
        let reference = try #require(try GraphExecutor(graph: graph).run(batch: x, threads: 2)["logits"])
        #expect(TensorChecksum.crc32Hex(reference) == variant.crc)
        let classes = reference.shape[1]
        var correct = 0
        for sample in 0..<reference.shape[0] {
            let row = reference.values[sample * classes..<(sample + 1) * classes]
            if row.firstIndex(of: row.max()!)! - sample * classes == Int(labels.values[sample]) { correct += 1 }
        }
        #expect(correct == variant.correct)
        #expect(try GraphExecutor(graph: graph, kernels: .fast).run(batch: x, threads: 2)["logits"] == reference)
        var hardware = HardwareConfig.standard
        hardware.array.overflow = .saturate  // forces the tiled, multi-pass data path
        let tiled = try HardwareSimulation(graph: graph, hardware: hardware).run(
            batches: [graph.inputs[0]: x], threads: 2, tiled: .always)
        #expect(tiled["logits"] == reference)
    }
}
