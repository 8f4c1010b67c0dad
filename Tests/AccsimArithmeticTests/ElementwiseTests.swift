import AccsimArithmetic
import Testing

/// Hand-derived add, concat, clamp, LeakyReLU, lookup table, requantize and pad results.
struct ElementwiseTests {
    @Test func addTFLiteScheme() {
        // s1 = s2 = 0.5, s_out = 1: twice_max = 1, r1 = r2 = 0.5 → QuantizeMultiplier (2^30, 0) → n = 31;
        // r_out = 1/(2^20·1) = 2^−20 → (2^30, −19) → n = 50.
        // q1 = 3, q2 = 4 (zero points 0): a = 3·2^20 = 3145728 → SRDHM(a, 2^30) = 1572864;
        // b = 4·2^20 → 2097152; sum 3670016 → SRDHM(·, 2^30) = 1835008 → RDBP(·, 19) = 3.5 → 4;
        // zero point −1 → 3. Negated inputs: SRDHM(−3670016, 2^30) = floor(−1835007.5) = −1835008 →
        // RDBP → −3.5 → −4 → −5.
        let half = Requantizer(multiplier: 1 << 30, shift: 31, rounding: .tflite)
        let p = AddParameters(
            inputs: [AddInputScaling(leftShift: 20, rescale: half), AddInputScaling(leftShift: 20, rescale: half)],
            output: Requantizer(multiplier: 1 << 30, shift: 50, rounding: .tflite, zeroPoint: -1))
        let a = IntTensor(shape: [1, 2], elementType: .int8, values: [3, -3])
        let b = IntTensor(shape: [1, 2], elementType: .int8, values: [4, -4])
        let out = ReferenceKernels.add(
            a, zeroPointA: 0, b, zeroPointB: 0, parameters: p, overflow: .wrap, outputType: .int8)
        #expect(out == IntTensor(shape: [1, 2], elementType: .int8, values: [3, -5]))
    }

