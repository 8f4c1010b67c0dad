/// The requantizer: the unit that turns an int32 accumulator into a narrow output element.
///
/// `out = clamp(ROUND(acc, M, n) + zeroPoint, clampMin, clampMax)` where `acc` already includes the
/// int32 bias, `M = multipliers[c]`, `n = shifts[c]` (a right shift: the real scale is `M · 2^−n`)
/// and ROUND is the `rounding` mode. With one multiplier the parameters are per tensor; with more,
/// per output channel (the innermost axis of an NHWC tensor). `M = 1` is the pure power-of-two
/// ("single-shift") case.
///
/// For the two TFLite modes, `n = 31 − shift` where `shift` is TFLite's signed exponent: the left
/// part `max(31 − n, 0)` is applied before SRDHM and the right part `max(n − 31, 0)` after it.
///
/// The `double_half_away` mode (LiteRT's reference FULLY_CONNECTED) ignores `M` and `n` and
/// multiplies by `realMultipliers[c]` in double precision instead; every other mode ignores
/// `realMultipliers`.
public struct Requantizer: Sendable, Hashable, Codable {
    /// Integer multipliers M, one per channel or a single one.
    public var multipliers: [Int32]
    /// Right shifts n (0...62), one per channel or a single one.
    public var shifts: [Int32]
    /// How ties and fractions are rounded.
    public var rounding: RoundingMode
    /// Output zero point added after rounding.
    public var zeroPoint: Int32
    /// Lower end of the output clamp (fused activation or type range).
    public var clampMin: Int32
    /// Upper end of the output clamp (fused activation or type range).
    public var clampMax: Int32
    /// Real multipliers `r`, one per channel or a single one: required by `double_half_away`
    /// (`ROUND = round_half_away(Double(acc) · r)`), ignored by every other mode.
    public var realMultipliers: [Double]?

    enum CodingKeys: String, CodingKey {
        case multipliers, shifts, rounding
        case zeroPoint = "zero_point"
        case clampMin = "clamp_min"
        case clampMax = "clamp_max"
        case realMultipliers = "real_multipliers"
    }

    /// The largest right shift accepted: keeps `acc·M + 2^(n−1)` exact in 64 bits.
    public static let maxShift: Int32 = 62

    public init(
        multipliers: [Int32], shifts: [Int32], rounding: RoundingMode,
        zeroPoint: Int32 = 0, clampMin: Int32 = -128, clampMax: Int32 = 127, realMultipliers: [Double]? = nil
    ) {
        self.multipliers = multipliers
        self.shifts = shifts
        self.rounding = rounding
        self.zeroPoint = zeroPoint
        self.clampMin = clampMin
        self.clampMax = clampMax
        self.realMultipliers = realMultipliers
    }

    /// A per-tensor requantizer.
    public init(
        multiplier: Int32, shift: Int32, rounding: RoundingMode,
        zeroPoint: Int32 = 0, clampMin: Int32 = -128, clampMax: Int32 = 127, realMultipliers: [Double]? = nil
    ) {
        self.init(
            multipliers: [multiplier], shifts: [shift], rounding: rounding,
            zeroPoint: zeroPoint, clampMin: clampMin, clampMax: clampMax, realMultipliers: realMultipliers)
    }

    /// Number of channels the parameters describe (1 for per tensor).
    public var channelCount: Int { multipliers.count }

    /// Whether the parameters are per output channel.
    public var isPerChannel: Bool { multipliers.count > 1 }

