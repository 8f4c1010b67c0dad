import AccsimArithmetic

/// onnxruntime's (1.31, CPU execution provider, x86-64) float32 arithmetic around quantized
/// tensors, reproduced operation by operation from MLAS. The importer builds lookup tables with it
/// and measures, exhaustively where the input space is small, how often accsim's integer graph
/// differs from onnxruntime. Every function works in single precision exactly as MLAS does;
/// `rint` is round-half-to-even (x86 `cvtps2dq` under the default MXCSR).
enum ONNXRuntimeArithmetic {
    /// DequantizeLinear: `float(q − zp) · scale`.
    static func dequantize(_ q: Int32, scale: Float, zeroPoint: Int32) -> Float {
        Float(q - zeroPoint) * scale
    }

    /// QuantizeLinear (MLAS): `clamp(rint(value / scale) + zp)` to the type's range.
    static func quantize(_ value: Float, scale: Float, zeroPoint: Int32, type: ElementType) -> Int32 {
        let scaled = (value / scale).rounded(.toNearestOrEven)
        return clampToType(scaled, zeroPoint: zeroPoint, type: type)
    }

    /// MlasRequantizeOutput (QLinearConv, QLinearMatMul, QGemm, QLinearGlobalAveragePool):
    /// `clamp(rint(float(acc) · scale) + zp)`, one float32 multiplication.
    static func requantize(_ acc: Int32, scale: Float, zeroPoint: Int32, clampMin: Int32, clampMax: Int32) -> Int32 {
        let product = (Float(acc) * scale).rounded(.toNearestOrEven)
        let value = product > 2e9 ? Int64(2e9) : product < -2e9 ? Int64(-2e9) : Int64(product)
        return Int32(min(max(value + Int64(zeroPoint), Int64(clampMin)), Int64(clampMax)))
    }

    /// The scale QLinearConv, QLinearMatMul and QGemm apply: `float(float(s_x · s_w) / s_y)`.
    static func weightedScale(input: Float, weight: Float, output: Float) -> Float {
        (input * weight) / output
    }

    /// The scale QLinearGlobalAveragePool applies: `s_x / (s_y · float(count))`.
    static func meanScale(input: Float, output: Float, count: Int) -> Float {
        input / (output * Float(count))
    }

    /// MLAS's logistic (`MlasComputeLogistic`, the FMA3 kernel on x86-64): the input clamped to
    /// ±18, an odd rational approximation `p(x)/q(x)` evaluated with fused multiply-adds, plus
    /// 0.5, clamped to [0, 1].
    static func logistic(_ input: Float) -> Float {
        let x = min(max(input, -18), 18)
        let x2 = x * x
        var p = Float(1.15627324459942e-07).addingProduct(x2, Float(4.37031012579801e-11))
        p = Float(6.08574864600143e-05).addingProduct(p, x2)
        p = Float(8.51377133304701e-03).addingProduct(p, x2)
        p = Float(2.48287947061529e-01).addingProduct(p, x2)
        p = p * x
        var q = Float(5.76102136993427e-09).addingProduct(x2, Float(6.10247389755681e-13))
        q = Float(6.29106785017040e-06).addingProduct(q, x2)
        q = Float(1.70198817374094e-03).addingProduct(q, x2)
        q = Float(1.16817656904453e-01).addingProduct(q, x2)
        q = Float(9.93151921023180e-01).addingProduct(q, x2)
        return min(max(p / q + 0.5, 0), 1)
    }

    /// QLinearSigmoid's table (and DequantizeLinear → Sigmoid → QuantizeLinear, which computes the
    /// same): entry `i` for the stored input `type.min + i`.
    static func sigmoidTable(
        input: (scale: Float, zeroPoint: Int32), output: (scale: Float, zeroPoint: Int32), type: ElementType
    ) -> [Int32] {
        (type.minValue...type.maxValue).map { q in
            quantize(
                logistic(dequantize(q, scale: input.scale, zeroPoint: input.zeroPoint)), scale: output.scale,
                zeroPoint: output.zeroPoint, type: type)
        }
    }

    /// A rescaled copy (QLinearConcat's per-input table, DequantizeLinear → QuantizeLinear):
    /// `quantize(dequantize(q))`.
    static func rescale(
        _ q: Int32, from input: (scale: Float, zeroPoint: Int32), to output: (scale: Float, zeroPoint: Int32),
        type: ElementType
    ) -> Int32 {
        quantize(
            dequantize(q, scale: input.scale, zeroPoint: input.zeroPoint), scale: output.scale,
            zeroPoint: output.zeroPoint, type: type)
    }

    /// QLinearAdd on x86-64 with AVX2 (MLAS's default "XNNFloatMultiply" kernel):
    /// `r_a = s_a / s_c`, `r_b = s_b / s_c`, `k = float(zp_c) − (r_a·zp_a + r_b·zp_b)`,
    /// `out = sat(rint(fma(a, r_a, fma(b, r_b, k))))`.
    static func qlinearAdd(
        _ a: Int32, _ b: Int32, a qa: (scale: Float, zeroPoint: Int32), b qb: (scale: Float, zeroPoint: Int32),
        output: (scale: Float, zeroPoint: Int32), type: ElementType
    ) -> Int32 {
        let ra = qa.scale / output.scale
        let rb = qb.scale / output.scale
        let constant = Float(output.zeroPoint) - (ra * Float(qa.zeroPoint) + rb * Float(qb.zeroPoint))
        let value = (constant.addingProduct(Float(b), rb)).addingProduct(Float(a), ra)
        return clampToType(value.rounded(.toNearestOrEven), zeroPoint: 0, type: type)
    }

    /// DequantizeLinear ×2 → Add → QuantizeLinear in float32 (a QDQ Add onnxruntime leaves unfused).
    static func floatAdd(
        _ a: Int32, _ b: Int32, a qa: (scale: Float, zeroPoint: Int32), b qb: (scale: Float, zeroPoint: Int32),
        output: (scale: Float, zeroPoint: Int32), type: ElementType
    ) -> Int32 {
        let sum =
            dequantize(a, scale: qa.scale, zeroPoint: qa.zeroPoint)
            + dequantize(b, scale: qb.scale, zeroPoint: qb.zeroPoint)
        return quantize(sum, scale: output.scale, zeroPoint: output.zeroPoint, type: type)
    }

    private static func clampToType(_ rounded: Float, zeroPoint: Int32, type: ElementType) -> Int32 {
        let value = min(max(rounded, -1e6), 1e6)
        return min(max(Int32(value) + zeroPoint, type.minValue), type.maxValue)
    }
}
