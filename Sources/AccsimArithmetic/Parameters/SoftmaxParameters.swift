/// Integer softmax over the last axis in gemmlowp fixed point, as TFLite's int8 kernel computes it.
/// The integer parameters come from `beta · s_in` at import time:
/// `(input_multiplier, input_left_shift) = QuantizeMultiplier(min(β·s_in·2^26, 2^31 − 1))` and
/// `diff_min = −floor(31 · 2^26 / 2^input_left_shift)`… see docs/arithmetic.md §Softmax.
/// The output quantization is fixed: int8 with scale 1/256 and zero point −128.
public struct SoftmaxParameters: Sendable, Hashable, Codable {
    /// The real β·s_in the integer parameters were derived from (informative only).
    public var betaTimesInputScale: Double
    public var inputMultiplier: Int32
    public var inputLeftShift: Int32
    public var diffMin: Int32

    enum CodingKeys: String, CodingKey {
        case betaTimesInputScale = "beta_times_input_scale"
        case inputMultiplier = "input_multiplier"
        case inputLeftShift = "input_left_shift"
        case diffMin = "diff_min"
    }

    public init(betaTimesInputScale: Double, inputMultiplier: Int32, inputLeftShift: Int32, diffMin: Int32) {
        self.betaTimesInputScale = betaTimesInputScale
        self.inputMultiplier = inputMultiplier
        self.inputLeftShift = inputLeftShift
        self.diffMin = diffMin
    }
}
