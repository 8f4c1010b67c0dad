import AccsimArithmetic
import AccsimImport
import AccsimModel
import Testing

/// The documented exception (docs/import-tflite.md): LiteRT's optimized DEPTHWISE_CONV_2D,
/// QUANTIZE and keep_dims MEAN round the positions after their last full SIMD block with `tflite`
/// instead of `tflite_half_up`. On `tails_ties` (13 depthwise channels, a 52-element QUANTIZE, a
/// 20-channel MEAN) the imported graph must equal LiteRT everywhere else, and exactly there LiteRT
/// must equal the same graph with those nodes switched to `tflite` — which proves the rule.
@Suite("TFLite optimized-kernel tails")
struct TFLiteTailExceptionTests {
    @Test("tails follow the documented rule, everything else is exact")
    func tails() throws {
        let fixture = TFLiteFixtures.fixture("tails_ties")
        let graph = try TFLiteFixtures.graph(fixture, .optimized)
        let flagged = Set(
            (graph.metadata["tflite_inexact"] ?? "").split(separator: ";").compactMap {
                $0.split(separator: ":").first.map { $0.trimmingCharacters(in: .whitespaces) }
            })
        #expect(flagged.count == 3, "\(graph.metadata["tflite_inexact"] ?? "no tflite_inexact metadata")")

        var scalar = graph
        for index in scalar.nodes.indices where flagged.contains(scalar.nodes[index].name) {
            scalar.nodes[index].operation = Self.withTFLiteRounding(scalar.nodes[index].operation)
        }
        let vectorised = try TFLiteFixtures.run(graph, fixture)
        let tails = try TFLiteFixtures.run(scalar, fixture)
        let litert = try TFLiteFixtures.expected(fixture, .optimized)

        var differencesInTails = 0
        for k in litert.indices {
            let shape = litert[k].shape
            let perSample = shape.dropFirst().reduce(1, *)
            for index in litert[k].values.indices {
                let inTail = Self.inTail(position: index % perSample, sampleShape: Array(shape.dropFirst()))
                let expected = inTail ? tails[k].values[index] : vectorised[k].values[index]
                #expect(litert[k].values[index] == expected, "output \(k) \(shape) element \(index) (tail: \(inTail))")
                if inTail && vectorised[k].values[index] != litert[k].values[index] { differencesInTails += 1 }
            }
        }
        // The tails are not a formality: the single-mode graph does differ there.
        #expect(differencesInTails > 0)
    }

    /// Whether flat position `position` of one sample lies in the tail of the node feeding that
    /// output: the depthwise output [2, 2, 13] (channels 8…12), the concatenation [2, 2, 26] whose
    /// first 13 channels come from the QUANTIZE of 52 elements (its elements 48…51: pixel (1, 1),
    /// channels 9…12), the mean [1, 1, 20] (channels 16…19).
    static func inTail(position: Int, sampleShape: [Int]) -> Bool {
        let channels = sampleShape.last ?? 1
        let channel = position % channels
        let pixel = position / channels
        switch sampleShape {
        case [2, 2, 13]: return channel >= 8
        case [2, 2, 26]: return pixel == 3 && (9..<13).contains(channel)
        case [1, 1, 20]: return channel >= 16
        default:
            Issue.record("unexpected output shape \(sampleShape)")
            return false
        }
    }

    /// The operation with its output requantizer rounding with `tflite`.
    static func withTFLiteRounding(_ operation: Operation) -> Operation {
        switch operation {
        case .conv2D(var p):
            p.requantizer.rounding = .tflite
            return .conv2D(p)
        case .requantize(var r):
            r.rounding = .tflite
            return .requantize(r)
        case .mean(var p):
            p.requantizer.rounding = .tflite
            return .mean(p)
        default:
            Issue.record("no requantizer to switch in \(operation.kind)")
            return operation
        }
    }
}
