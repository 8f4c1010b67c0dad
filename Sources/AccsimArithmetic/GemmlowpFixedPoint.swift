/// The parts of gemmlowp's fixed-point library (`fixedpoint/fixedpoint.h`) that TFLite's integer
/// softmax relies on, on raw `Int32` values.
///
/// A gemmlowp value with `I` integer bits is a raw int32 `r` standing for `r / 2^(31 − I)`
/// (format Q`I`.`31−I`, range [−2^I, 2^I)). Multiplying two values is SRDHM of the raws (the
/// integer bits add up); changing the number of integer bits is a power-of-two multiply that
/// saturates when shifting left and rounds (ties away from zero) when shifting right. Plain
/// additions and subtractions of raws wrap (gemmlowp leaves int32 overflow undefined; the values
/// softmax produces never overflow, and wrapping is what compiled code does).
public enum GemmlowpFixedPoint {
    /// `x · 2^exponent` for a compile-time exponent in gemmlowp: for `exponent > 0` a left shift
    /// that saturates to `Int32.min`/`Int32.max` when `|x| > 2^(31−exponent) − 1`; for
    /// `exponent < 0` ``FixedPoint/roundingDivideByPOT(_:_:)`` by `−exponent`; `x` for 0.
    @inlinable
    public static func saturatingRoundingMultiplyByPOT(_ x: Int32, exponent: Int) -> Int32 {
        if exponent == 0 { return x }
        if exponent < 0 { return FixedPoint.roundingDivideByPOT(x, -exponent) }
        precondition(exponent < 32, "saturatingRoundingMultiplyByPOT exponent \(exponent) outside -31...31")
        let threshold = (Int64(1) << (31 - exponent)) - 1
        if Int64(x) > threshold { return .max }
        if Int64(x) < -threshold { return .min }
        return x << Int32(exponent)
    }

    /// Changes a raw value from `from` integer bits to `to` integer bits (gemmlowp `Rescale`):
    /// ``saturatingRoundingMultiplyByPOT(_:exponent:)`` with exponent `from − to`.
    @inlinable
    public static func rescale(_ raw: Int32, fromIntegerBits from: Int, toIntegerBits to: Int) -> Int32 {
        saturatingRoundingMultiplyByPOT(raw, exponent: from - to)
    }

    /// The product of two fixed-point values (gemmlowp `operator*`): SRDHM of the raws; the result
    /// has the sum of the operands' integer bits.
    @inlinable
    public static func multiply(_ a: Int32, _ b: Int32) -> Int32 {
        FixedPoint.saturatingRoundingDoublingHighMul(a, b)
    }

    /// `(a + b) / 2` rounded to nearest, ties away from zero, computed in 64 bits (gemmlowp
    /// `RoundingHalfSum`, the ARM VRHADD instruction).
    @inlinable
    public static func roundingHalfSum(_ a: Int32, _ b: Int32) -> Int32 {
        let sum = Int64(a) + Int64(b)
        return Int32(truncatingIfNeeded: (sum + (sum >= 0 ? 1 : -1)) / 2)
    }

    /// The raw of 1.0 with `integerBits` integer bits; with none, 1.0 is not representable and
    /// the largest value `Int32.max` stands for it (gemmlowp `One()`).
    @inlinable
    public static func one(integerBits: Int) -> Int32 {
        integerBits == 0 ? .max : Int32(1) << Int32(31 - integerBits)
    }

    /// TFLite's `MultiplyByQuantizedMultiplierGreaterThanOne`: `SRDHM(x · 2^leftShift, M)`, the
    /// left shift wrapping at 32 bits (TFLite assumes it does not overflow).
    @inlinable
    public static func multiplyByQuantizedMultiplierGreaterThanOne(_ x: Int32, multiplier: Int32, leftShift: Int)
        -> Int32
    {
        let shifted = Int32(truncatingIfNeeded: Int64(x) << Int64(leftShift))
        return FixedPoint.saturatingRoundingDoublingHighMul(shifted, multiplier)
    }

    // MARK: exp on negative values

    /// Raw Q0.31 constants of gemmlowp's exponential.
    @usableFromInline
    enum ExpConstants {
        /// exp(−1/8).
        @usableFromInline static let expMinusOneEighth: Int32 = 1_895_147_668
        /// 1/3.
        @usableFromInline static let oneThird: Int32 = 715_827_883
        /// exp(−2^k) for k = −2…4, used to multiply in the integer part of −x bit by bit.
        @usableFromInline static let barrel: [(exponent: Int, multiplier: Int32)] = [
            (-2, 1_672_461_947), (-1, 1_302_514_674), (0, 790_015_084), (1, 290_630_308),
            (2, 39_332_535), (3, 720_401), (4, 242),
        ]
    }

