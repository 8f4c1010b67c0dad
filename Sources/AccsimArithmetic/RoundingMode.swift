/// How a requantizer rounds `acc · M / 2^n` to an integer. Every mode is named exactly as in the
/// model file; see docs/arithmetic.md for the formulas and the runtimes that use each one.
public enum RoundingMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// `(acc·M + 2^(n−1)) >> n`: ties toward +∞. Aidge BitShift with rounding; many RTL designs.
    case halfUp = "half_up"
    /// TFLite/LiteRT reference "double rounding": `RDBP(SRDHM(acc·2^left, M), right)`.
    case tflite = "tflite"
    /// LiteRT optimized kernels: `(SRDHM(acc·2^left, M) + 2^(right−1)) >> right`.
    case tfliteHalfUp = "tflite_half_up"
    /// Round to nearest, ties away from zero.
    case halfAway = "half_away"
    /// Round to nearest, ties to even.
    case halfEven = "half_even"
    /// `(acc·M) >> n`: toward −∞ (plain arithmetic shift).
    case floor = "floor"
    /// `round_half_away(Double(acc) · r)` with the requantizer's real multiplier `r` in double
    /// precision (``Requantizer/realMultipliers``): LiteRT's reference FULLY_CONNECTED. Not an
    /// integer-hardware operation; it exists to reproduce that kernel exactly.
    case doubleHalfAway = "double_half_away"

    /// Whether the mode uses TFLite's Q31 fixed-point multiplier (SRDHM), where the multiplier
    /// must be non-negative and the total shift is split into a left shift before SRDHM and a
    /// right shift after it.
    public var usesQ31Multiplier: Bool {
        self == .tflite || self == .tfliteHalfUp
    }

    /// Whether the mode multiplies by a real (double-precision) multiplier instead of `M·2^−n`.
    public var usesRealMultiplier: Bool {
        self == .doubleHalfAway
    }

    /// Whether integer hardware can implement the mode (every mode but the double-precision one,
    /// which exists only to reproduce LiteRT's reference FULLY_CONNECTED).
    public var isIntegerHardwareMode: Bool {
        !usesRealMultiplier
    }
}

/// What a 32-bit accumulator does when a sum leaves the int32 range.
public enum OverflowMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Two's complement wrap-around (the result modulo 2^32).
    case wrap
    /// Clamp to [Int32.min, Int32.max] after every addition.
    case saturate

    /// Adds two int32 values under this overflow mode.
    @inlinable
    public func add(_ a: Int32, _ b: Int32) -> Int32 {
        switch self {
        case .wrap:
            return a &+ b
        case .saturate:
            let (sum, overflow) = a.addingReportingOverflow(b)
            if !overflow { return sum }
            return b > 0 ? .max : .min
        }
    }

    /// Narrows a 64-bit value to int32 under this overflow mode.
    @inlinable
    public func narrow(_ value: Int64) -> Int32 {
        switch self {
        case .wrap:
            return Int32(truncatingIfNeeded: value)
        case .saturate:
            return Int32(clamping: value)
        }
    }
}
