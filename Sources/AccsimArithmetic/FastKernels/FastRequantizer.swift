import CAccsimKernels

/// A ``Requantizer`` prepared for rows of accumulators: per-channel constants computed once, the
/// rounding mode switched on once per row rather than per element, branch-free inner loops (on
/// ``KernelPath/avx512vnni`` 8 lanes at a time with AVX-512, on ``KernelPath/avxvnni`` and
/// ``KernelPath/avx2`` 4 lanes with AVX2). Its results equal
/// ``Requantizer/apply(_:channel:)`` for every input, mode and channel, on both paths.
public struct FastRequantizer: Sendable {
    /// The requantizer it was prepared from.
    public let requantizer: Requantizer
    /// The implementation of the row loops (`double_half_away` is always portable).
    public let path: KernelPath
    /// Per channel (or a single entry): the multiplier M widened.
    private let multipliers: [Int64]
    /// Per channel: the plain modes' right shift n; the TFLite modes' right shift `max(n − 31, 0)`.
    private let shifts: [Int64]
    /// Per channel: the plain modes' rounding addend `2^(n−1)` (0 when n = 0); the TFLite modes'
    /// left shift `max(31 − n, 0)`.
    private let auxiliary: [Int64]
    /// Per channel: the real factor of `double_half_away`.
    private let reals: [Double]
    private let zeroPoint: Int64
    private let lower: Int64
    private let upper: Int64
    /// The TFLite modes' constants as int32 (M, right shift, left shift) for the 32-bit-lane C
    /// kernels, with the clamp bounds minus the zero point; nil when those do not apply (another
    /// mode, a negative M, or bounds minus the zero point outside int32).
    let tflite32: (multipliers: [Int32], right: [Int32], left: [Int32], lower: Int32, upper: Int32)?
    /// Single-shift `half_up` / `floor` requantizers (every M = 1) for the 32-bit-lane C kernel:
    /// the shifts as int32 and the clamp bounds minus the zero point; nil when that does not apply.
    let shift32: (shifts: [Int32], lower: Int32, upper: Int32)?

    /// Prepares `requantizer` (which must be valid: ``Requantizer/problems()`` empty) for `path`
    /// (the fastest available by default; an unavailable path falls back to ``KernelPath/portable``).
    public init(_ requantizer: Requantizer, path: KernelPath = .best) {
        self.requantizer = requantizer
        self.path = path.isAvailable ? path : .portable
        let count = requantizer.channelCount
        var multipliers = [Int64](repeating: 0, count: count)
        var shifts = [Int64](repeating: 0, count: count)
        var auxiliary = [Int64](repeating: 0, count: count)
        var reals = [Double](repeating: 0, count: count)
        for c in 0..<count {
            let m = requantizer.multipliers[c]
            let n = Int64(requantizer.shifts[c])
            multipliers[c] = Int64(m)
            switch requantizer.rounding {
            case .tflite, .tfliteHalfUp:
                shifts[c] = max(n - 31, 0)
                auxiliary[c] = max(31 - n, 0)
            case .halfUp, .halfAway, .halfEven, .floor, .doubleHalfAway:
                shifts[c] = n
                auxiliary[c] = n == 0 ? 0 : Int64(1) << (n - 1)
            }
            if requantizer.rounding == .doubleHalfAway {
                if let r = requantizer.realMultipliers {
                    reals[c] = r[r.count == 1 ? 0 : c]
                } else {
                    reals[c] = Double(m) * Double(sign: .plus, exponent: -Int(n), significand: 1)
                }
            }
        }
        self.multipliers = multipliers
        self.shifts = shifts
        self.auxiliary = auxiliary
        self.reals = reals
        zeroPoint = Int64(requantizer.zeroPoint)
        lower = Int64(requantizer.clampMin)
        upper = Int64(requantizer.clampMax)
        if requantizer.rounding.usesQ31Multiplier, !requantizer.multipliers.contains(where: { $0 < 0 }),
            let low = Int32(exactly: lower - zeroPoint), let high = Int32(exactly: upper - zeroPoint)
        {
            tflite32 = (requantizer.multipliers, shifts.map { Int32($0) }, auxiliary.map { Int32($0) }, low, high)
        } else {
            tflite32 = nil
        }
        if requantizer.rounding == .halfUp || requantizer.rounding == .floor,
            requantizer.multipliers.allSatisfy({ $0 == 1 }),
            let low = Int32(exactly: lower - zeroPoint), let high = Int32(exactly: upper - zeroPoint)
        {
            shift32 = (requantizer.shifts, low, high)
        } else {
            shift32 = nil
        }
    }

