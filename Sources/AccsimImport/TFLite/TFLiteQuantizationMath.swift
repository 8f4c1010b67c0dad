import AccsimArithmetic
import AccsimModel

/// The integer parameters LiteRT derives from float32 scales when it prepares a kernel, computed
/// the same way (same precision, same order of operations).
enum TFLiteQuantizationMath {
    /// The clamp range of a fused activation on an int8 output (LiteRT's
    /// `CalculateActivationRangeQuantized`): `Quantize(f) = zp + round_half_away(f / scale)` with
    /// the division in float32; RELU → `[max(−128, zp), 127]`, RELU6 →
    /// `[max(−128, zp), min(127, Quantize(6))]`, RELU_N1_TO_1 → `[max(−128, Quantize(−1)),
    /// min(127, Quantize(1))]`, NONE → `[−128, 127]`.
    /// An int16 output uses the same formulas over `[−32768, 32767]`.
    static func activationRange(
        _ raw: Int8, scale: Float, zeroPoint: Int32, type: ElementType = .int8, _ context: OperatorContext
    ) throws(ModelError) -> (min: Int32, max: Int32) {
        let lo = type.minValue
        let hi = type.maxValue
        func quantize(_ f: Float) -> Int32 {
            let q = (f / scale).rounded(.toNearestOrAwayFromZero)
            let clamped = min(max(q, -1e9), 1e9)
            return Int32(clamping: min(max(Int64(zeroPoint) + Int64(clamped), Int64(lo)), Int64(hi)))
        }
        guard let activation = TFLiteSchema.Activation(rawValue: raw) else {
            throw context.error("fused activation \(raw) is not a known ActivationFunctionType")
        }
        switch activation {
        case .none: return (lo, hi)
        case .relu: return (max(lo, zeroPoint), hi)
        case .relu6: return (max(lo, zeroPoint), min(hi, quantize(6)))
        case .reluN1To1: return (max(lo, quantize(-1)), min(hi, quantize(1)))
        case .tanh, .signBit: throw context.error("fused activation \(activation.name) is not supported")
        }
    }

    /// LiteRT's padding for one spatial axis (`ComputePaddingHeightWidth`): with
    /// `eff = (k − 1)·d + 1`, SAME gives `out = ceil(in / s)`, VALID `out = (in + s − eff) div s`;
    /// `total = max(0, (out − 1)·s + eff − in)`, `before = total div 2`, the rest after.
    static func padding(
        _ raw: Int8, input: Int, kernel: Int, stride: Int, dilation: Int, axis: String, _ context: OperatorContext
    ) throws(ModelError) -> (before: Int, after: Int) {
        guard let padding = TFLiteSchema.Padding(rawValue: raw) else {
            throw context.error("padding \(raw) is neither SAME (0) nor VALID (1)")
        }
        let effective = (kernel - 1) * dilation + 1
        let out: Int
        switch padding {
        case .same: out = (input + stride - 1) / stride
        case .valid: out = (input + stride - effective) / stride
        }
        guard out >= 1 else {
            throw context.error(
                "the \(axis) window of \(effective) does not fit the input extent \(input) with VALID padding")
        }
        let total = max(0, (out - 1) * stride + effective - input)
        return (total / 2, total - total / 2)
    }

    /// `(M, n)` for a real multiplier through TFLite's QuantizeMultiplier, with accsim's uniform
    /// right shift `n = 31 − shift`.
    static func multiplier(_ real: Double, what: String, _ context: OperatorContext) throws(ModelError) -> (
        multiplier: Int32, shift: Int32
    ) {
        guard real.isFinite, real >= 0 else {
            throw context.error("the \(what) multiplier \(real) is not a finite non-negative number")
        }
        let quantized = FixedPoint.quantizeMultiplier(real)
        let shift = quantized.rightShift
        guard (0...Int(Requantizer.maxShift)).contains(shift) else {
            throw context.error(
                "the \(what) multiplier \(real) needs a shift of \(31 - shift), outside what a requantizer holds")
        }
        return (quantized.multiplier, Int32(shift))
    }

    /// A requantizer from per-channel (or one) real multipliers.
    static func requantizer(
        reals: [Double], rounding: RoundingMode, zeroPoint: Int32, clamp: (min: Int32, max: Int32), what: String,
        _ context: OperatorContext
    ) throws(ModelError) -> Requantizer {
        var multipliers: [Int32] = []
        var shifts: [Int32] = []
        for real in reals {
            let (m, n) = try multiplier(real, what: what, context)
            multipliers.append(m)
            shifts.append(n)
        }
        return Requantizer(
            multipliers: multipliers, shifts: shifts, rounding: rounding, zeroPoint: zeroPoint,
            clampMin: clamp.min, clampMax: clamp.max, realMultipliers: rounding.usesRealMultiplier ? reals : nil)
    }

    /// The requantizer of LiteRT's int16x8 conv / depthwise / fully connected kernels, which
    /// accumulate in int64 and requantize with the 64-bit `MultiplyByQuantizedMultiplier`: the Q31
    /// multiplier is first rounded to 16 bits, `M' = (M + 2^15) >> 16` (`0x7FFF` when M ≥
    /// `0x7FFF0000`), then `(acc·M' + 2^(n'−1)) >> n'` with `n' = n − 16`, i.e. accsim's `half_up`
    /// with (M', n'), exact for the layer's int64 accumulator.
    static func int16x8Requantizer(_ q31: Requantizer, _ context: OperatorContext) throws(ModelError) -> Requantizer {
        var r = q31
        r.rounding = .halfUp
        r.realMultipliers = nil
        r.multipliers = q31.multipliers.map { $0 < 0x7FFF_0000 ? ($0 + (1 << 15)) >> 16 : 0x7FFF }
        r.shifts = try q31.shifts.map { n throws(ModelError) -> Int32 in
            guard n >= 16 else {
                throw context.error("the output multiplier needs a left shift LiteRT's int16 kernels do not take")
            }
            return n - 16
        }
        return r
    }
}
