import AccsimArithmetic
import Testing

/// LiteRT's int16 LOGISTIC / TANH / SOFTMAX kernels on hand-derived values (the LiteRT fixtures in
/// AccsimImportTests cover whole tensors).
struct Int16ActivationTests {
    func run(_ function: TableFunction, _ q: [Int32], multiplier: Int32, shift: Int32) -> [Int32] {
        let input = IntTensor(shape: [1, q.count], elementType: .int16, values: q)
        let p = Int16ActivationParameters(function: function, inputMultiplier: multiplier, inputLeftShift: shift)
        return ReferenceKernels.int16Activation(input, parameters: p).values
    }

    @Test func logisticInterpolatesTheSigmoidTable() {
        // Power-of-two form (M = 0, s = 0 → x = 3q). q = 1000: x = 3000, h = 3000 >> 9 = 5,
        // t = 440; T[5] = 36169, T[6] = 36843: v = 36169·512 + 440·674 = 18815088,
        // (v + 512) >> 10 = 18374 (sigmoid(1000·2^−12) · 32768 = 18373.8). q = −1000:
        // (2^25 − v + 511) >> 10 = 14394; the two add up to 32768. q = 0 gives 0.5 = 16384.
        #expect(run(.logistic, [1000, -1000, 0], multiplier: 0, shift: 0) == [18374, 14394, 16384])
        // The ends of int16: x = ±98301 lies in step 191 (sigmoid(8) · 32768 = 32757, and 1 − it);
        // with M = 6 (x = ±196602, step 383 ≥ 255) the table saturates: (0x7FFF·2^10 + 512) >> 10.
        #expect(run(.logistic, [32767, -32768], multiplier: 0, shift: 0) == [32757, 11])
        #expect(run(.logistic, [32767], multiplier: 6, shift: 0) == [32767])
    }

    @Test func tanhUsesTheSameTableOnAFinerGrid() {
        // x = 3000, h = 3000 >> 8 = 11, t = 184; T[11] = 40149, T[12] = 40794:
        // v = 40149·256 + 184·645 = 10396824, (v − 2^23 + 128) >> 8 = 7845
        // (tanh(1000·2^−12) · 32768 = 7845.3); q = −1000 gives (−v + 2^23 + 127) >> 8 = −7845.
        #expect(run(.tanh, [1000, -1000, 0], multiplier: 0, shift: 0) == [7845, -7845, 0])
        #expect(run(.tanh, [32767, -32768], multiplier: 0, shift: 0) == [32767, -32767])
        // A general multiplier with a rounding shift: (q·16384 + 32) >> 6 = 256·q, exactly entry q.
        #expect(
            run(.tanh, [5], multiplier: 16384, shift: 6) == [Int32(Int16ActivationParameters.sigmoidTable[5]) - 32768])
    }

    @Test func parametersFollowLiteRTsPrepare() {
        // 2^−12 is a power of two with shift 12 − 12 = 0: the (0, 0) form for both functions.
        let pot = Int16ActivationParameters.litert(.logistic, inputScale: 1.0 / 4096)
        #expect(pot.inputMultiplier == 0 && pot.inputLeftShift == 0)
        // 2^−11 gives shift 1: still the power-of-two form for TANH, not for LOGISTIC, whose
        // multiplier is 2^−11 · 12288 = 6 doubled 12 times (to 24576 > 16383.5).
        #expect(Int16ActivationParameters.litert(.tanh, inputScale: 1.0 / 2048).inputMultiplier == 0)
        let general = Int16ActivationParameters.litert(.logistic, inputScale: 1.0 / 2048)
        #expect(general.inputMultiplier == 24576 && general.inputLeftShift == 12)
        // 0.01 (float32) · 12288 = 122.88, doubled 8 times: 31457.28, truncated.
        let hundredth = Int16ActivationParameters.litert(.tanh, inputScale: 0.01)
        #expect(hundredth.inputMultiplier == 31457 && hundredth.inputLeftShift == 8)
    }

    @Test func tableLookupInterpolatesAndRounds() {
        // lut[i] = 100·i. v = 130: i = 256 + 1, o = 2: 25700 + ((100·2 + 64) >> 7) = 25702;
        // v = −32768: i = 0, o = 0: 0; v = −1: i = 255, o = 127: 25500 + ((12700 + 64) >> 7) = 25599.
        let lut = (0..<513).map { Int32($0 * 100 % 32768) }
        #expect(ReferenceKernels.int16TableLookup(130, lut) == 25702)
        #expect(ReferenceKernels.int16TableLookup(-32768, lut) == 0)
        #expect(ReferenceKernels.int16TableLookup(-1, lut) == 25599)
    }

    @Test func softmaxOfTwoEqualLogitsIsOneHalf() {
        // β·s_in = 10/65535 · 2^−1 (any value: the differences are 0). exp: lookup(32767) =
        // E[511] + ((E[512] − E[511])·127 + 64) >> 7 = 32133 + 629 = 32762 (E[511] = 32133,
        // E[512] = 32767 clamped). sum = 65524, clz = 16, ((65524 << 15) + 2^13) >> 14 = 131048,
        // − 98304 = 32744 → i = 511, o = 104: R[511] = 16400, R[512] = 16384,
        // 16400 + ((−16·104 + 64) >> 7) = 16387; (32762·16387 + 2^14) >> 15 = 16384.
        let p = Int16SoftmaxParameters.litert(inputScale: 0.5, beta: 1)
        #expect(p.expTable[511] == 32133 && p.expTable[512] == 32767)
        #expect(p.reciprocalTable[511] == 16400 && p.reciprocalTable[512] == 16384)
        let input = IntTensor(shape: [1, 2], elementType: .int16, values: [1234, 1234])
        #expect(ReferenceKernels.int16Softmax(input, parameters: p).values == [16384, 16384])
        #expect(p.expTable.count == 513 && p.reciprocalTable[0] == 32767)
    }
}
