import AccsimArithmetic
import Foundation
import Testing

@testable import AccsimImport

/// The float32 emulation of onnxruntime's kernels and the exact disagreement count.
@Suite("onnxruntime arithmetic emulation")
struct ONNXRuntimeArithmeticTests {
    @Test("MLAS's logistic is within a few ulps of 1/(1+e^−x) and saturates at ±18")
    func logistic() {
        for x in stride(from: Float(-20), through: 20, by: 0.37) {
            let exact = 1 / (1 + exp(-Double(x)))
            #expect(abs(Double(ONNXRuntimeArithmetic.logistic(x)) - exact) < 2e-6, "x = \(x)")
        }
        #expect(ONNXRuntimeArithmetic.logistic(0) == 0.5)
        #expect(ONNXRuntimeArithmetic.logistic(100) == ONNXRuntimeArithmetic.logistic(18))
    }

    @Test("QuantizeLinear divides and rounds half to even; requantization multiplies in float32")
    func quantize() {
        #expect(ONNXRuntimeArithmetic.quantize(2.5, scale: 1, zeroPoint: 0, type: .int8) == 2)
        #expect(ONNXRuntimeArithmetic.quantize(3.5, scale: 1, zeroPoint: 1, type: .int8) == 5)
        #expect(ONNXRuntimeArithmetic.quantize(1000, scale: 1, zeroPoint: 0, type: .uint8) == 255)
        // rint(2.5) + 3
        #expect(ONNXRuntimeArithmetic.requantize(10, scale: 0.25, zeroPoint: 3, clampMin: -128, clampMax: 127) == 5)
        #expect(ONNXRuntimeArithmetic.requantize(-6, scale: 0.25, zeroPoint: 0, clampMin: -128, clampMax: 127) == -2)
        // QLinearAdd rounds the stored value: (1·¼ + 1·¼) = ½ with zero point −5 → rint(−4.5) = −4.
        #expect(ONNXRuntimeArithmetic.qlinearAdd(4, 4, a: (1, 3), b: (1, 3), output: (4, -5), type: .int8) == -4)
    }

    @Test("an exact 31-bit requantizer differs from onnxruntime only where the float32 product lands on a tie")
    func disagreements() throws {
        // 2^−2: every product is exact in float32, ties are real ties, half_even agrees everywhere.
        let quarter = Requantizer(multiplier: 1 << 30, shift: 32, rounding: .halfEven, zeroPoint: 3)
        #expect(ONNXRequantizationCheck.disagreements(quarter, scales: [0.25]) == 0)
        // tflite rounds ties away from zero (half of the 255 ties in the unclamped range
        // acc ∈ [−524, 496] differ) and rounds twice: a positive acc ≡ 1 (mod 4), k + ¼, becomes
        // 2k + ½ → 2k + 1 in SRDHM, then k + ½ → k + 1 in RDBP (124 more).
        let tflite = Requantizer(multiplier: 1 << 30, shift: 32, rounding: .tflite, zeroPoint: 3)
        #expect(ONNXRequantizationCheck.disagreements(tflite, scales: [0.25]) == 252)
        // The near-tie scale of the `ties` fixture: the exact product rounds one way, float32 the other.
        let scale = Float(1.0191694855166133e-05)
        let conversion = try? RequantPolicy.default.convert(
            ScaledRequantization(reals: [Double(scale)], role: .weighted, zeroPoint: 3, clampMin: -128, clampMax: 127))
        let exact = try #require(conversion).requantizer
        let count = ONNXRequantizationCheck.disagreements(exact, scales: [scale])
        #expect(count == 73)
        // Brute force over a window that contains two of them agrees.
        var brute = 0
        for acc in Int32(-12_810_000)...Int32(-12_700_000)
        where exact.apply(acc, channel: 0)
            != ONNXRuntimeArithmetic.requantize(acc, scale: scale, zeroPoint: 3, clampMin: -128, clampMax: 127)
        {
            brute += 1
        }
        #expect(brute == 2)
    }
}
