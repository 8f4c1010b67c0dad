import Testing

@testable import AccsimArithmetic

@Suite struct WideAccumulatorTests {
    @Test func wideRequantizerIsExactBeyond32Bits() {
        let r = Requantizer(multiplier: 3, shift: 20, rounding: .halfUp, zeroPoint: 0, clampMin: .min, clampMax: .max)
        #expect(r.apply(wide: 1 << 40, channel: 0) == 3 << 20)
        // (−3·2^40 − 3 + 2) >> 2 = −3·2^38 − 1, saturated to int32 by the clamp.
        #expect(Requantizer.roundWide(-(1 << 40) - 1, multiplier: 3, shift: 2, mode: .halfUp) == -824_633_720_833)
        #expect(r.apply(wide: -(1 << 60), channel: 0) == Int32.min)
        // Ties: 5·1/2 = 2.5 → 3 (half_up), 3 (half_away), 2 (half_even), 2 (floor); −2.5 → −2, −3, −2, −3.
        let expected: [(RoundingMode, Int64, Int64)] = [
            (.halfUp, 3, -2), (.halfAway, 3, -3), (.halfEven, 2, -2), (.floor, 2, -3),
        ]
        for (mode, positive, negative) in expected {
            #expect(Requantizer.roundWide(5, multiplier: 1, shift: 1, mode: mode) == positive)
            #expect(Requantizer.roundWide(-5, multiplier: 1, shift: 1, mode: mode) == negative)
        }
        // Equal to the int32 path wherever that one is exact.
        for acc: Int32 in [-1_000_001, -7, 0, 9, 123_456_789] {
            for mode in [RoundingMode.halfUp, .halfAway, .halfEven, .floor] {
                #expect(
                    Requantizer.roundWide(Int64(acc), multiplier: 1_518_500_250, shift: 37, mode: mode)
                        == Requantizer.round(acc, multiplier: 1_518_500_250, shift: 37, mode: mode))
            }
        }
    }

    @Test func int16ByInt8ConvolutionWithAnInt64Bias() {
        // One output pixel, 2 input channels, 2 filters: acc = bias + Σ w·x, exact past 2^31.
        let input = IntTensor(shape: [1, 1, 1, 2], elementType: .int16, values: [32767, -32768])
        let weights = IntTensor(shape: [2, 1, 1, 2], elementType: .int8, values: [127, -128, -128, -128])
        let requant = Requantizer(
            multiplier: 1, shift: 0, rounding: .halfUp, zeroPoint: 0, clampMin: .min, clampMax: .max)
        let p = Conv2DParameters(requantizer: requant, accumulator: .int64)
        let (shape, acc) = ReferenceKernels.conv2DWideAccumulators(
            input: input, inputZeroPoint: 0, weights: weights, weightZeroPoints: [0], bias: [Int64(1) << 33, -5],
            parameters: p, overflow: .wrap)
        #expect(shape == [1, 1, 1, 2])
        // 127·32767 + 128·32768 + 2^33 = 8_598_290_305; −128·32767 + 128·32768 − 5 = 123.
        #expect(acc == [8_598_290_305, 123])
        let out = ReferenceKernels.conv2DWide(
            input: input, inputZeroPoint: 0, weights: weights, weightZeroPoints: [0], bias: [Int64(1) << 33, -5],
            parameters: p, overflow: .wrap, outputType: .int32)
        #expect(out.values == [Int32.max, 123])
        // Saturating 64-bit accumulation: Int64.max − 1 + a positive product stops at Int64.max.
        let sat = ReferenceKernels.conv2DWideAccumulators(
            input: input, inputZeroPoint: 0, weights: weights, weightZeroPoints: [0], bias: [.max - 1, .min + 1],
            parameters: p, overflow: .saturate
        ).values
        #expect(sat == [.max, .min + 1 + 128])
    }

    @Test func wideKernelsEqualTheInt32KernelsOnInt8Operands() {
        var state: UInt64 = 0x5EED
        func next(_ range: ClosedRange<Int32>) -> Int32 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return range.lowerBound
                + Int32(truncatingIfNeeded: (state >> 33) % UInt64(range.upperBound - range.lowerBound + 1))
        }
        let input = IntTensor(shape: [2, 5, 5, 4], elementType: .int8, values: (0..<200).map { _ in next(-128...127) })
        let weights = IntTensor(
            shape: [6, 3, 3, 2], elementType: .int8, values: (0..<108).map { _ in next(-128...127) })
        let bias = (0..<6).map { _ in next(-100_000...100_000) }
        let requant = Requantizer(
            multipliers: (0..<6).map { _ in next(1...1 << 20) }, shifts: [Int32](repeating: 27, count: 6),
            rounding: .halfEven, zeroPoint: 3)
        let p = Conv2DParameters(
            stride: Size2D(2), padding: Padding2D(top: 1, bottom: 1, left: 1, right: 1), groups: 2, requantizer: requant
        )
        var wide = p
        wide.accumulator = .int64
        let narrow = ReferenceKernels.conv2D(
            input: input, inputZeroPoint: -3, weights: weights, weightZeroPoints: [0], bias: bias,
            parameters: p, overflow: .wrap, outputType: .int8)
        let widened = ReferenceKernels.conv2DWide(
            input: input, inputZeroPoint: -3, weights: weights, weightZeroPoints: [0], bias: bias.map(Int64.init),
            parameters: wide, overflow: .wrap, outputType: .int8)
        #expect(widened == narrow)
        let fcInput = IntTensor(shape: [3, 7], elementType: .int8, values: (0..<21).map { _ in next(-128...127) })
        let fcWeights = IntTensor(shape: [4, 7], elementType: .int8, values: (0..<28).map { _ in next(-128...127) })
        let fcRequant = Requantizer(multiplier: 77, shift: 9, rounding: .halfAway, zeroPoint: 0)
        #expect(
            ReferenceKernels.fullyConnectedWide(
                input: fcInput, inputZeroPoint: 5, weights: fcWeights, weightZeroPoints: [1], bias: [1, 2, 3, 4],
                parameters: FullyConnectedParameters(requantizer: fcRequant, accumulator: .int64), overflow: .wrap,
                outputType: .int8)
                == ReferenceKernels.fullyConnected(
                    input: fcInput, inputZeroPoint: 5, weights: fcWeights, weightZeroPoints: [1], bias: [1, 2, 3, 4],
                    parameters: FullyConnectedParameters(requantizer: fcRequant), overflow: .wrap, outputType: .int8))
    }
}
