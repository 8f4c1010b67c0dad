import Foundation

/// The fixed-point primitives of TFLite/LiteRT and gemmlowp, with every corner defined.
public enum FixedPoint {
    /// SaturatingRoundingDoublingHighMul: `floor((a·b + 2^30) / 2^31)` computed in 64 bits, i.e.
    /// the high half of the doubled product, ties rounded up. The one case whose result does not
    /// fit, `a = b = Int32.min`, saturates to `Int32.max`.
    @inlinable
    public static func saturatingRoundingDoublingHighMul(_ a: Int32, _ b: Int32) -> Int32 {
        if a == .min && b == .min { return .max }
        let product = Int64(a) * Int64(b)
        let nudge: Int64 = product >= 0 ? (1 << 30) : (1 - (1 << 30))
        // Truncating division toward zero, exactly as gemmlowp writes it.
        return Int32(truncatingIfNeeded: (product + nudge) / (1 << 31))
    }

    /// RoundingDivideByPOT: `x / 2^exponent` rounded to nearest, ties away from zero.
    /// `exponent` must lie in 0...31.
    @inlinable
    public static func roundingDivideByPOT(_ x: Int32, _ exponent: Int) -> Int32 {
        precondition((0...31).contains(exponent), "roundingDivideByPOT exponent \(exponent) outside 0...31")
        let mask: Int32 = Int32(truncatingIfNeeded: (Int64(1) << exponent) - 1)
        let remainder = x & mask
        let threshold = (mask >> 1) + (x < 0 ? 1 : 0)
        return (x >> Int32(exponent)) + (remainder > threshold ? 1 : 0)
    }

    /// TFLite's MultiplyByQuantizedMultiplier with its signed `shift` (positive = left shift).
    /// The left shift wraps at 32 bits (what TFLite's compiled code does; it assumes no overflow).
    @inlinable
    public static func multiplyByQuantizedMultiplier(_ x: Int32, multiplier: Int32, shift: Int) -> Int32 {
        let left = max(shift, 0)
        let right = max(-shift, 0)
        let shifted = Int32(truncatingIfNeeded: Int64(x) << left)
        return roundingDivideByPOT(saturatingRoundingDoublingHighMul(shifted, multiplier), right)
    }

    /// A TFLite quantized multiplier: `real ≈ multiplier · 2^(shift − 31)`, multiplier in
    /// [2^30, 2^31) (or 0), shift signed with positive meaning a left shift.
    public struct QuantizedMultiplier: Sendable, Hashable {
        public var multiplier: Int32
        public var shift: Int

        public init(multiplier: Int32, shift: Int) {
            self.multiplier = multiplier
            self.shift = shift
        }

        /// The same multiplier as accsim's uniform right shift `n` (real ≈ M · 2^−n).
        public var rightShift: Int { 31 - shift }
    }

    /// TFLite's QuantizeMultiplier: derives (M, shift) from a real multiplier exactly as TFLite does
    /// (frexp, round half away from zero of f·2^31, renormalise at 2^31, flush below 2^−31 to 0).
    public static func quantizeMultiplier(_ real: Double) -> QuantizedMultiplier {
        if real == 0 { return QuantizedMultiplier(multiplier: 0, shift: 0) }
        let (fraction, exponent) = frexpPair(real)
        var q = (fraction * Double(1 << 31)).rounded(.toNearestOrAwayFromZero)
        var shift = exponent
        if q == Double(1 << 31) {
            q /= 2
            shift += 1
        }
        if shift < -31 {
            return QuantizedMultiplier(multiplier: 0, shift: 0)
        }
        return QuantizedMultiplier(multiplier: Int32(q), shift: shift)
    }

    /// `frexp` as a pair: `value = fraction · 2^exponent`, 0.5 ≤ |fraction| < 1.
    public static func frexpPair(_ value: Double) -> (fraction: Double, exponent: Int) {
        var exponent: Int32 = 0
        let fraction = frexp(value, &exponent)
        return (fraction, Int(exponent))
    }
}