    /// Problems with the parameters, each as (field, message); empty when valid.
    public func problems() -> [(field: String, message: String)] {
        var found: [(String, String)] = []
        if multipliers.isEmpty {
            found.append(("multipliers", "needs at least one multiplier"))
        }
        if multipliers.count != shifts.count {
            found.append(("shifts", "has \(shifts.count) entries but multipliers has \(multipliers.count)"))
        }
        for (index, shift) in shifts.enumerated() where shift < 0 || shift > Self.maxShift {
            found.append(("shifts[\(index)]", "shift \(shift) is outside 0...\(Self.maxShift)"))
            break
        }
        if rounding.usesQ31Multiplier {
            for (index, multiplier) in multipliers.enumerated() where multiplier < 0 {
                found.append(
                    (
                        "multipliers[\(index)]",
                        "multiplier \(multiplier) is negative; \(rounding.rawValue) needs 0...2^31-1"
                    ))
                break
            }
        }
        if clampMin > clampMax {
            found.append(("clamp_min", "clamp_min \(clampMin) is greater than clamp_max \(clampMax)"))
        }
        if rounding.usesRealMultiplier {
            if let reals = realMultipliers {
                if reals.count != multipliers.count {
                    found.append(
                        ("real_multipliers", "has \(reals.count) entries but multipliers has \(multipliers.count)"))
                }
                for (index, real) in reals.enumerated() where !(real.isFinite && real >= 0) {
                    found.append(
                        ("real_multipliers[\(index)]", "real multiplier \(real) must be finite and non-negative"))
                    break
                }
            } else {
                found.append(("real_multipliers", "\(rounding.rawValue) needs real_multipliers"))
            }
        }
        return found
    }

    /// The rounded, scaled value before the zero point and clamp: `ROUND(acc, M_c, n_c)`.
    @inlinable
    public func scaled(_ acc: Int32, channel: Int) -> Int64 {
        let index = multipliers.count == 1 ? 0 : channel
        if rounding == .doubleHalfAway, let reals = realMultipliers {
            return Self.roundReal(acc, real: reals[reals.count == 1 ? 0 : channel])
        }
        return Self.round(acc, multiplier: multipliers[index], shift: Int(shifts[index]), mode: rounding)
    }

    /// The requantized output for accumulator `acc` of output channel `channel`.
    @inlinable
    public func apply(_ acc: Int32, channel: Int) -> Int32 {
        let value = scaled(acc, channel: channel) + Int64(zeroPoint)
        return Int32(min(max(value, Int64(clampMin)), Int64(clampMax)))
    }

    /// The requantized output for a 64-bit accumulator (layers with `int64` accumulators). The
    /// plain modes (`half_up`, `half_away`, `half_even`, `floor`) compute `acc·M` exactly in 128
    /// bits, `double_half_away` multiplies `Double(acc)` by the real multiplier; validation admits
    /// only those modes with int64 accumulators, and any other mode sees the accumulator
    /// saturated to int32.
    @inlinable
    public func apply(wide acc: Int64, channel: Int) -> Int32 {
        let index = multipliers.count == 1 ? 0 : channel
        let value: Int64
        switch rounding {
        case .halfUp, .halfAway, .halfEven, .floor:
            value = Self.roundWide(acc, multiplier: multipliers[index], shift: Int(shifts[index]), mode: rounding)
        case .doubleHalfAway:
            let real =
                realMultipliers.map { $0[$0.count == 1 ? 0 : channel] }
                ?? Double(multipliers[index]) * Double(sign: .plus, exponent: -Int(shifts[index]), significand: 1)
            let product = (Double(acc) * real).rounded(.toNearestOrAwayFromZero)
            let limit = Double(Int64(1) << 62)
            value = !(product > -limit) ? -(Int64(1) << 62) : !(product < limit) ? Int64(1) << 62 : Int64(product)
        default:
            value = scaled(Int32(clamping: acc), channel: channel)
        }
        let shifted = value.addingReportingOverflow(Int64(zeroPoint))
        let sum = shifted.overflow ? (value > 0 ? Int64.max : Int64.min) : shifted.partialValue
        return Int32(min(max(sum, Int64(clampMin)), Int64(clampMax)))
    }

    /// `ROUND(acc·M / 2^n)` of a 64-bit accumulator in a plain mode, exact (128-bit product),
    /// saturated to the Int64 range.
    @inlinable
    public static func roundWide(_ acc: Int64, multiplier: Int32, shift: Int, mode: RoundingMode) -> Int64 {
        let product = Int128(acc) * Int128(multiplier)
        var result: Int128
        if shift == 0 {
            result = product
        } else {
            let half = Int128(1) << (shift - 1)
            switch mode {
            case .floor:
                result = product >> shift
            case .halfAway:
                let magnitude = (product.magnitude + UInt128(half)) >> UInt128(shift)
                result = product < 0 ? -Int128(magnitude) : Int128(magnitude)
            case .halfEven:
                let floorValue = product >> shift
                let remainder = product - (floorValue << shift)
                result =
                    remainder > half ? floorValue + 1 : remainder < half ? floorValue : floorValue + (floorValue & 1)
            default:
                result = (product + half) >> shift
            }
        }
        return Int64(clamping: result)
    }

