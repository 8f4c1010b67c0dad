import AccsimArithmetic
import Testing

/// Hand-derived pooling and mean results.
struct PoolingTests {
    private func avg(_ values: [Int32], zeroPoint: Int32 = 0, includePad: Bool, rounding: RoundingMode) -> [Int32] {
        // A 2×2 input under a 3×3 window, stride 1, padding 1: every one of the 4 windows sees all
        // 4 pixels plus 5 padded taps.
        let x = IntTensor(shape: [1, 2, 2, 1], elementType: .int8, values: values)
        let p = AvgPoolParameters(
            window: Size2D(3), stride: Size2D(1), padding: Padding2D(top: 1, bottom: 1, left: 1, right: 1),
            rounding: rounding, countIncludePad: includePad)
        return ReferenceKernels.avgPool(x, zeroPoint: zeroPoint, parameters: p).values
    }

    @Test func averageOfInImageTapsInEachRounding() {
        // [1, 2, 3, 5]: 11/4 = 2.75 → 3 in the nearest modes, 2 with floor.
        #expect(avg([1, 2, 3, 5], includePad: false, rounding: .halfAway) == [3, 3, 3, 3])
        #expect(avg([1, 2, 3, 5], includePad: false, rounding: .floor) == [2, 2, 2, 2])
        // Ties: 10/4 = 2.5 → 3 (half_away, half_up), 2 (half_even, floor).
        let ties: [RoundingMode: Int32] = [.halfAway: 3, .halfUp: 3, .halfEven: 2, .floor: 2, .tflite: 3]
        for (mode, expected) in ties {
            #expect(
                avg([1, 2, 3, 4], includePad: false, rounding: mode) == [Int32](repeating: expected, count: 4),
                "\(mode)")
        }
        // −10/4 = −2.5 → −3 (half_away), −2 (half_up), −2 (half_even), −3 (floor).
        let negativeTies: [RoundingMode: Int32] = [.halfAway: -3, .halfUp: -2, .halfEven: -2, .floor: -3, .tflite: -3]
        for (mode, expected) in negativeTies {
            #expect(
                avg([-1, -2, -3, -4], includePad: false, rounding: mode) == [Int32](repeating: expected, count: 4),
                "\(mode)")
        }
    }

    @Test func countIncludePadAddsTheZeroPoint() {
        // Zero point −1, include pad: sum = 11 + 5·(−1) = 6 over 9 taps = 0.67 → 1 (nearest), 0 (floor).
        #expect(avg([1, 2, 3, 5], zeroPoint: -1, includePad: true, rounding: .halfAway) == [1, 1, 1, 1])
        #expect(avg([1, 2, 3, 5], zeroPoint: -1, includePad: true, rounding: .floor) == [0, 0, 0, 0])
        // Zero point 2: sum = 11 + 10 = 21 over 9 = 2.33 → 2; without include pad the zero point
        // plays no part: 11/4 → 3.
        #expect(avg([1, 2, 3, 5], zeroPoint: 2, includePad: true, rounding: .halfEven) == [2, 2, 2, 2])
        #expect(avg([1, 2, 3, 5], zeroPoint: 2, includePad: false, rounding: .halfEven) == [3, 3, 3, 3])
    }

    @Test func borderWindowsCountOnlyTheirTaps() {
        // 1×3 row [4, 8, 7], window 1×3, stride 1, padding left/right 1:
        // window 0 sees [4, 8] → 12/2 = 6; window 1 sees all → 19/3 = 6.33 → 6; window 2 sees
        // [8, 7] → 7.5 → 8 (half_away). With include pad and zero point 0: 12/3 = 4, 6, 15/3 = 5.
        let x = IntTensor(shape: [1, 1, 3, 1], elementType: .int8, values: [4, 8, 7])
        var p = AvgPoolParameters(
            window: Size2D(height: 1, width: 3), stride: Size2D(1),
            padding: Padding2D(top: 0, bottom: 0, left: 1, right: 1))
        #expect(ReferenceKernels.avgPool(x, zeroPoint: 0, parameters: p).values == [6, 6, 8])
        p.countIncludePad = true
        #expect(ReferenceKernels.avgPool(x, zeroPoint: 0, parameters: p).values == [4, 6, 5])
    }

    @Test func roundedQuotientHandDerived() {
        // 7/2 = 3.5, −7/2 = −3.5, 7/3 = 2.33, −7/3 = −2.33, 9/6 = 1.5, −9/6 = −1.5, 5/10 = 0.5.
        let cases: [(Int64, Int64)] = [(7, 2), (-7, 2), (7, 3), (-7, 3), (9, 6), (-9, 6), (5, 10), (-5, 10), (0, 4)]
        func all(_ mode: RoundingMode) -> [Int64] {
            cases.map { ReferenceKernels.roundedQuotient($0.0, dividedBy: $0.1, rounding: mode) }
        }
        #expect(all(.halfAway) == [4, -4, 2, -2, 2, -2, 1, -1, 0])
        #expect(all(.halfUp) == [4, -3, 2, -2, 2, -1, 1, 0, 0])
        #expect(all(.halfEven) == [4, -4, 2, -2, 2, -2, 0, 0, 0])
        #expect(all(.floor) == [3, -4, 2, -3, 1, -2, 0, -1, 0])
    }

    @Test func maxPoolPaddingNeverWins() {
        // All values negative, 3×3 window stride 2 padding 1 on 3×3: padding (which would be 0 if
        // it took part) must not win. Input rows [−9 −8 −7; −6 −5 −4; −3 −2 −1]:
        // output (0,0) covers rows/cols −1…1 → max(−9, −8, −6, −5) = −5; (0,1) rows −1…1 cols 1…3 →
        // max(−8, −7, −5, −4) = −4; (1,0) → max(−6, −5, −3, −2) = −2; (1,1) → −1.
        let x = IntTensor(shape: [1, 3, 3, 1], elementType: .int8, values: [-9, -8, -7, -6, -5, -4, -3, -2, -1])
        let p = MaxPoolParameters(
            window: Size2D(3), stride: Size2D(2), padding: Padding2D(top: 1, bottom: 1, left: 1, right: 1))
        #expect(
            ReferenceKernels.maxPool(x, parameters: p)
                == IntTensor(shape: [1, 2, 2, 1], elementType: .int8, values: [-5, -4, -2, -1]))
        // The clamp applies after the maximum: [−3, 100] → [−4, −1] clamped to [−3, 100] → −3, −3, −2, −1.
        let clamped = MaxPoolParameters(
            window: Size2D(3), stride: Size2D(2), padding: p.padding, clampMin: -3, clampMax: 100)
        #expect(ReferenceKernels.maxPool(x, parameters: clamped).values == [-3, -3, -2, -1])
    }

    @Test func meanSubtractsTheZeroPointTimesTheCount() {
        // 2×2×2: channel 0 = [1, 2, 3, 4], channel 1 = [−4, −4, −4, −5]; zero point 1 (4 positions):
        // sums 10 − 4 = 6 and −17 − 4 = −21. Requantizer M = 1, n = 2 (÷4), half_up, zero point 3:
        // 1.5 → 2 → 5; −5.25 → −5 → −2.
        let x = IntTensor(shape: [1, 2, 2, 2], elementType: .int8, values: [1, -4, 2, -4, 3, -4, 4, -5])
        let p = MeanParameters(requantizer: Requantizer(multiplier: 1, shift: 2, rounding: .halfUp, zeroPoint: 3))
        #expect(
            ReferenceKernels.mean(x, zeroPoint: 1, parameters: p, outputType: .int8)
                == IntTensor(shape: [1, 1, 1, 2], elementType: .int8, values: [5, -2]))
        let flat = MeanParameters(requantizer: p.requantizer, keepDims: false)
        #expect(ReferenceKernels.mean(x, zeroPoint: 1, parameters: flat, outputType: .int8).shape == [1, 2])
    }
}
