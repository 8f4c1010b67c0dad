import AccsimArithmetic
import Testing

/// The `double_half_away` requantizer mode that reproduces LiteRT's reference FULLY_CONNECTED:
/// `round_half_away(Double(acc) · r[c])`, then zero point and clamp.
@Suite("double_half_away requantizer (LiteRT reference FULLY_CONNECTED)")
struct TFLiteDoubleRoundingTests {
    @Test("rounds the double product half away from zero, per channel")
    func rounding() {
        let r = Requantizer(
            multipliers: [1 << 30, 1 << 30], shifts: [32, 32], rounding: .doubleHalfAway, zeroPoint: 3,
            clampMin: -128, clampMax: 127, realMultipliers: [0.25, 0.5])
        #expect([2, -2, 6, -6, 5].map { r.apply($0, channel: 0) } == [4, 2, 5, 1, 4])
        #expect([3, -3, 1000].map { r.apply($0, channel: 1) } == [5, 1, 127])
        #expect(r.problems().isEmpty)
    }

    @Test("a real multiplier just below a power of two is not the fixed-point one")
    func differsFromFixedPoint() {
        // r = 2^−8·(1 − 2^−46): QuantizeMultiplier gives exactly 2^−8 (M = 2^30, n = 38).
        let real = (1.0 - 0x1p-46) * 0x1p-8
        let q = FixedPoint.quantizeMultiplier(real)
        #expect(q.multiplier == 1 << 30 && q.rightShift == 38)
        let double = Requantizer(
            multiplier: q.multiplier, shift: 38, rounding: .doubleHalfAway, realMultipliers: [real])
        let fixed = Requantizer(multiplier: q.multiplier, shift: 38, rounding: .tflite)
        // acc = 384: 1.5 exactly with 2^−8, just below 1.5 with r.
        #expect(double.apply(384, channel: 0) == 1)
        #expect(fixed.apply(384, channel: 0) == 2)
        #expect(double.apply(-384, channel: 0) == -1)
    }

    @Test("the real multipliers are required and checked")
    func problems() {
        let missing = Requantizer(multiplier: 1, shift: 0, rounding: .doubleHalfAway)
        #expect(missing.problems().map(\.field) == ["real_multipliers"])
        let count = Requantizer(multipliers: [1, 1], shifts: [0, 0], rounding: .doubleHalfAway, realMultipliers: [1])
        #expect(count.problems().map(\.field) == ["real_multipliers"])
        let negative = Requantizer(multiplier: 1, shift: 0, rounding: .doubleHalfAway, realMultipliers: [-1])
        #expect(negative.problems().map(\.field) == ["real_multipliers[0]"])
        // Other modes ignore the field.
        let ignored = Requantizer(multiplier: 3, shift: 1, rounding: .halfUp, realMultipliers: [100])
        #expect(ignored.apply(5, channel: 0) == 8)
        // Without a requantizer, Requantizer.round takes r = M·2^−n; huge products saturate.
        #expect(Requantizer.round(6, multiplier: 1, shift: 2, mode: .doubleHalfAway) == 2)
        #expect(Requantizer.roundReal(.max, real: 1e300) == 1 << 62)
    }
}
