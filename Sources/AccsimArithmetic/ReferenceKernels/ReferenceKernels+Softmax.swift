extension ReferenceKernels {
    /// Integer softmax over the last axis, exactly TFLite's int8 reference kernel (gemmlowp fixed
    /// point). Input int8 (normally `[N, D]`; any rank works, rows are the last axis), output int8
    /// with the fixed quantization scale 1/256, zero point −128.
    ///
    /// Per row, with `max` the row maximum and, for each entry, `diff = q − max ≤ 0`:
    /// 1. Entries with `diff < diff_min` are ignored by the sum and output −128.
    /// 2. `z = SRDHM(diff · 2^input_left_shift, input_multiplier)` is `β·s_in·diff` in Q5.26 (the
    ///    shift wraps at 32 bits; `diff_min` keeps it exact).
    /// 3. `e = exp(z)` in Q0.31 (``GemmlowpFixedPoint/expOnNegativeValues(_:integerBits:)`` with
    ///    5 integer bits).
    /// 4. `sum = Σ RDBP(e, 12)`: the exps rescaled to Q12.19 and added with wrapping int32 adds
    ///    (they cannot overflow below 4096 entries per row).
    /// 5. `(scale, nb) = GetReciprocal(sum, 12)` (``GemmlowpFixedPoint/reciprocal(_:integerBits:)``),
    ///    so `1/sum ≈ scale · 2^−nb`.
    /// 6. `out = clamp(RDBP(SRDHM(scale, e), nb + 23) − 128, −128, 127)`. TFLite requires
    ///    `nb + 23 ≤ 31`, i.e. a sum of exps below 512 (a row of 512 or more equal logits breaks
    ///    it: newer TFLite kernels reject such a row, older ones shift out of range); accsim
    ///    extends RDBP to exponents ≥ 32, where the rounded quotient of a non-negative int32 is 0.
    public static func softmax(_ input: IntTensor, parameters: SoftmaxParameters) -> IntTensor {
        let scaledDiffIntegerBits = 5
        let accumulationIntegerBits = 12
        let outputMin: Int32 = -128
        let outputMax: Int32 = 127
        let depth = input.shape.last ?? 1
        precondition(depth > 0, "softmax: empty last axis in \(input.shape)")
        let rows = input.count / depth
        let leftShift = Int(parameters.inputLeftShift)
        var values = [Int32](repeating: outputMin, count: input.count)
        var exps = [Int32](repeating: 0, count: depth)
        for row in 0..<rows {
            let base = row * depth
            var rowMax = input.values[base]
            for c in 1..<depth { rowMax = max(rowMax, input.values[base + c]) }

            var sum: Int32 = 0
            for c in 0..<depth {
                let diff = input.values[base + c] - rowMax
                guard diff >= parameters.diffMin else { continue }
                let scaledDiff = GemmlowpFixedPoint.multiplyByQuantizedMultiplierGreaterThanOne(
                    diff, multiplier: parameters.inputMultiplier, leftShift: leftShift)
                exps[c] = GemmlowpFixedPoint.expOnNegativeValues(scaledDiff, integerBits: scaledDiffIntegerBits)
                sum =
                    sum
                    &+ GemmlowpFixedPoint.rescale(exps[c], fromIntegerBits: 0, toIntegerBits: accumulationIntegerBits)
            }

            let (scale, bitsOverUnit) = GemmlowpFixedPoint.reciprocal(sum, integerBits: accumulationIntegerBits)
            let exponent = bitsOverUnit + 31 - 8
            for c in 0..<depth {
                let diff = input.values[base + c] - rowMax
                guard diff >= parameters.diffMin else { continue }  // stays at −128
                let probability = GemmlowpFixedPoint.multiply(scale, exps[c])
                let unsaturated = exponent <= 31 ? FixedPoint.roundingDivideByPOT(probability, exponent) : 0
                values[base + c] = clamped(Int64(unsaturated) + Int64(outputMin), outputMin, outputMax)
            }
        }
        return IntTensor(shape: input.shape, elementType: .int8, values: values)
    }
}
