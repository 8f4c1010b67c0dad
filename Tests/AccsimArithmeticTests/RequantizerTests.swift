import AccsimArithmetic
import Testing

/// Hand-derived values for the requantizer, every rounding mode, and the TFLite fixed-point
/// primitives it is built on. Each expectation has its derivation next to it.
struct RequantizerTests {
    private func round(_ acc: Int32, _ m: Int32, _ n: Int, _ mode: RoundingMode) -> Int64 {
        Requantizer.round(acc, multiplier: m, shift: n, mode: mode)
    }

    // MARK: Plain modes: ties, non-ties, both signs

    @Test func halfUpRoundsTiesTowardPlusInfinity() {
        // M = 1, n = 1: (acc + 1) >> 1.  5/2 = 2.5 → 3;  −5/2 = −2.5 → (−4) >> 1 = −2;
        // 7/2 = 3.5 → 4;  −7/2 = −3.5 → (−6) >> 1 = −3.
        #expect([5, -5, 7, -7].map { round($0, 1, 1, .halfUp) } == [3, -2, 4, -3])
        // M = 1, n = 2 (non-ties): 5/4 = 1.25 → (5+2)>>2 = 1; −1.25 → (−3)>>2 = −1;
        // 7/4 = 1.75 → 9>>2 = 2; −1.75 → (−5)>>2 = −2.
        #expect([5, -5, 7, -7].map { round($0, 1, 2, .halfUp) } == [1, -1, 2, -2])
    }

    @Test func halfAwayRoundsTiesAwayFromZero() {
        // ±2.5 → ±3, ±3.5 → ±4; ±1.25 → ±1, ±1.75 → ±2.
        #expect([5, -5, 7, -7].map { round($0, 1, 1, .halfAway) } == [3, -3, 4, -4])
        #expect([5, -5, 7, -7].map { round($0, 1, 2, .halfAway) } == [1, -1, 2, -2])
    }

    @Test func halfEvenRoundsTiesToEven() {
        // 2.5 → 2, −2.5 → −2, 3.5 → 4, −3.5 → −4; non-ties as nearest.
        #expect([5, -5, 7, -7].map { round($0, 1, 1, .halfEven) } == [2, -2, 4, -4])
        #expect([5, -5, 7, -7].map { round($0, 1, 2, .halfEven) } == [1, -1, 2, -2])
    }

    @Test func floorRoundsTowardMinusInfinity() {
        // 2.5 → 2, −2.5 → −3, 3.5 → 3, −3.5 → −4; 1.25 → 1, −1.25 → −2, 1.75 → 1, −1.75 → −2.
        #expect([5, -5, 7, -7].map { round($0, 1, 1, .floor) } == [2, -3, 3, -4])
        #expect([5, -5, 7, -7].map { round($0, 1, 2, .floor) } == [1, -2, 1, -2])
    }

    // MARK: TFLite modes

    @Test func tfliteIsDoubleRounding() {
        // M = 2^30 (0.5 in Q31), n = 32 → TFLite shift −1: right shift 1 after SRDHM; scale 1/4.
        // acc 6 (1.5):  SRDHM = floor((6·2^30 + 2^30)/2^31) = floor(3.5) = 3; RDBP(3,1) = 2.
        // acc −6 (−1.5): SRDHM = floor(−2.5) = −3; RDBP(−3,1) = −2 (ties away).
        // acc 5 (1.25): SRDHM = floor(3) = 3 (2.5 rounded up first); RDBP(3,1) = 2 — double rounding.
        // acc −5 (−1.25): SRDHM = floor(−2) = −2; RDBP(−2,1) = −1.
        // acc 7 (1.75): SRDHM = 4; RDBP(4,1) = 2.  acc −7: SRDHM = floor(−3) = −3 → −2.
        #expect([6, -6, 5, -5, 7, -7].map { round($0, 1 << 30, 32, .tflite) } == [2, -2, 2, -1, 2, -2])
    }

