import AccsimArithmetic
import Testing

/// Aidge's GlobalAveragePooling (running mean in double, half away) beside the exact division.
struct RunningMeanPoolingTests {
    private func globalAverage(_ values: [Int32], average: AverageAlgorithm?) -> [Int32] {
        let x = IntTensor(shape: [1, 2, 2, 1], elementType: .int8, values: values)
        let p = AvgPoolParameters(window: Size2D(2), stride: Size2D(1), rounding: .halfAway, average: average)
        return ReferenceKernels.avgPool(x, zeroPoint: 0, parameters: p).values
    }

    @Test func aTieTheRunningMeanMisses() {
        // Sum 2 over 4 taps is the tie 0.5: exact division rounds it away from zero to 1. The
        // running mean: m = −6, fma(−3 − m, 1/2, m) = −4.5, fma(6 − m, 1/3, m) = −0.5000000000000002
        // (1/3 is inexact), fma(5 − m, 1/4, m) = 0.4999999999999998 → 0.
        #expect(globalAverage([-6, -3, 6, 5], average: .aidgeRunningMean) == [0])
        #expect(globalAverage([-6, -3, 6, 5], average: .exact) == [1])
        #expect(globalAverage([-6, -3, 6, 5], average: nil) == [1])
    }

    @Test func agreesWithExactDivisionAwayFromTies() {
        // 11/4 = 2.75 → 3; −10/4 = −2.5 (an exact tie the running mean keeps: −1, −1.5, −2, −2.5) → −3.
        #expect(globalAverage([1, 2, 3, 5], average: .aidgeRunningMean) == [3])
        #expect(globalAverage([-1, -2, -3, -4], average: .aidgeRunningMean) == [-3])
        #expect(globalAverage([127, 127, 127, 127], average: .aidgeRunningMean) == [127])
    }

    @Test func isNotAnIntegerHardwareOperation() {
        #expect(AvgPoolParameters(window: Size2D(2), stride: Size2D(1), average: .aidgeRunningMean).usesRunningMean)
        #expect(!AvgPoolParameters(window: Size2D(2), stride: Size2D(1), average: .exact).usesRunningMean)
    }
}
