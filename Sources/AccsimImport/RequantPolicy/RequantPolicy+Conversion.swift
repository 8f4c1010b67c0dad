import AccsimArithmetic
import AccsimModel

extension RequantPolicy {
    /// Checks the policy's parameters: 2 ≤ bits ≤ 32 and a rounding mode an integer requantizer
    /// can use (not `double_half_away`).
    public func validate() throws(ModelError) {
        guard case .fixedPoint(let bits, let rounding) = self else { return }
        guard (2...32).contains(bits) else {
            throw ModelError(field: "policy", "fixedPoint(bits: \(bits)): bits must lie in 2...32")
        }
        if rounding.usesRealMultiplier {
            throw ModelError(field: "policy", "fixedPoint rounding \(rounding.rawValue) is not an integer requantizer")
        }
    }

    /// Converts one float-scale requantizer into an integer one under this policy.
    ///
    /// - `fixedPoint(bits, rounding)`: per channel `r = f·2^e` (frexp), `M = round_half_even(f·2^(bits−1))`
    ///   (renormalised when it reaches `2^(bits−1)`), `n = bits − 1 − e`; a shift above 62 is
    ///   brought to 62 by rounding `M` further, a negative one to 0 by scaling `M` up.
    /// - `singleShift`, weighted role: `M = 1`, `n` the largest shift with `2^−n ≥ r` (at least 0),
    ///   and the weight factor `r·2^n ∈ (0.5, 1]`; joining role: as `fixedPoint(bits: 8)` —
    ///   `M ∈ [64, 127]` — with `half_up`.
    public func convert(_ scaled: ScaledRequantization) throws(ModelError) -> RequantConversion {
        try validate()
        guard !scaled.reals.isEmpty else { throw ModelError("a requantizer needs at least one real factor") }
        for (channel, real) in scaled.reals.enumerated() where !(real.isFinite && real > 0) {
            throw ModelError(field: "reals[\(channel)]", "the real factor \(real) must be positive and finite")
        }
        switch self {
        case .fixedPoint(let bits, let rounding):
            return try Self.fixedPoint(scaled, bits: bits, rounding: rounding)
        case .singleShift:
            if scaled.role == .joining {
                return try Self.fixedPoint(scaled, bits: 8, rounding: .halfUp)
            }
            var shifts: [Int32] = []
            var factors: [Double] = []
            var worst = 0.0
            for real in scaled.reals {
                let (fraction, exponent) = FixedPoint.frexpPair(real)
                var n = fraction == 0.5 ? 1 - exponent : -exponent
                n = min(max(n, 0), Int(Requantizer.maxShift))
                let factor = real * Double(sign: .plus, exponent: n, significand: 1)
                shifts.append(Int32(n))
                factors.append(factor)
                let effective = Double(sign: .plus, exponent: -n, significand: 1) * factor
                worst = max(worst, abs(effective - real) / real)
            }
            let requantizer = Requantizer(
                multipliers: [Int32](repeating: 1, count: shifts.count), shifts: shifts, rounding: .halfUp,
                zeroPoint: scaled.zeroPoint, clampMin: scaled.clampMin, clampMax: scaled.clampMax)
            return RequantConversion(requantizer: requantizer, weightFactors: factors, relativeError: worst)
        }
    }