    @Test func tfliteHalfUpRoundsTheFinalShiftUp() {
        // Same SRDHM values as above, then (h + 1) >> 1: 3 → 2, −3 → −1, 3 → 2, −2 → −1.
        #expect([6, -6, 5, -5].map { round($0, 1 << 30, 32, .tfliteHalfUp) } == [2, -1, 2, -1])
    }

    @Test func srdhmTiesRoundUpWithoutRightShift() {
        // n = 31 → TFLite shift 0: the result is SRDHM(acc, M) alone. With M = 2^30 (×0.5):
        // 1 → floor((2^30 + 2^30)/2^31) = 1 (0.5 up); −1 → floor(0) = 0 (−0.5 up);
        // 3 → floor(2) = 2 (1.5 up); −3 → floor(−1) = −1 (−1.5 up).
        #expect([1, -1, 3, -3].map { round($0, 1 << 30, 31, .tflite) } == [1, 0, 2, -1])
        #expect([1, -1, 3, -3].map { round($0, 1 << 30, 31, .tfliteHalfUp) } == [1, 0, 2, -1])
    }

    @Test func tfliteLeftShiftWhenShiftBelow31() {
        // M = 1518500250 ≈ 2^31/√2, n = 29 → TFLite shift +2: acc·4 before SRDHM; scale 2√2 ≈ 2.828.
        // acc 10: SRDHM(40, M) = floor((40·1518500250 + 2^30)/2^31) = floor(28.28 + 0.5) = 28.
        // acc −10: floor(−28.28 + 0.5) = −28.
        // acc 2^29 + 1: the left shift wraps: 4·(2^29 + 1) = 2^31 + 4 → −2^31 + 4 = −2147483644;
        // SRDHM(−2147483644, M) = floor(−1518500250 + 4·M/2^31 + 0.5) = floor(−1518500250 + 2.83 + 0.5)
        // = −1518500247.
        #expect(round(10, 1_518_500_250, 29, .tflite) == 28)
        #expect(round(-10, 1_518_500_250, 29, .tflite) == -28)
        #expect(round((1 << 29) + 1, 1_518_500_250, 29, .tflite) == -1_518_500_247)
    }

    // MARK: Extremes and shifts

    @Test func int32ExtremesInEveryPlainMode() {
        // M = 1, n = 1: Int32.max/2 = 1073741823.5 → 1073741824 (nearest modes), 1073741823 (floor);
        // Int32.min/2 = −2^30 exactly.
        for mode: RoundingMode in [.halfUp, .halfAway, .halfEven] {
            #expect(round(.max, 1, 1, mode) == 1_073_741_824)
            #expect(round(.min, 1, 1, mode) == -1_073_741_824)
        }
        #expect(round(.max, 1, 1, .floor) == 1_073_741_823)
        #expect(round(.min, 1, 1, .floor) == -1_073_741_824)
        // Largest products: (2^31 − 1)^2 / 2^62 = 1 − 2^−30 + 2^−62 → 1;  (−2^31)^2 / 2^62 = 1;
        // −2^31·(2^31 − 1) / 2^62 = −1 + 2^−31 → −1 (half_up), −1 (floor).
        #expect(round(.max, .max, 62, .halfUp) == 1)
        #expect(round(.min, .min, 62, .floor) == 1)
        #expect(round(.min, .max, 62, .halfUp) == -1)
        #expect(round(.min, .max, 62, .floor) == -1)
    }

    @Test func int32ExtremesInTfliteMode() {
        // n = 31: SRDHM(2^31−1, 2^31−1) = floor((2^62 − 2^32 + 1 + 2^30)/2^31) = 2^31 − 2.
        // SRDHM(−2^31, 2^31−1) = floor((−2^62 + 2^31 + 2^30)/2^31) = −2^31 + 1.
        #expect(round(.max, .max, 31, .tflite) == 2_147_483_646)
        #expect(round(.min, .max, 31, .tflite) == -2_147_483_647)
    }

