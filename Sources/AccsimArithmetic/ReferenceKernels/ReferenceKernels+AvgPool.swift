extension ReferenceKernels {
    /// Average pooling over the spatial axes of an NHWC tensor; input and output share the
    /// quantization, so the output keeps the input's element type.
    ///
    /// For each window (geometry as in ``maxPool(_:parameters:)``): `sum` is the sum of the raw
    /// stored values of the in-image taps (the zero point is not subtracted, as in TFLite).
    /// - `count_include_pad == false`: `count` is the number of in-image taps.
    /// - `count_include_pad == true`: `count` is the full window `KH·KW` and each padded tap adds
    ///   `zeroPoint` (the stored value of real zero) to the sum.
    ///
    /// The output is `clamp(roundedQuotient(sum, count, rounding), clamp_min, clamp_max)`
    /// (see ``roundedQuotient(_:dividedBy:rounding:)``: `half_away` for TFLite and Aidge; a `tflite`
    /// mode behaves as `half_away`). A window with no tap counted (excluded by validation) yields
    /// the clamped zero point rather than dividing by zero.
    ///
    /// With ``AverageAlgorithm/aidgeRunningMean`` the taps are averaged as aidge_backend_cpu's
    /// GlobalAveragePooling does: `m = 0`, then for the i-th tap (i = 1, 2, …, row-major)
    /// `m = fma(x − m, 1/i, m)` in double, and the output is `clamp(round_half_away(m))`.
    public static func avgPool(_ input: IntTensor, zeroPoint: Int32, parameters: AvgPoolParameters) -> IntTensor {
        let p = parameters
        let geometry = PoolGeometry(
            input.shape, window: p.window, stride: p.stride, padding: p.padding, kernel: "avgPool")
        let windowSize = p.window.height * p.window.width
        var values = [Int32](repeating: 0, count: geometry.outputCount)
        var outIndex = 0
        for b in 0..<geometry.batch {
            for oy in 0..<geometry.outHeight {
                for ox in 0..<geometry.outWidth {
                    for c in 0..<geometry.channels {
                        var sum: Int64 = 0
                        var taps = 0
                        if p.usesRunningMean {
                            var mean = 0.0
                            geometry.forEachTap(b, oy, ox, c) { index in
                                taps += 1
                                mean = mean.addingProduct(Double(input.values[index]) - mean, 1.0 / Double(taps))
                            }
                            let rounded = mean.rounded(.toNearestOrAwayFromZero)
                            values[outIndex] =
                                taps == 0
                                ? clamped(Int64(zeroPoint), p.clampMin, p.clampMax)
                                : clamped(Int64(rounded), p.clampMin, p.clampMax)
                            outIndex += 1
                            continue
                        }
                        geometry.forEachTap(b, oy, ox, c) { index in
                            sum += Int64(input.values[index])
                            taps += 1
                        }
                        var count = taps
                        if p.countIncludePad {
                            sum += Int64(windowSize - taps) * Int64(zeroPoint)
                            count = windowSize
                        }
                        let average =
                            count == 0
                            ? Int64(zeroPoint) : roundedQuotient(sum, dividedBy: Int64(count), rounding: p.rounding)
                        values[outIndex] = clamped(average, p.clampMin, p.clampMax)
                        outIndex += 1
                    }
                }
            }
        }
        return IntTensor(shape: geometry.outputShape, elementType: input.elementType, values: values)
    }
}