    @Test func addAidgeScheme() {
        // No shift, no rescale: (5 − 1) + (3 − 0) = 7; output M = 3, n = 2, half_up: 21/4 = 5.25 → 5.
        // (−128 − 1) + (−128 − 0) = −257 → −771/4 = −192.75 → −193 → clamped to −128.
        let plain = AddInputScaling(leftShift: 0, rescale: nil)
        let p = AddParameters(inputs: [plain, plain], output: Requantizer(multiplier: 3, shift: 2, rounding: .halfUp))
        let a = IntTensor(shape: [2], elementType: .int8, values: [5, -128])
        let b = IntTensor(shape: [2], elementType: .int8, values: [3, -128])
        #expect(
            ReferenceKernels.add(a, zeroPointA: 1, b, zeroPointB: 0, parameters: p, overflow: .wrap, outputType: .int8)
                .values == [5, -128])
    }

    @Test func addOverflowModes() {
        // left_shift 24: (127 − (−1))·2^24 = 2^31 → does not fit: wrap → −2^31, saturate → 2^31 − 1.
        // The other input 0. Output M = 1, n = 24, floor: wrap → −128 (−2^31 / 2^24 = −128);
        // saturate → floor((2^31 − 1)/2^24) = 127.
        let shifted = AddInputScaling(leftShift: 24, rescale: nil)
        let p = AddParameters(
            inputs: [shifted, shifted], output: Requantizer(multiplier: 1, shift: 24, rounding: .floor))
        let a = IntTensor(shape: [1], elementType: .int8, values: [127])
        let b = IntTensor(shape: [1], elementType: .int8, values: [0])
        #expect(
            ReferenceKernels.add(a, zeroPointA: -1, b, zeroPointB: 0, parameters: p, overflow: .wrap, outputType: .int8)
                .values == [-128])
        #expect(
            ReferenceKernels.add(
                a, zeroPointA: -1, b, zeroPointB: 0, parameters: p, overflow: .saturate, outputType: .int8
            ).values == [127])
    }

    @Test func concatCopiesOrRequantizes() {
        // Channels: x0 (1×1×2×1) = [1, 2] copied; x1 (1×1×2×2) = [10, 11, 20, 21] with zero point 4 and
        // requantizer M = 1, n = 1, half_up, zero point −1: (6 → 3 → 2), (7 → 3.5 → 4 → 3),
        // (16 → 8 → 7), (17 → 8.5 → 9 → 8). Output rows: [1, 2, 3], [2, 7, 8].
        let x0 = IntTensor(shape: [1, 1, 2, 1], elementType: .int8, values: [1, 2])
        let x1 = IntTensor(shape: [1, 1, 2, 2], elementType: .int8, values: [10, 11, 20, 21])
        let p = ConcatParameters(
            axis: 3, inputRequantizers: [nil, Requantizer(multiplier: 1, shift: 1, rounding: .halfUp, zeroPoint: -1)])
        #expect(
            ReferenceKernels.concat([x0, x1], zeroPoints: [0, 4], parameters: p, outputType: .int8)
                == IntTensor(shape: [1, 1, 2, 3], elementType: .int8, values: [1, 2, 3, 2, 7, 8]))
        // Along width (axis 2): x0 then x1's... a 1×1×1×2 and a 1×1×2×2 → 1×1×3×2.
        let y0 = IntTensor(shape: [1, 1, 1, 2], elementType: .int8, values: [7, 8])
        let w = ConcatParameters(axis: 2, inputRequantizers: [nil, nil])
        #expect(
            ReferenceKernels.concat([y0, x1], zeroPoints: [0, 0], parameters: w, outputType: .int8).values == [
                7, 8, 10, 11, 20, 21,
            ])
    }

    @Test func clampToRange() {
        let x = IntTensor(shape: [5], elementType: .int8, values: [-128, -1, 0, 6, 127])
        #expect(ReferenceKernels.clamp(x, parameters: ClampParameters(min: 0, max: 6)).values == [0, 0, 0, 6, 6])
    }

    @Test func leakyReluRoundsTheNegativeSideOnly() {
        // Slope 1/8 (M = 1, n = 3), input zero point 2, output zero point −1:
        // q = 14 → v = 12 → 12 → 11;  q = −10 → v = −12 → −1.5: half_up −1 → −2; floor −2 → −3;
        // half_away −2 → −3;  q = −126 → v = −128 → −16 → −17.
        func run(_ mode: RoundingMode) -> [Int32] {
            let x = IntTensor(shape: [3], elementType: .int8, values: [14, -10, -126])
            return ReferenceKernels.leakyRelu(
                x, inputZeroPoint: 2, outputZeroPoint: -1,
                parameters: LeakyReluParameters(slopeMultiplier: 1, slopeShift: 3, rounding: mode), outputType: .int8
            ).values
        }
        #expect(run(.halfUp) == [11, -2, -17])
        #expect(run(.floor) == [11, -3, -17])
        #expect(run(.halfAway) == [11, -3, -17])
        // The output is clamped to its type: v = 120 with output zero point 20 → 140 → 127.
        let big = ReferenceKernels.leakyRelu(
            IntTensor(shape: [1], elementType: .int8, values: [120]), inputZeroPoint: 0, outputZeroPoint: 20,
            parameters: LeakyReluParameters(slopeMultiplier: 1, slopeShift: 3, rounding: .halfUp), outputType: .int8)
        #expect(big.values == [127])
    }

    @Test func lookupTableIndexesFromTheInputTypeMinimum() {
        // table[i] = 255 − i: int8 q = −128 → index 0 → 255; q = 127 → index 255 → 0; q = 0 → 127.
        // uint8 q = 0 → index 0 → 255; q = 255 → 0.
        let table = LookupTableParameters(table: (0..<256).map { 255 - Int32($0) })
        let signed = IntTensor(shape: [3], elementType: .int8, values: [-128, 127, 0])
        #expect(
            ReferenceKernels.lookupTable(signed, parameters: table, outputType: .uint8)
                == IntTensor(shape: [3], elementType: .uint8, values: [255, 0, 127]))
        let unsigned = IntTensor(shape: [2], elementType: .uint8, values: [0, 255])
        #expect(ReferenceKernels.lookupTable(unsigned, parameters: table, outputType: .uint8).values == [255, 0])
    }

    @Test func requantizePerChannelAlongTheLastAxis() {
        // Shape [2, 2], channels M/n = (1, 1) and (3, 0), floor, zero point 0; input zero point 1:
        // [5, 6, −5, −6] → v = [4, 5, −6, −7] → [4/2 = 2, 15, −3, −21].
        let x = IntTensor(shape: [2, 2], elementType: .int8, values: [5, 6, -5, -6])
        let r = Requantizer(multipliers: [1, 3], shifts: [1, 0], rounding: .floor)
        #expect(
            ReferenceKernels.requantize(x, zeroPoint: 1, requantizer: r, outputType: .int8).values == [2, 15, -3, -21])
    }

    @Test func padAllRanks() {
        // [[1, 2], [3, 4]] padded [[1, 0], [0, 2]] with 9:
        // [[9, 9, 9, 9], [1, 2, 9, 9], [3, 4, 9, 9]].
        let x = IntTensor(shape: [2, 2], elementType: .int8, values: [1, 2, 3, 4])
        #expect(
            ReferenceKernels.pad(x, parameters: PadParameters(padding: [[1, 0], [0, 2]], value: 9))
                == IntTensor(shape: [3, 4], elementType: .int8, values: [9, 9, 9, 9, 1, 2, 9, 9, 3, 4, 9, 9]))
        let v = IntTensor(shape: [2], elementType: .int16, values: [-1, 1])
        #expect(
            ReferenceKernels.pad(v, parameters: PadParameters(padding: [[2, 1]], value: 0)).values == [0, 0, -1, 1, 0])
    }
}
