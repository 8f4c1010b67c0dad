extension ReferenceKernels {
    /// LiteRT's int16 LOGISTIC / TANH (reference kernels; also its optimized ones whenever the
    /// input multiplier is non-zero). Input int16 with zero point 0, output int16 at scale 2^−15.
    ///
    /// With `(M, s) = parameters.effective`, for every stored `q`:
    /// 1. `x = (q·M + r) >> s` with `r = 2^(s−1)` (0 when `s = 0`), in int32: the real input
    ///    times 3·4096, so that 2^9 is one table step (1/24) for LOGISTIC and 2^8 one step of the
    ///    doubled argument for TANH.
    /// 2. LOGISTIC: `a = |x|`, `h = a >> 9`, `t = a & 511`; `v = 0x7FFF·2^10` if `h ≥ 255`, else
    ///    `v = T[h]·2^9 + t·(T[h+1] − T[h])` (T = ``Int16ActivationParameters/sigmoidTable``,
    ///    sigmoid(|x|) in Q0.25); then `v + 2^9` for `x ≥ 0`, `2^25 − v + 2^9 − 1` for `x < 0`
    ///    (1 − sigmoid(|x|)); output `v >> 10`.
    /// 3. TANH: `a = |x|`, `h = a >> 8`, `t = a & 255`; `v = 0xFFFF·2^8` if `h ≥ 255`, else
    ///    `v = T[h]·2^8 + t·(T[h+1] − T[h])`; then `v − 2^23 + 2^7` for `x ≥ 0`,
    ///    `−v + 2^23 + 2^7 − 1` for `x < 0` (2·sigmoid − 1); output `v >> 8` (arithmetic).
    public static func int16Activation(_ input: IntTensor, parameters: Int16ActivationParameters) -> IntTensor {
        let (multiplier, shift) = parameters.effective
        let rounding: Int64 = shift > 0 ? 1 << Int64(shift - 1) : 0
        let table = Int16ActivationParameters.sigmoidTable
        let values = input.values.map { q -> Int32 in
            let x = Int32(truncatingIfNeeded: (Int64(q) * Int64(multiplier) + rounding) >> Int64(shift))
            let a = Int64(x.magnitude)
            switch parameters.function {
            case .logistic:
                let h = a >> 9
                var v: Int64
                if h >= 255 {
                    v = 0x7FFF << 10
                } else {
                    let low = Int64(table[Int(h)])
                    let high = Int64(table[Int(h) + 1])
                    v = (low << 9) + (a & 0x1FF) * (high - low)
                }
                v = x >= 0 ? v + (1 << 9) : (1 << 25) - v + (1 << 9) - 1
                return Int32(truncatingIfNeeded: Int16(truncatingIfNeeded: v >> 10))
            case .tanh:
                let h = a >> 8
                var v: Int64
                if h >= 255 {
                    v = 0xFFFF << 8
                } else {
                    let low = Int64(table[Int(h)])
                    let high = Int64(table[Int(h) + 1])
                    v = (low << 8) + (a & 0xFF) * (high - low)
                }
                v = x >= 0 ? v - (1 << 23) + (1 << 7) : -v + (1 << 23) + (1 << 7) - 1
                return Int32(truncatingIfNeeded: Int16(truncatingIfNeeded: v >> 8))
            }
        }
        return IntTensor(shape: input.shape, elementType: .int16, values: values)
    }

    /// TFLite's int16 table lookup with linear interpolation (`LUTLookup` for int16): for stored
    /// `v`, `i = 256 + (v >> 7)` (0…511), `o = v & 127`; with `b = lut[i]` and the slope
    /// `d = int16(lut[i+1] − lut[i])`, the result is `int16(b + ((d·o + 64) >> 7))`.
    @inlinable
    public static func int16TableLookup(_ value: Int32, _ lut: [Int32]) -> Int32 {
        let index = 256 + Int(value >> 7)
        let offset = value & 0x7F
        let base = lut[index]
        let slope = Int32(Int16(truncatingIfNeeded: lut[index + 1] - base))
        return Int32(Int16(truncatingIfNeeded: base + ((slope * offset + 64) >> 7)))
    }

    /// LiteRT's int16 SOFTMAX (`SoftmaxInt16`, used by both its reference and optimized kernels)
    /// over the last axis. Per row, with `max` the row maximum:
    /// 1. for each entry `d = q − max`, `z = MBQM(d, M, shift)` (`tflite` rounding), then
    ///    `e = lookup(clamp(z + 32767, −32768, 32767), exp_table)` (exp of −10…0 in Q0.15);
    /// 2. `sum = Σ e` (int32);
    /// 3. `h = clz32(sum)`, `n = ((sum << (h − 1)) + 2^13) >> 14` (the sum scaled to [2^16, 2^17),
    ///    in 64 bits), `r = lookup(clamp(n − 2^15 − 2^16, −32768, 32767), reciprocal_table)`:
    ///    1/(1 + x) for the normalised sum `1 + x`;
    /// 4. `out = clamp((e·r + 2^(30 − h)) >> (31 − h), 0, 32767)` in 64 bits.
    public static func int16Softmax(_ input: IntTensor, parameters: Int16SoftmaxParameters) -> IntTensor {
        let depth = input.shape.last ?? 1
        precondition(depth > 0, "int16Softmax: empty last axis in \(input.shape)")
        let rows = input.count / depth
        let shift = Int(parameters.inputShift)
        var values = [Int32](repeating: 0, count: input.count)
        var exps = [Int32](repeating: 0, count: depth)
        for row in 0..<rows {
            let base = row * depth
            var rowMax = input.values[base]
            for c in 1..<depth { rowMax = max(rowMax, input.values[base + c]) }
            var sum: Int32 = 0
            for c in 0..<depth {
                let scaled = FixedPoint.multiplyByQuantizedMultiplier(
                    input.values[base + c] - rowMax, multiplier: parameters.inputMultiplier, shift: shift)
                let centred = min(max(Int64(scaled) + 32767, -32768), 32767)
                exps[c] = int16TableLookup(Int32(centred), parameters.expTable)
                sum &+= exps[c]
            }
            let headroom = UInt32(bitPattern: sum).leadingZeroBitCount
            let normalised = ((Int64(sum) << Int64(headroom - 1)) + (1 << 13)) >> 14
            let centred = min(max(normalised - (1 << 15) - (1 << 16), -32768), 32767)
            let reciprocal = Int64(int16TableLookup(Int32(centred), parameters.reciprocalTable))
            let rightShift = Int64(31 - headroom)
            let rounding: Int64 = 1 << (rightShift - 1)
            for c in 0..<depth {
                let result = (Int64(exps[c]) * reciprocal + rounding) >> rightShift
                values[base + c] = Int32(min(max(result, 0), 32767))
            }
        }
        return IntTensor(shape: input.shape, elementType: .int16, values: values)
    }
}
