extension SoftmaxParameters {
    /// Number of integer bits of the scaled input differences (Q5.26), as in TFLite.
    public static let scaledDiffIntegerBits = 5

    /// Derives the integer softmax parameters from the real product `β · s_in`, exactly as TFLite
    /// prepares its int8 softmax.
    ///
    /// - `PreprocessSoftmaxScaling` with 5 integer bits:
    ///   `r = min(β·s_in · 2^26, 2^31 − 1)` (in double), then
    ///   `(input_multiplier, input_left_shift) = QuantizeMultiplier(r)`.
    /// - `CalculateInputRadius(5, input_left_shift, 31)`:
    ///   `diff_min = −floor((2^5 − 1) · 2^26 / 2^input_left_shift)`, the most negative difference
    ///   whose scaled value still fits Q5.26.
    ///
    /// TFLite refuses `r ≤ 1` (its `QuantizeMultiplierGreaterThanOne` check). For such tiny
    /// products accsim keeps `input_left_shift = 0` and uses the multiplier
    /// `min(round_half_away(r · 2^31), 2^31 − 1)` instead of a negative shift.
    public static func softmaxParameters(betaTimesInputScale: Double) -> SoftmaxParameters {
        let real = min(betaTimesInputScale * Double(1 << (31 - scaledDiffIntegerBits)), Double(Int32.max))
        let quantized = FixedPoint.quantizeMultiplier(real)
        var multiplier = quantized.multiplier
        var leftShift = quantized.shift
        if leftShift < 0 {
            multiplier = Int32(min((real * Double(1 << 31)).rounded(.toNearestOrAwayFromZero), Double(Int32.max)))
            leftShift = 0
        }
        let radius =
            Double((1 << scaledDiffIntegerBits) - 1) * Double(1 << (31 - scaledDiffIntegerBits))
            / Double(1 << leftShift)
        return SoftmaxParameters(
            betaTimesInputScale: betaTimesInputScale, inputMultiplier: multiplier,
            inputLeftShift: Int32(leftShift), diffMin: -Int32(radius.rounded(.down)))
    }
}
