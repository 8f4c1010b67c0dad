/// The reference kernels: plain, obviously correct integer implementations of every operation.
///
/// They are the oracle that every fast path (tiled, vectorised, hardware-ordered) is compared with,
/// so they favour clarity over speed: one output element at a time, in a fixed order, with every
/// rounding and overflow decision spelled out in the doc comment of the kernel that makes it.
/// docs/arithmetic.md gives the same semantics in prose.
///
/// Conventions shared by all kernels:
/// - Tensors are dense and row-major; activations are NHWC. Values are carried as `Int32`
///   whatever the element type; the result's `elementType` is the type the caller asks for.
/// - Inputs are assumed valid (graph validation checks shapes, types and parameter ranges before a
///   kernel runs); violated invariants stop the program with a `precondition` naming the kernel.
/// - Every rounding to a narrower scale goes through ``Requantizer`` (`apply` / `scaled` /
///   `round`), never through ad hoc shifts, so each rounding mode has exactly one definition.
/// - Where an int32 sum can overflow, the caller's ``OverflowMode`` says whether it wraps or
///   saturates, and the doc comment says after which additions it is applied.
public enum ReferenceKernels {}

extension ReferenceKernels {
    /// `numerator / divisor` rounded to an integer by `rounding`, exactly (no intermediate
    /// rounding), for any positive divisor:
    /// - `halfAway`: nearest, ties away from zero (`tflite` behaves the same: TFLite's and
    ///   Aidge's average pooling round this way; `tfliteHalfUp` and `doubleHalfAway` too, as no
    ///   pooling divides with SRDHM or a double multiplier);
    /// - `halfUp`: nearest, ties toward +∞;
    /// - `halfEven`: nearest, ties to the even quotient;
    /// - `floor`: toward −∞.
    ///
    /// Used by average pooling, whose divisor is a tap count rather than a power of two.
    public static func roundedQuotient(_ numerator: Int64, dividedBy divisor: Int64, rounding: RoundingMode) -> Int64 {
        precondition(divisor > 0, "roundedQuotient: divisor \(divisor) must be positive")
        // Floor quotient and a remainder in 0..<divisor.
        var quotient = numerator / divisor
        var remainder = numerator % divisor
        if remainder < 0 {
            quotient -= 1
            remainder += divisor
        }
        // Compare the fractional part remainder/divisor with 1/2 without dividing.
        let twiceRemainder = 2 * remainder
        switch rounding {
        case .floor:
            return quotient
        case .halfUp:
            return twiceRemainder >= divisor ? quotient + 1 : quotient
        case .halfEven:
            if twiceRemainder > divisor { return quotient + 1 }
            if twiceRemainder < divisor { return quotient }
            return quotient + (quotient & 1)
        case .halfAway, .tflite, .tfliteHalfUp, .doubleHalfAway:
            if twiceRemainder > divisor { return quotient + 1 }
            if twiceRemainder < divisor { return quotient }
            // A tie: away from zero. quotient + 1/2 is the exact value; it is negative iff
            // quotient < 0, in which case the floor quotient is already the one away from zero.
            return quotient >= 0 ? quotient + 1 : quotient
        }
    }

    /// `min(max(value, lower), upper)`.
    @inlinable
    static func clamped(_ value: Int64, _ lower: Int32, _ upper: Int32) -> Int32 {
        Int32(min(max(value, Int64(lower)), Int64(upper)))
    }

    /// The four extents of an NHWC (or OHWI) shape.
    static func extents4(_ shape: [Int], _ what: String) -> (Int, Int, Int, Int) {
        precondition(shape.count == 4, "\(what): expected a rank-4 shape, got \(shape)")
        return (shape[0], shape[1], shape[2], shape[3])
    }
}