    @Test func shiftsZeroThroughSixtyTwo() {
        // n = 0: the exact product, every plain mode: −7·3 = −21.
        for mode: RoundingMode in [.halfUp, .halfAway, .halfEven, .floor] {
            #expect(round(-7, 3, 0, mode) == -21)
        }
        // n = 31: ±2^30 / 2^31 = ±0.5.
        #expect([round(1 << 30, 1, 31, .halfUp), round(-(1 << 30), 1, 31, .halfUp)] == [1, 0])
        #expect([round(1 << 30, 1, 31, .halfAway), round(-(1 << 30), 1, 31, .halfAway)] == [1, -1])
        #expect([round(1 << 30, 1, 31, .halfEven), round(-(1 << 30), 1, 31, .halfEven)] == [0, 0])
        #expect([round(1 << 30, 1, 31, .floor), round(-(1 << 30), 1, 31, .floor)] == [0, -1])
        // n = 32: (2^31−1)^2 / 2^32 = 2^30 − 1 + 2^−32 → 1073741823 in every mode;
        // −2^31·3 / 2^32 = −1.5 → −1 (half_up), −2 (half_away, half_even, floor).
        for mode: RoundingMode in [.halfUp, .halfAway, .halfEven, .floor] {
            #expect(round(.max, .max, 32, mode) == 1_073_741_823)
        }
        #expect(
            [RoundingMode.halfUp, .halfAway, .halfEven, .floor].map { round(.min, 3, 32, $0) } == [-1, -2, -2, -2])
        // n = 40: ±3·2^20 · 2^19 / 2^40 = ±1.5.
        #expect(
            [RoundingMode.halfUp, .halfAway, .halfEven, .floor].map { round(3 << 20, 1 << 19, 40, $0) } == [2, 2, 2, 1])
        #expect(
            [RoundingMode.halfUp, .halfAway, .halfEven, .floor].map { round(-3 << 20, 1 << 19, 40, $0) } == [
                -1, -2, -2, -2,
            ])
        // n = 62: 2^30·(2^31−1) / 2^62 = 0.5 − 2^−32 → 0 (nearest), 0 (floor); its negative → 0, −1;
        // 2^30·(−2^31) / 2^62 = −0.5 exactly → 0 (half_up), −1 (half_away), 0 (half_even), −1 (floor).
        #expect(
            [RoundingMode.halfUp, .halfAway, .halfEven, .floor].map { round(1 << 30, .max, 62, $0) } == [0, 0, 0, 0])
        #expect(
            [RoundingMode.halfUp, .halfAway, .halfEven, .floor].map { round(-(1 << 30), .max, 62, $0) } == [
                0, 0, 0, -1,
            ])
        #expect(
            [RoundingMode.halfUp, .halfAway, .halfEven, .floor].map { round(1 << 30, .min, 62, $0) } == [0, -1, 0, -1])
    }

    // MARK: apply: zero point, clamp, channels

    @Test func saturationAtBothClampEnds() {
        // M = 1, n = 0, zero point 10, clamp [−20, 20]: 100 → 110 → 20; −100 → −90 → −20; 5 → 15.
        let r = Requantizer(multiplier: 1, shift: 0, rounding: .halfUp, zeroPoint: 10, clampMin: -20, clampMax: 20)
        #expect(r.apply(100, channel: 0) == 20)
        #expect(r.apply(-100, channel: 0) == -20)
        #expect(r.apply(5, channel: 0) == 15)
        #expect(r.apply(.max, channel: 0) == 20)
        #expect(r.apply(.min, channel: 0) == -20)
        let step = r.step(-100, channel: 0)
        #expect(step.beforeSaturation == -90 && step.saturated && step.output == -20)
        #expect(!r.step(5, channel: 0).saturated)
    }

    @Test func singleShiftRequantizer() {
        // Aidge single shift: M = 1, n = 8, half_up, zero point −128.
        // 1000/256 = 3.906 → (1000 + 128) >> 8 = 4 → −124;  384/256 = 1.5 → 2 → −126;
        // −384/256 = −1.5 → (−384 + 128) >> 8 = −1 → −129 → clamped to −128.
        let r = Requantizer(multiplier: 1, shift: 8, rounding: .halfUp, zeroPoint: -128)
        #expect([1000, 384, -384].map { r.apply($0, channel: 0) } == [-124, -126, -128])
        #expect(r.step(-384, channel: 0).saturated)
    }

    @Test func perChannelParameters() {
        // Channel 0: 7·1/2 = 3.5 → 4; channel 1: 7·3/4 = 5.25 → 5; channel 2: 7·5 = 35.
        let r = Requantizer(
            multipliers: [1, 3, 5], shifts: [1, 2, 0], rounding: .halfUp, zeroPoint: 0, clampMin: -1000, clampMax: 1000)
        #expect((0..<3).map { r.apply(7, channel: $0) } == [4, 5, 35])
        #expect(r.isPerChannel && r.channelCount == 3)
        // A per-tensor requantizer ignores the channel index.
        let single = Requantizer(multiplier: 3, shift: 2, rounding: .halfUp)
        #expect(single.apply(7, channel: 17) == 5)
    }

    // MARK: The TFLite primitives

    @Test func srdhmCorners() {
        // The one saturating case.
        #expect(FixedPoint.saturatingRoundingDoublingHighMul(.min, .min) == .max)
        // (−2^31)·(2^31 − 1) → −2^31 + 1 (see int32ExtremesInTfliteMode); 2^30·2^30 / 2^31 = 2^29.
        #expect(FixedPoint.saturatingRoundingDoublingHighMul(.min, .max) == -2_147_483_647)
        #expect(FixedPoint.saturatingRoundingDoublingHighMul(1 << 30, 1 << 30) == 1 << 29)
        // −3·2^30 / 2^31 = −1.5 → −1 (ties up).
        #expect(FixedPoint.saturatingRoundingDoublingHighMul(-3, 1 << 30) == -1)
    }

    @Test func roundingDivideByPOTExamples() {
        #expect(FixedPoint.roundingDivideByPOT(5, 1) == 3)
        #expect(FixedPoint.roundingDivideByPOT(-5, 1) == -3)
        #expect(FixedPoint.roundingDivideByPOT(-6, 2) == -2)
        #expect(FixedPoint.roundingDivideByPOT(6, 2) == 2)
        #expect(FixedPoint.roundingDivideByPOT(-7, 0) == -7)
        // ±2^30 / 2^31 = ±0.5 → ±1 (away); (2^31 − 1)/2^31 → 1; −2^31/2^31 = −1.
        #expect(FixedPoint.roundingDivideByPOT(1 << 30, 31) == 1)
        #expect(FixedPoint.roundingDivideByPOT(-(1 << 30), 31) == -1)
        #expect(FixedPoint.roundingDivideByPOT(.max, 31) == 1)
        #expect(FixedPoint.roundingDivideByPOT(.min, 31) == -1)
    }

    @Test func multiplyByQuantizedMultiplierMatchesTheUniformConvention() {
        // MBQM(x, M, shift) is ROUND(x, M, 31 − shift) in the tflite mode.
        for (x, m, shift) in [(Int32(1000), Int32(1_518_500_250), -3), (-1000, 1_518_500_250, 1), (77, 1 << 30, 0)] {
            let direct = FixedPoint.multiplyByQuantizedMultiplier(x, multiplier: m, shift: shift)
            #expect(Int64(direct) == round(x, m, 31 - shift, .tflite))
        }
        // 1000 · 0.7071 / 8 = 88.39 → 88.
        #expect(FixedPoint.multiplyByQuantizedMultiplier(1000, multiplier: 1_518_500_250, shift: -3) == 88)
    }

    @Test func quantizeMultiplierExactValues() {
        typealias Q = FixedPoint.QuantizedMultiplier
        // frexp(0.5) = (0.5, 0) → M = 0.5·2^31 = 2^30, shift 0.
        #expect(FixedPoint.quantizeMultiplier(0.5) == Q(multiplier: 1 << 30, shift: 0))
        // 0.25 = 0.5·2^−1; 1.0 = 0.5·2^1; 0.75 = 0.75·2^0 → 0.75·2^31 = 1610612736; 3 = 0.75·2^2.
        #expect(FixedPoint.quantizeMultiplier(0.25) == Q(multiplier: 1 << 30, shift: -1))
        #expect(FixedPoint.quantizeMultiplier(1.0) == Q(multiplier: 1 << 30, shift: 1))
        #expect(FixedPoint.quantizeMultiplier(0.75) == Q(multiplier: 1_610_612_736, shift: 0))
        #expect(FixedPoint.quantizeMultiplier(3.0) == Q(multiplier: 1_610_612_736, shift: 2))
        // Powers of two are not special: 2^−k → (2^30, −k + 1).
        for k in [1, 5, 10, 20, 31] {
            #expect(FixedPoint.quantizeMultiplier(1 / Double(UInt64(1) << k)) == Q(multiplier: 1 << 30, shift: -k + 1))
        }
        // 2^−32 = 0.5·2^−31 still fits (shift −31); 2^−33 and smaller flush to (0, 0), as does 0.
        #expect(FixedPoint.quantizeMultiplier(0x1p-32) == Q(multiplier: 1 << 30, shift: -31))
        #expect(FixedPoint.quantizeMultiplier(0x1p-33) == Q(multiplier: 0, shift: 0))
        #expect(FixedPoint.quantizeMultiplier(1e-12) == Q(multiplier: 0, shift: 0))
        #expect(FixedPoint.quantizeMultiplier(0) == Q(multiplier: 0, shift: 0))
        // 1 − 2^−33: f = 1 − 2^−33, f·2^31 = 2^31 − 0.25 → rounds to 2^31 → renormalised (2^30, 1).
        #expect(FixedPoint.quantizeMultiplier(1 - 0x1p-33) == Q(multiplier: 1 << 30, shift: 1))
        // The uniform right shift: n = 31 − shift.
        #expect(FixedPoint.quantizeMultiplier(0.25).rightShift == 32)
    }

    // MARK: problems()

    @Test func problemsForBadParameters() {
        func fields(_ r: Requantizer) -> [String] { r.problems().map(\.field) }
        #expect(fields(Requantizer(multiplier: 1, shift: 8, rounding: .halfUp)).isEmpty)
        #expect(fields(Requantizer(multiplier: -3, shift: 8, rounding: .halfUp)).isEmpty)  // plain modes accept M < 0
        #expect(fields(Requantizer(multipliers: [], shifts: [], rounding: .floor)) == ["multipliers"])
        #expect(fields(Requantizer(multipliers: [1, 2], shifts: [3], rounding: .floor)) == ["shifts"])
        #expect(fields(Requantizer(multiplier: 1, shift: 63, rounding: .floor)) == ["shifts[0]"])
        #expect(fields(Requantizer(multipliers: [1, 1], shifts: [4, -1], rounding: .floor)) == ["shifts[1]"])
        #expect(fields(Requantizer(multiplier: -1, shift: 31, rounding: .tflite)) == ["multipliers[0]"])
        #expect(fields(Requantizer(multiplier: -1, shift: 31, rounding: .tfliteHalfUp)) == ["multipliers[0]"])
        #expect(
            fields(Requantizer(multiplier: 1, shift: 0, rounding: .halfUp, clampMin: 5, clampMax: 4)) == ["clamp_min"])
        #expect(fields(Requantizer(multiplier: 1, shift: 62, rounding: .tflite)).isEmpty)
    }
}