    /// Everything a requantizer does to one element, for traces and debugging.
    public struct Step: Sendable, Hashable {
        /// The int32 input (accumulator plus bias).
        public var input: Int32
        /// The value after rounding and the zero point, before saturation.
        public var beforeSaturation: Int64
        /// Whether the clamp changed the value.
        public var saturated: Bool
        /// The final output.
        public var output: Int32
    }

    /// The full step for one element: pre-saturation value, saturation flag and output.
    public func step(_ acc: Int32, channel: Int) -> Step {
        let value = scaled(acc, channel: channel) + Int64(zeroPoint)
        let output = Int32(min(max(value, Int64(clampMin)), Int64(clampMax)))
        return Step(input: acc, beforeSaturation: value, saturated: Int64(output) != value, output: output)
    }

    /// `ROUND(acc, M, n)` for one rounding mode; see ``RoundingMode`` for the formulas.
    @inlinable
    public static func round(_ acc: Int32, multiplier: Int32, shift: Int, mode: RoundingMode) -> Int64 {
        switch mode {
        case .tflite:
            let tfliteShift = 31 - shift
            return Int64(FixedPoint.multiplyByQuantizedMultiplier(acc, multiplier: multiplier, shift: tfliteShift))
        case .tfliteHalfUp:
            let left = max(31 - shift, 0)
            let right = max(shift - 31, 0)
            let shifted = Int32(truncatingIfNeeded: Int64(acc) << left)
            let high = Int64(FixedPoint.saturatingRoundingDoublingHighMul(shifted, multiplier))
            return right == 0 ? high : (high + (Int64(1) << (right - 1))) >> right
        case .halfUp, .halfAway, .halfEven, .floor:
            return roundProduct(Int64(acc) * Int64(multiplier), shift: shift, mode: mode)
        case .doubleHalfAway:
            // Without a requantizer's real multiplier, the real factor is M·2^−n (exact in double).
            return roundReal(acc, real: Double(multiplier) * Double(sign: .plus, exponent: -shift, significand: 1))
        }
    }

    /// `round_half_away(Double(acc) · real)`: one IEEE double multiplication, then C `round`
    /// (ties away from zero), as LiteRT's reference FULLY_CONNECTED computes it; saturated to
    /// ±2^62 (beyond any clamp range) so that it always fits Int64.
    @inlinable
    public static func roundReal(_ acc: Int32, real: Double) -> Int64 {
        let value = (Double(acc) * real).rounded(.toNearestOrAwayFromZero)
        let limit = Double(Int64(1) << 62)
        if !(value > -limit) { return -(Int64(1) << 62) }
        if !(value < limit) { return Int64(1) << 62 }
        return Int64(value)
    }

    /// Rounds `product / 2^shift` (shift 0...62) in one of the plain modes.
    @inlinable
    public static func roundProduct(_ product: Int64, shift: Int, mode: RoundingMode) -> Int64 {
        if shift == 0 { return product }
        let half = Int64(1) << (shift - 1)
        switch mode {
        case .halfUp, .tfliteHalfUp:
            return (product + half) >> shift
        case .floor:
            return product >> shift
        case .halfAway, .tflite, .doubleHalfAway:
            let magnitude = (product.magnitude + UInt64(half)) >> UInt64(shift)
            return product < 0 ? -Int64(magnitude) : Int64(magnitude)
        case .halfEven:
            let floorValue = product >> shift
            let remainder = product - (floorValue << shift)
            if remainder > half { return floorValue + 1 }
            if remainder < half { return floorValue }
            return floorValue + (floorValue & 1)
        }
    }
}