    /// The Add of two quantized tensors under this policy, with `ratioA = s_a / s_out` and
    /// `ratioB = s_b / s_out`: both inputs are multiplied (exactly, `left_shift` 0 and a rescale
    /// with `n = 0`) by integers `M_a`, `M_b` sharing one shift `n`, the int32 sum is rounded by
    /// `ROUND(sum, 1, n)` and the zero point added. `M_a`, `M_b` have at most 22 bits (so that
    /// `255·(M_a + M_b)` fits int32) under `fixedPoint`, at most 7 under `singleShift`.
    public func convertAdd(ratioA: Double, ratioB: Double, zeroPoint: Int32, clampMin: Int32, clampMax: Int32)
        throws(ModelError) -> AddConversion
    {
        try validate()
        for real in [ratioA, ratioB] where !(real.isFinite && real > 0) {
            throw ModelError("the add input ratio \(real) must be positive and finite")
        }
        let bits: Int
        var rounding: RoundingMode
        switch self {
        case .fixedPoint(let b, let r): (bits, rounding) = (min(b - 1, 22), r)
        case .singleShift: (bits, rounding) = (7, .halfUp)
        }
        let (_, exponent) = FixedPoint.frexpPair(max(ratioA, ratioB))
        let shift = bits - exponent
        guard shift >= 0 else {
            throw ModelError("the add input ratios \(ratioA), \(ratioB) are too large (≥ 2^\(bits))")
        }
        let n = min(shift, rounding.usesQ31Multiplier ? Int(Requantizer.maxShift) - 30 : Int(Requantizer.maxShift))
        let scale = Double(sign: .plus, exponent: n, significand: 1)
        let ma = (ratioA * scale).rounded(.toNearestOrEven)
        let mb = (ratioB * scale).rounded(.toNearestOrEven)
        let error = max(abs(ma / scale - ratioA) / ratioA, abs(mb / scale - ratioB) / ratioB)
        let inputs = [ma, mb].map { m in
            AddInputScaling(leftShift: 0, rescale: Requantizer(multiplier: Int32(m), shift: 0, rounding: .halfEven))
        }
        let output: Requantizer
        if rounding.usesQ31Multiplier {
            // ROUND(sum, 2^30, n + 30) = sum·2^−n in the TFLite formulation.
            output = Requantizer(
                multiplier: 1 << 30, shift: Int32(n + 30), rounding: rounding, zeroPoint: zeroPoint, clampMin: clampMin,
                clampMax: clampMax)
        } else {
            if rounding == .doubleHalfAway { rounding = .halfAway }
            output = Requantizer(
                multiplier: 1, shift: Int32(n), rounding: rounding, zeroPoint: zeroPoint, clampMin: clampMin,
                clampMax: clampMax)
        }
        return AddConversion(parameters: AddParameters(inputs: inputs, output: output), relativeError: error)
    }

    /// `fixedPoint` conversion of every channel.
    private static func fixedPoint(_ scaled: ScaledRequantization, bits: Int, rounding: RoundingMode) throws(ModelError)
        -> RequantConversion
    {
        var multipliers: [Int32] = []
        var shifts: [Int32] = []
        var worst = 0.0
        for (channel, real) in scaled.reals.enumerated() {
            let (m, n) = try multiplier(real, bits: bits, channel: channel)
            multipliers.append(m)
            shifts.append(Int32(n))
            let effective = Double(m) * Double(sign: .plus, exponent: -n, significand: 1)
            worst = max(worst, abs(effective - real) / real)
        }
        let requantizer = Requantizer(
            multipliers: multipliers, shifts: shifts, rounding: rounding,
            zeroPoint: scaled.zeroPoint, clampMin: scaled.clampMin, clampMax: scaled.clampMax)
        return RequantConversion(requantizer: requantizer, weightFactors: nil, relativeError: worst)
    }

    /// `(M, n)` with `M` of `bits − 1` significant bits and `M·2^−n ≈ real`.
    static func multiplier(_ real: Double, bits: Int, channel: Int = 0) throws(ModelError) -> (Int32, Int) {
        let (fraction, exponent) = FixedPoint.frexpPair(real)
        let top = Double(sign: .plus, exponent: bits - 1, significand: 1)
        var m = (fraction * top).rounded(.toNearestOrEven)
        var e = exponent
        if m == top {
            m /= 2
            e += 1
        }
        var n = bits - 1 - e
        if n > Int(Requantizer.maxShift) {
            m = (m * Double(sign: .plus, exponent: Int(Requantizer.maxShift) - n, significand: 1)).rounded(
                .toNearestOrEven)
            n = Int(Requantizer.maxShift)
        }
        if n < 0 {
            m *= Double(sign: .plus, exponent: -n, significand: 1)
            n = 0
            guard m <= Double(Int32.max) else {
                throw ModelError(
                    field: "reals[\(channel)]",
                    "the real factor \(real) is too large for a requantizer (M·2^−n with M < 2^31, n ≥ 0)")
            }
        }
        return (Int32(m), n)
    }
}
