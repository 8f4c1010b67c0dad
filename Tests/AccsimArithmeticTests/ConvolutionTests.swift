import AccsimArithmetic
import Testing

/// Hand-derived convolution and fully connected results.
struct ConvolutionTests {
    /// Input 4×4×1 holding 1…16 row by row:
    /// ```
    ///  1  2  3  4
    ///  5  6  7  8
    ///  9 10 11 12
    /// 13 14 15 16
    /// ```
    static let ramp = IntTensor(shape: [1, 4, 4, 1], elementType: .int8, values: (1...16).map { Int32($0) })

    /// Weights 3×3, one output channel:
    /// ```
    /// 1 0 -1
    /// 2 1  0
    /// 0 0  3
    /// ```
    static let kernel = IntTensor(shape: [1, 3, 3, 1], elementType: .int8, values: [1, 0, -1, 2, 1, 0, 0, 0, 3])

    @Test func threeByThreeWithPaddingAndStride2() {
        // Padding 1, stride 2: output (4 + 2 − 3)/2 + 1 = 2 per axis; tap (ky, kx) of output (oy, ox)
        // reads row 2·oy − 1 + ky, column 2·ox − 1 + kx. Bias 10.
        // (0,0): rows −1…1, cols −1…1 → in image: w[1][1]·1 + w[1][2]·2 + w[2][1]·5 + w[2][2]·6
        //        = 1 + 0 + 0 + 18 = 19 → 29.
        // (0,1): rows −1…1, cols 1…3 → row 0: 2·2 + 3·1 + 4·0 = 7; row 1: 6·0 + 7·0 + 8·3 = 24 → 31 → 41.
        // (1,0): rows 1…3, cols −1…1 → row 1: 5·0 + 6·(−1) = −6; row 2: 9·1 + 10·0 = 9;
        //        row 3: 13·0 + 14·3 = 42 → 45 → 55.
        // (1,1): rows 1…3, cols 1…3 → 6 − 8 = −2; 20 + 11 = 31; 48 → 77 → 87.
        // Requantizer M = 1, n = 1, half_up, zero point −3: 14.5 → 15, 20.5 → 21, 27.5 → 28,
        // 43.5 → 44; minus 3 → 12, 18, 25, 41.
        let p = Conv2DParameters(
            stride: Size2D(2), padding: Padding2D(top: 1, bottom: 1, left: 1, right: 1),
            requantizer: Requantizer(multiplier: 1, shift: 1, rounding: .halfUp, zeroPoint: -3))
        let acc = ReferenceKernels.conv2DAccumulators(
            input: Self.ramp, inputZeroPoint: 0, weights: Self.kernel, weightZeroPoints: [0], bias: [10],
            parameters: p, overflow: .wrap)
        #expect(acc == IntTensor(shape: [1, 2, 2, 1], elementType: .int32, values: [29, 41, 55, 87]))
        let out = ReferenceKernels.conv2D(
            input: Self.ramp, inputZeroPoint: 0, weights: Self.kernel, weightZeroPoints: [0], bias: [10],
            parameters: p, overflow: .wrap, outputType: .int8)
        #expect(out == IntTensor(shape: [1, 2, 2, 1], elementType: .int8, values: [12, 18, 25, 41]))
    }

    @Test func skippedPaddingTapsEqualPaddingWithTheInputZeroPoint() {
        // With input zero point 5, padding the input with 5 and convolving without padding must give
        // the same accumulators as skipping the out-of-image taps.
        let padded = ReferenceKernels.pad(
            Self.ramp, parameters: PadParameters(padding: [[0, 0], [1, 1], [1, 1], [0, 0]], value: 5))
        let rq = Requantizer(multiplier: 1, shift: 0, rounding: .floor)
        let skipping = ReferenceKernels.conv2DAccumulators(
            input: Self.ramp, inputZeroPoint: 5, weights: Self.kernel, weightZeroPoints: [1], bias: nil,
            parameters: Conv2DParameters(
                stride: Size2D(2), padding: Padding2D(top: 1, bottom: 1, left: 1, right: 1), requantizer: rq),
            overflow: .wrap)
        let explicit = ReferenceKernels.conv2DAccumulators(
            input: padded, inputZeroPoint: 5, weights: Self.kernel, weightZeroPoints: [1], bias: nil,
            parameters: Conv2DParameters(stride: Size2D(2), requantizer: rq), overflow: .wrap)
        #expect(skipping == explicit)
    }