    /// exp(a) in Q0.31 for a Q0.31 value `a` in [−1/4, 0) (gemmlowp
    /// `exp_on_interval_between_negative_one_quarter_and_0_excl`): a fourth-order Taylor
    /// polynomial around −1/8, in the variable `x = a + 1/8`:
    /// `exp(−1/8) · (1 + x + x²/2 + x³/6 + x⁴/24)`, evaluated as
    /// `c + c·(x + ((x⁴/4 + x³)·(1/3) + x²)/2)` with `c = exp(−1/8)`, every product an SRDHM and every
    /// halving a rounding shift.
    @inlinable
    public static func expOnIntervalNegativeQuarterToZero(_ a: Int32) -> Int32 {
        let x = a &+ (Int32(1) << 28)  // + 1/8 in Q0.31
        let x2 = multiply(x, x)
        let x3 = multiply(x2, x)
        let x4 = multiply(x2, x2)
        let x4Over4 = saturatingRoundingMultiplyByPOT(x4, exponent: -2)
        let inner = multiply(x4Over4 &+ x3, ExpConstants.oneThird) &+ x2
        let polynomialTail = saturatingRoundingMultiplyByPOT(inner, exponent: -1)
        let c = ExpConstants.expMinusOneEighth
        return c &+ multiply(c, x &+ polynomialTail)
    }

    /// exp(a) in Q0.31 for a value `a ≤ 0` with `integerBits` integer bits (gemmlowp
    /// `exp_on_negative_values`).
    ///
    /// `a` is split as `a = r − k` where `r = (a mod 1/4) − 1/4` lies in [−1/4, 0) and `k ≥ 0` is a
    /// multiple of 1/4: exp(r) comes from the polynomial, and each set bit `2^j` of `k`
    /// (j = −2…4, as far as the format has integer bits) multiplies the result by the constant
    /// exp(−2^j). With more than 5 integer bits, inputs below −32 give 0. `a == 0` gives
    /// `Int32.max` (1.0).
    @inlinable
    public static func expOnNegativeValues(_ a: Int32, integerBits: Int) -> Int32 {
        precondition((0...29).contains(integerBits), "expOnNegativeValues: \(integerBits) integer bits outside 0...29")
        let fractionalBits = 31 - integerBits
        let quarter = Int32(1) << Int32(fractionalBits - 2)
        let residual = (a & (quarter &- 1)) &- quarter  // (a mod 1/4) − 1/4, in [−1/4, 0)
        var result = expOnIntervalNegativeQuarterToZero(
            rescale(residual, fromIntegerBits: integerBits, toIntegerBits: 0))
        let remainder = residual &- a  // k = r − a ≥ 0, a multiple of 1/4
        for (exponent, multiplier) in ExpConstants.barrel where integerBits > exponent {
            let bit = Int32(1) << Int32(fractionalBits + exponent)
            if remainder & bit != 0 {
                result = multiply(result, multiplier)
            }
        }
        if integerBits > 5 {
            let minusThirtyTwo = -(Int32(1) << Int32(36 - integerBits))
            if a < minusThirtyTwo { result = 0 }
        }
        if a == 0 { result = one(integerBits: 0) }
        return result
    }

    // MARK: reciprocal

    /// 1/(1 + a) in Q0.31 for a Q0.31 value `a` in [0, 1) (gemmlowp
    /// `one_over_one_plus_x_for_x_in_0_1`).
    ///
    /// Newton–Raphson on the half denominator `d = (1 + a)/2 ∈ [1/2, 1)` in Q2.29: start from
    /// `x₀ = 48/17 − 32/17·d`, iterate `x ← x + x·(1 − d·x)` three times (the product rescaled from
    /// Q4.27 to Q2.29 with saturation), and return `x/2` rescaled to Q0.31 (a saturating doubling of
    /// the Q1.30 reinterpretation of `x`).
    @inlinable
    public static func oneOverOnePlusX(_ a: Int32) -> Int32 {
        let halfDenominator = roundingHalfSum(a, one(integerBits: 0))  // Q0.31
        let fortyEightSeventeenths: Int32 = 1_515_870_810  // 48/17 in Q2.29
        let minusThirtyTwoSeventeenths: Int32 = -1_010_580_540  // −32/17 in Q2.29
        let oneQ2 = one(integerBits: 2)
        var x = fortyEightSeventeenths &+ multiply(halfDenominator, minusThirtyTwoSeventeenths)
        for _ in 0..<3 {
            let halfDenominatorTimesX = multiply(halfDenominator, x)  // Q2.29
            let error = oneQ2 &- halfDenominatorTimesX  // Q2.29
            x = x &+ rescale(multiply(x, error), fromIntegerBits: 4, toIntegerBits: 2)
        }
        // Halving x by reading its raw as Q1.30, then converting Q1.30 to Q0.31.
        return rescale(x, fromIntegerBits: 1, toIntegerBits: 0)
    }

    /// TFLite's `GetReciprocal`: for a positive raw `x` with `integerBits` integer bits, returns
    /// `scale` in Q0.31 and `bitsOverUnit` such that `1/x ≈ scale · 2^−bitsOverUnit`.
    ///
    /// `x` is normalised by shifting out its `h = clz(x)` leading zeros to `1 + f` with
    /// `f ∈ [0, 1)` in Q0.31 (the shift wraps past the sign bit on purpose, which subtracts 1),
    /// `scale = 1/(1 + f)`, and `bitsOverUnit = integerBits − h`.
    @inlinable
    public static func reciprocal(_ x: Int32, integerBits: Int) -> (scale: Int32, bitsOverUnit: Int) {
        let unsigned = UInt32(bitPattern: x)
        let headroomPlusOne = unsigned.leadingZeroBitCount
        let normalisedMinusOne = Int32(bitPattern: (unsigned << UInt32(headroomPlusOne)) &- (UInt32(1) << 31))
        return (oneOverOnePlusX(normalisedMinusOne), integerBits - headroomPlusOne)
    }
}
