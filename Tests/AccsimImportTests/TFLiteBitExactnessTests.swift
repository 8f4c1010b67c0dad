import AccsimArithmetic
import AccsimExecution
import AccsimImport
import AccsimModel
import Foundation
import Testing

/// accsim's outputs on every imported fixture equal LiteRT's, bit for bit, for both kernel
/// variants. The documented exceptions of the optimized kernels are checked precisely instead:
/// SOFTMAX outputs here (they equal a float32 emulation of LiteRT's optimized softmax, and accsim's
/// integer softmax differs from them by one on rare elements), the SIMD tails in
/// TFLiteTailExceptionTests.
@Suite("TFLite bit exactness")
struct TFLiteBitExactnessTests {
    static let cases: [(String, TFLiteImporter.Options.Kernels)] = TFLiteFixtures.names.flatMap { name in
        TFLiteImporter.Options.Kernels.allCases.compactMap { kernels in
            name == "tails_ties" && kernels == .optimized ? nil : (name, kernels)
        }
    }

    @Test("outputs equal LiteRT's", arguments: cases)
    func equalsLiteRT(name: String, kernels: TFLiteImporter.Options.Kernels) throws {
        let fixture = TFLiteFixtures.fixture(name)
        var graph = try TFLiteFixtures.graph(fixture, kernels)
        let expected = try TFLiteFixtures.expected(fixture, kernels)
        #expect(graph.outputs.count == expected.count)

        // Outputs of an optimized SOFTMAX: also fetch the softmax input to emulate LiteRT's kernel.
        var softmaxInputs: [Int: (name: String, parameters: SoftmaxParameters)] = [:]
        if kernels == .optimized {
            for (k, output) in graph.outputs.enumerated() {
                if let node = graph.nodes.first(where: { $0.outputs == [output] }),
                    case .softmax(let p) = node.operation
                {
                    softmaxInputs[k] = (node.inputs[0], p)
                }
            }
        }
        let exactOutputs = graph.outputs.count
        graph.outputs += softmaxInputs.keys.sorted().map { softmaxInputs[$0]!.name }
        let actual = try TFLiteFixtures.run(graph, fixture)

        for k in 0..<exactOutputs {
            let (a, e) = (actual[k], expected[k])
            #expect(a.shape == e.shape, "output \(k) shape")
            let differing = zip(a.values, e.values).filter { $0 != $1 }.count
            if let softmax = softmaxInputs[k] {
                let position = exactOutputs + softmaxInputs.keys.sorted().firstIndex(of: k)!
                let logits = actual[position]
                let inputScale = graph.tensor(named: softmax.name)!.quantization!.scales[0]
                let emulated = Self.optimizedSoftmax(
                    logits, inputScale: Float(inputScale),
                    beta: Float(softmax.parameters.betaTimesInputScale / inputScale))
                #expect(
                    emulated.values == e.values,
                    "\(name) output \(k): the float32 emulation of LiteRT's optimized softmax")
                let offByOne = zip(a.values, e.values).allSatisfy { abs($0 - $1) <= 1 }
                #expect(
                    offByOne && differing * 100 <= e.count,
                    "\(name) output \(k): \(differing) of \(e.count) softmax elements differ")
            } else {
                #expect(
                    differing == 0,
                    "\(name) \(kernels) output \(k): \(differing) of \(e.count) elements differ from LiteRT")
            }
        }
        if softmaxInputs.isEmpty {
            #expect(graph.metadata["tflite_inexact"] == nil, "\(graph.metadata["tflite_inexact"] ?? "")")
        }
    }

    @Test("the two kernel variants really differ on the tie-rich fixtures")
    func variantsDiffer() throws {
        // Otherwise the fixtures could not tell the roundings apart.
        for name in ["conv", "fc_ties", "add_ties", "quantize_ties", "mean_ties"] {
            let fixture = TFLiteFixtures.fixture(name)
            let optimized = try TFLiteFixtures.expected(fixture, .optimized)
            let reference = try TFLiteFixtures.expected(fixture, .reference)
            #expect(zip(optimized, reference).contains { $0.values != $1.values }, "\(name)")
        }
    }

    /// LiteRT's optimized int8 SOFTMAX on x86, in float32: `table[d] = expf(−s_in·β·d)`; per row
    /// with maximum `m`, `sum = Σ table[m − q]` in order, `inv = 1 / (sum · (1/256))`,
    /// `out = clamp(round_half_away(table[m − q] · inv) − 128)`.
    static func optimizedSoftmax(_ logits: IntTensor, inputScale: Float, beta: Float) -> IntTensor {
        let scale = -inputScale * beta
        let table = (0...255).map { expf(scale * Float($0)) }
        let depth = logits.shape.last!
        var values = logits.values
        for row in stride(from: 0, to: values.count, by: depth) {
            let slice = logits.values[row..<row + depth]
            let maximum = slice.max()!
            var sum: Float = 0
            for q in slice { sum += table[Int(maximum - q)] }
            let inverse = 1 / (sum * (1.0 / 256))
            for (j, q) in slice.enumerated() {
                let probability = (table[Int(maximum - q)] * inverse).rounded(.toNearestOrAwayFromZero)
                values[row + j] = Int32(min(max(Int(probability) - 128, -128), 127))
            }
        }
        return IntTensor(shape: logits.shape, elementType: .int8, values: values)
    }
}