    /// `dst[i] = requantizer.apply(src[i], channel: firstChannel + i)` for `i` in `0..<count`
    /// (`channel` 0 throughout for a per-tensor requantizer). `src` and `dst` may be the same.
    public func apply(_ src: UnsafePointer<Int32>, _ dst: UnsafeMutablePointer<Int32>, count: Int, firstChannel: Int) {
        apply(
            src, sourceStride: count, dst, destinationStride: count, rows: 1, columns: count, firstChannel: firstChannel
        )
    }

    /// Requantizes a whole tensor whose last axis (length `channels`) is the channel:
    /// `dst[i] = apply(src[i], channel: i mod channels)`, `count` a multiple of `channels`.
    public func apply(_ src: UnsafePointer<Int32>, _ dst: UnsafeMutablePointer<Int32>, count: Int, channels: Int) {
        if multipliers.count == 1 {
            apply(src, dst, count: count, firstChannel: 0)
            return
        }
        precondition(
            channels > 0 && count % channels == 0,
            "FastRequantizer: \(count) elements are not rows of \(channels) channels")
        apply(
            src, sourceStride: channels, dst, destinationStride: channels, rows: count / channels, columns: channels,
            firstChannel: 0)
    }

    /// Requantizes a `rows × columns` block: `dst[r·destinationStride + j] =
    /// requantizer.apply(src[r·sourceStride + j], channel: firstChannel + j)` (the conv epilogue:
    /// rows of output pixels, columns of output channels). `src` and `dst` may be the same.
    public func apply(
        _ src: UnsafePointer<Int32>, sourceStride: Int, _ dst: UnsafeMutablePointer<Int32>, destinationStride: Int,
        rows: Int, columns: Int, firstChannel: Int
    ) {
        guard rows > 0 && columns > 0 else { return }
        let perChannel = multipliers.count > 1
        precondition(
            !perChannel || firstChannel + columns <= multipliers.count,
            "FastRequantizer: channels \(firstChannel)..<\(firstChannel + columns) of \(multipliers.count)")
        let first = perChannel ? firstChannel : 0
        multipliers.withUnsafeBufferPointer { m in
            shifts.withUnsafeBufferPointer { s in
                auxiliary.withUnsafeBufferPointer { x in
                    let m = m.baseAddress! + first
                    let s = s.baseAddress! + first
                    let x = x.baseAddress! + first
                    #if arch(x86_64)
                    if cRequantizeRows != nil, let t = shift32 {
                        t.shifts.withUnsafeBufferPointer { ts in
                            accsim_requantize_shift32_avx2(
                                requantizer.rounding == .halfUp ? 1 : 0, src, sourceStride, dst, destinationStride,
                                rows,
                                columns, ts.baseAddress! + first, perChannel ? 1 : 0, Int32(zeroPoint), t.lower, t.upper
                            )
                        }
                        return
                    }
                    if cRequantizeRows != nil, let t = tflite32 {
                        t.multipliers.withUnsafeBufferPointer { tm in
                            t.right.withUnsafeBufferPointer { tr in
                                t.left.withUnsafeBufferPointer { tl in
                                    accsim_requantize_tflite32_avx2(
                                        requantizer.rounding == .tfliteHalfUp ? 1 : 0, src, sourceStride, dst,
                                        destinationStride, rows, columns, tm.baseAddress! + first,
                                        tr.baseAddress! + first,
                                        tl.baseAddress! + first, perChannel ? 1 : 0, Int32(zeroPoint), t.lower, t.upper)
                                }
                            }
                        }
                        return
                    }
                    #endif
                    if let mode = cMode, let kernel = cRequantizeRows {
                        kernel(
                            mode, src, sourceStride, dst, destinationStride, rows, columns, m, s, x, perChannel ? 1 : 0,
                            zeroPoint, lower, upper)
                        return
                    }
                    for row in 0..<rows {
                        let src = src + row &* sourceStride
                        let dst = dst + row &* destinationStride
                        switch requantizer.rounding {
                        case .halfUp: run(HalfUp.self, src, dst, columns, perChannel, m, s, x)
                        case .floor: run(Floor.self, src, dst, columns, perChannel, m, s, x)
                        case .halfAway: run(HalfAway.self, src, dst, columns, perChannel, m, s, x)
                        case .halfEven: run(HalfEven.self, src, dst, columns, perChannel, m, s, x)
                        case .tflite: run(TFLite.self, src, dst, columns, perChannel, m, s, x)
                        case .tfliteHalfUp: run(TFLiteHalfUp.self, src, dst, columns, perChannel, m, s, x)
                        case .doubleHalfAway:
                            reals.withUnsafeBufferPointer { r in
                                let r = r.baseAddress! + first
                                for i in 0..<columns {
                                    let real = perChannel ? r[i] : r[0]
                                    dst[i] = clamp(Requantizer.roundReal(src[i], real: real))
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The C signature of the requantizer rows (`accsim_requantize_avx512` and its AVX2 twin).
    typealias CRequantizeRows =
        @convention(c) (
            Int32, UnsafePointer<Int32>?, Int, UnsafeMutablePointer<Int32>?, Int, Int, Int, UnsafePointer<Int64>?,
            UnsafePointer<Int64>?, UnsafePointer<Int64>?, Int32, Int64, Int64, Int64
        ) -> Void

    /// The C requantizer rows of this path, or nil (portable Swift rows).
    var cRequantizeRows: CRequantizeRows? {
        #if arch(x86_64)
        switch path {
        case .avx512vnni: return accsim_requantize_avx512
        case .avxvnni, .avx2: return accsim_requantize_avx2
        case .neon, .portable: return nil
        }
        #else
        return nil
        #endif
    }

    /// For the fused C kernels: the rounding mode's number and the constants of a per-tensor
    /// requantizer on a path with C requantizer rows (nil: per channel, portable, or no C
    /// implementation).
    var perTensorCConstants:
        (mode: Int32, multiplier: Int64, shift: Int64, aux: Int64, zeroPoint: Int64, lower: Int64, upper: Int64)?
    {
        guard cRequantizeRows != nil, multipliers.count == 1, let mode = cMode else { return nil }
        return (mode, multipliers[0], shifts[0], auxiliary[0], zeroPoint, lower, upper)
    }

    /// The rounding mode's number in `CAccsimKernels` (nil: no C implementation, or TFLite
    /// multipliers outside 0 ... 2^31 − 1, which validation rejects and the C kernel does not cover).
    private var cMode: Int32? {
        if requantizer.rounding.usesQ31Multiplier && multipliers.contains(where: { $0 < 0 }) { return nil }
        return switch requantizer.rounding {
        case .halfUp: Int32(ACCSIM_ROUND_HALF_UP)
        case .floor: Int32(ACCSIM_ROUND_FLOOR)
        case .halfAway: Int32(ACCSIM_ROUND_HALF_AWAY)
        case .halfEven: Int32(ACCSIM_ROUND_HALF_EVEN)
        case .tflite: Int32(ACCSIM_ROUND_TFLITE)
        case .tfliteHalfUp: Int32(ACCSIM_ROUND_TFLITE_HALF_UP)
        case .doubleHalfAway: nil
        }
    }

    /// `values[i] = overflow.narrow(requantizer.scaled(values[i], channel: 0))` in place: the
    /// rounding alone, without zero point or clamp (an Add input's rescale).
    public func scaleInPlace(_ values: UnsafeMutablePointer<Int32>, count: Int, overflow: OverflowMode) {
        guard count > 0 else { return }
        if let mode = cMode, let kernel = cRequantizeRows {
            // No zero point; saturate clamps to int32, wrap keeps the low 32 bits of the lane.
            let (lower, upper) = overflow == .saturate ? (Int64(Int32.min), Int64(Int32.max)) : (Int64.min, Int64.max)
            multipliers.withUnsafeBufferPointer { m in
                shifts.withUnsafeBufferPointer { s in
                    auxiliary.withUnsafeBufferPointer { x in
                        kernel(
                            mode, values, count, values, count, 1, count, m.baseAddress!, s.baseAddress!,
                            x.baseAddress!, 0, 0,
                            lower, upper)
                    }
                }
            }
            return
        }
        switch requantizer.rounding {
        case .halfUp: scale(HalfUp.self, values, count, overflow)
        case .floor: scale(Floor.self, values, count, overflow)
        case .halfAway: scale(HalfAway.self, values, count, overflow)
        case .halfEven: scale(HalfEven.self, values, count, overflow)
        case .tflite: scale(TFLite.self, values, count, overflow)
        case .tfliteHalfUp: scale(TFLiteHalfUp.self, values, count, overflow)
        case .doubleHalfAway:
            let real = reals[0]
            for i in 0..<count { values[i] = overflow.narrow(Requantizer.roundReal(values[i], real: real)) }
        }
    }

    @inline(__always)
    private func scale<Mode: RoundingKernel>(
        _ mode: Mode.Type, _ values: UnsafeMutablePointer<Int32>, _ count: Int, _ overflow: OverflowMode
    ) {
        let m = multipliers[0]
        let s = shifts[0]
        let x = auxiliary[0]
        switch overflow {
        case .wrap:
            for i in 0..<count { values[i] = Int32(truncatingIfNeeded: Mode.round(values[i], m, s, x)) }
        case .saturate:
            for i in 0..<count { values[i] = Int32(clamping: Mode.round(values[i], m, s, x)) }
        }
    }

    /// The value after rounding plus the zero point, clamped.
    @inline(__always)
    private func clamp(_ scaled: Int64) -> Int32 {
        clamped(scaled &+ zeroPoint, lower, upper)
    }

    @inline(__always)
    private func run<Mode: RoundingKernel>(
        _ mode: Mode.Type, _ src: UnsafePointer<Int32>, _ dst: UnsafeMutablePointer<Int32>, _ count: Int,
        _ perChannel: Bool,
        _ m: UnsafePointer<Int64>, _ s: UnsafePointer<Int64>, _ x: UnsafePointer<Int64>
    ) {
        let zeroPoint = zeroPoint
        let lower = lower
        let upper = upper
        if perChannel {
            for i in 0..<count {
                dst[i] = clamped(Mode.round(src[i], m[i], s[i], x[i]) &+ zeroPoint, lower, upper)
            }
        } else {
            let m = m[0]
            let s = s[0]
            let x = x[0]
            for i in 0..<count {
                dst[i] = clamped(Mode.round(src[i], m, s, x) &+ zeroPoint, lower, upper)
            }
        }
    }
}

/// `min(max(value, lower), upper)` without branches (the clamps of random data are
/// unpredictable): with `d = value − bound`, `d >> 63` is all ones exactly when `d < 0`. Exact for
/// `|value| < 2^62` and bounds in the int32 range.
@inline(__always)
private func clamped(_ value: Int64, _ lower: Int64, _ upper: Int64) -> Int32 {
    let belowLower = value &- lower
    let raised = value &- (belowLower & (belowLower &>> 63))  // max(value, lower)
    let aboveUpper = raised &- upper
    return Int32(truncatingIfNeeded: upper &+ (aboveUpper & (aboveUpper &>> 63)))  // min(raised, upper)
}

/// 1 when `value < 0`, else 0, without a branch.
@inline(__always)
private func isNegative(_ value: Int64) -> Int64 {
    Int64(bitPattern: UInt64(bitPattern: value) &>> 63)
}

/// One rounding mode's `ROUND(acc, M, n)` on the prepared constants (see ``FastRequantizer``).
private protocol RoundingKernel {
    static func round(_ acc: Int32, _ multiplier: Int64, _ shift: Int64, _ auxiliary: Int64) -> Int64
}

/// `(acc·M + 2^(n−1)) >> n`.
private enum HalfUp: RoundingKernel {
    @inline(__always)
    static func round(_ acc: Int32, _ multiplier: Int64, _ shift: Int64, _ half: Int64) -> Int64 {
        (Int64(acc) &* multiplier &+ half) &>> shift
    }
}

/// `(acc·M) >> n`.
private enum Floor: RoundingKernel {
    @inline(__always)
    static func round(_ acc: Int32, _ multiplier: Int64, _ shift: Int64, _ half: Int64) -> Int64 {
        (Int64(acc) &* multiplier) &>> shift
    }
}

/// `sign · ((|acc·M| + 2^(n−1)) >> n)`.
private enum HalfAway: RoundingKernel {
    @inline(__always)
    static func round(_ acc: Int32, _ multiplier: Int64, _ shift: Int64, _ half: Int64) -> Int64 {
        let product = Int64(acc) &* multiplier
        let sign = product &>> 63
        let magnitude = ((product ^ sign) &- sign &+ half) &>> shift
        return (magnitude ^ sign) &- sign
    }
}

/// Nearest, ties to even: `(p + 2^(n−1) − 1 + floor-bit) >> n`, and `p` itself when n = 0.
private enum HalfEven: RoundingKernel {
    @inline(__always)
    static func round(_ acc: Int32, _ multiplier: Int64, _ shift: Int64, _ half: Int64) -> Int64 {
        let product = Int64(acc) &* multiplier
        if shift == 0 { return product }
        return (product &+ (half &- 1) &+ ((product &>> shift) & 1)) &>> shift
    }
}

/// SaturatingRoundingDoublingHighMul of `acc·2^left` (wrapped to 32 bits) and M.
///
/// gemmlowp adds a nudge of 2^30 (product ≥ 0) or 1 − 2^30 (product < 0) and divides by 2^31
/// truncating toward zero. For a negative product that is `ceil((p + 1 − 2^30) / 2^31) =
/// floor((p + 2^30) / 2^31)`, the same as for a non-negative one, so one arithmetic shift does
/// it: `(p + 2^30) >> 31`, which fits int32 except in the saturating case.
@inline(__always)
private func doublingHighMul(_ acc: Int32, _ multiplier: Int64, left: Int64) -> Int64 {
    let shifted = Int32(truncatingIfNeeded: Int64(acc) &<< left)
    if shifted == .min && multiplier == Int64(Int32.min) { return Int64(Int32.max) }
    return Int64(Int32(truncatingIfNeeded: (Int64(shifted) &* multiplier &+ (1 << 30)) &>> 31))
}

/// TFLite: RoundingDivideByPOT(SRDHM(acc·2^left, M), right).
///
/// RoundingDivideByPOT rounds `x / 2^right` to nearest, ties away from zero:
/// `(x + 2^(right−1) − [x < 0 and right > 0]) >> right`.
private enum TFLite: RoundingKernel {
    @inline(__always)
    static func round(_ acc: Int32, _ multiplier: Int64, _ right: Int64, _ left: Int64) -> Int64 {
        let x = doublingHighMul(acc, multiplier, left: left)
        let half = (Int64(1) &<< right) &>> 1
        let nonZeroShift = min(half, 1)
        return (x &+ half &- (isNegative(x) & nonZeroShift)) &>> right
    }
}

/// LiteRT optimized: `(SRDHM(acc·2^left, M) + 2^(right−1)) >> right`.
private enum TFLiteHalfUp: RoundingKernel {
    @inline(__always)
    static func round(_ acc: Int32, _ multiplier: Int64, _ right: Int64, _ left: Int64) -> Int64 {
        let high = doublingHighMul(acc, multiplier, left: left)
        return right == 0 ? high : (high &+ (Int64(1) &<< (right &- 1))) &>> right
    }
}