    @Test func depthwiseWithMultiplier2() {
        // Input 1×2×2×2: channel 0 = [[1, 2], [3, 4]], channel 1 = [[10, 20], [30, 40]] (NHWC order
        // interleaves them). groups = Cin = 2, Cout = 4 → multiplier 2: outputs 0, 1 read channel 0,
        // outputs 2, 3 read channel 1. 2×2 kernels, no padding → output 1×1×1×4.
        let input = IntTensor(shape: [1, 2, 2, 2], elementType: .int8, values: [1, 10, 2, 20, 3, 30, 4, 40])
        let weights = IntTensor(
            shape: [4, 2, 2, 1], elementType: .int8,
            values: [
                1, 0, 0, 0,  // oc 0: picks x0[0][0] = 1
                0, 0, 0, 1,  // oc 1: picks x0[1][1] = 4
                1, 1, 1, 1,  // oc 2: 10 + 20 + 30 + 40 = 100
                1, -1, 0, 2,  // oc 3: 10 − 20 + 0 + 80 = 70
            ])
        let p = Conv2DParameters(groups: 2, requantizer: Requantizer(multiplier: 1, shift: 0, rounding: .floor))
        let acc = ReferenceKernels.conv2DAccumulators(
            input: input, inputZeroPoint: 0, weights: weights, weightZeroPoints: [0], bias: nil, parameters: p,
            overflow: .wrap)
        #expect(acc.values == [1, 4, 100, 70])
        // Input zero point 1: channel 0 → [0, 1, 2, 3], channel 1 → [9, 19, 29, 39]:
        // oc 0: 0; oc 1: 3; oc 2: 96; oc 3: 9 − 19 + 78 = 68. Per-channel weight zero points
        // [0, 0, 1, 0] on oc 2 make its weights 0 → 0.
        let shifted = ReferenceKernels.conv2DAccumulators(
            input: input, inputZeroPoint: 1, weights: weights, weightZeroPoints: [0, 0, 1, 0], bias: [0, 0, 0, 0],
            parameters: p, overflow: .wrap)
        #expect(shifted.values == [0, 3, 0, 68])
    }

    @Test func groupedConvolutionReadsItsGroupOnly() {
        // Cin 4 in 2 groups, Cout 2, 1×1 kernel of ones: output 0 sums channels 0, 1; output 1
        // sums channels 2, 3. x = [1, 2, 30, 40] → [3, 70].
        let input = IntTensor(shape: [1, 1, 1, 4], elementType: .int8, values: [1, 2, 30, 40])
        let weights = IntTensor(shape: [2, 1, 1, 2], elementType: .int8, values: [1, 1, 1, 1])
        let acc = ReferenceKernels.conv2DAccumulators(
            input: input, inputZeroPoint: 0, weights: weights, weightZeroPoints: [], bias: nil,
            parameters: Conv2DParameters(
                groups: 2, requantizer: Requantizer(multiplier: 1, shift: 0, rounding: .floor)),
            overflow: .saturate)
        #expect(acc.values == [3, 70])
    }

    @Test func biasOverflowWrapsOrSaturates() {
        // FC, D = 2: x = [127, 127], zero point −128 → 255 each; w = [127, 127];
        // products 255·127 = 32385, sum 64770; bias 2^31 − 1 − 100 = 2147483547.
        // wrap: 2147483547 + 64770 = 2147548317 − 2^32 = −2147418979; saturate: Int32.max.
        let x = IntTensor(shape: [1, 2], elementType: .int8, values: [127, 127])
        let w = IntTensor(shape: [1, 2], elementType: .int8, values: [127, 127])
        func acc(_ mode: OverflowMode) -> [Int32] {
            ReferenceKernels.fullyConnectedAccumulators(
                input: x, inputZeroPoint: -128, weights: w, weightZeroPoints: [0], bias: [.max - 100], overflow: mode
            ).values
        }
        #expect(acc(.wrap) == [-2_147_418_979])
        #expect(acc(.saturate) == [.max])
    }

    @Test func saturationDependsOnAccumulationOrder() {
        // FC over int16 input, D = 600, w = 127 everywhere; x = 32767 for d < 550, −32768 after.
        // Products: 32767·127 = 4161409 (550 of them, 2288774950 in all), then −32768·127 = −4161536
        // (50 of them, −208076800 in all). Exact sum 2080698150 fits int32.
        // wrap: every partial sum is right modulo 2^32, so the final sum is exact: 2080698150.
        // saturate: 516·4161409 = 2147287044 still fits, the 517th product clamps at 2147483647,
        // the remaining positives keep it there, then the 50 negatives: 2147483647 − 208076800
        // = 1939406847.
        let depth = 600
        let x = IntTensor(
            shape: [1, depth], elementType: .int16, values: (0..<depth).map { $0 < 550 ? 32767 : -32768 })
        let w = IntTensor(shape: [1, depth], elementType: .int8, repeating: 127)
        func acc(_ mode: OverflowMode) -> Int32 {
            ReferenceKernels.fullyConnectedAccumulators(
                input: x, inputZeroPoint: 0, weights: w, weightZeroPoints: [0], bias: nil, overflow: mode
            ).values[0]
        }
        #expect(acc(.wrap) == 2_080_698_150)
        #expect(acc(.saturate) == 1_939_406_847)
    }

    @Test func fullyConnectedPerChannelRequantizer() {
        // x = [1, 2, 3], zero point 1 → [0, 1, 2]; w row 0 = [1, 1, 1] → 3; row 1 = [2, −1, 4],
        // weight zero point 1 → [1, −2, 3] → 0 − 2 + 6 = 4. Bias [1, −1] → [4, 3].
        // Requantizer per channel: 4·3/2 = 6; 3·1/4 = 0.75 → 1 (half_away); zero point 0.
        let x = IntTensor(shape: [1, 3], elementType: .int8, values: [1, 2, 3])
        let w = IntTensor(shape: [2, 3], elementType: .int8, values: [1, 1, 1, 2, -1, 4])
        let out = ReferenceKernels.fullyConnected(
            input: x, inputZeroPoint: 1, weights: w, weightZeroPoints: [0, 1], bias: [1, -1],
            parameters: FullyConnectedParameters(
                requantizer: Requantizer(multipliers: [3, 1], shifts: [1, 2], rounding: .halfAway)),
            overflow: .wrap, outputType: .int8)
        #expect(out == IntTensor(shape: [1, 2], elementType: .int8, values: [6, 1]))
    }
}
