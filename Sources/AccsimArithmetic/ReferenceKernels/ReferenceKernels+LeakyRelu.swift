extension ReferenceKernels {
    /// LeakyReLU with an integer slope; input and output share the scale, not the zero point.
    ///
    /// With `v = q − inputZeroPoint`: `y = v` when `v ≥ 0`, otherwise
    /// `y = Requantizer.round(v, slope_multiplier, slope_shift, rounding)` (the slope is
    /// `M · 2^−n`, e.g. 1/8 = multiplier 1, shift 3); then
    /// `out = clamp(y + outputZeroPoint, outputType.min, outputType.max)`.
    public static func leakyRelu(
        _ input: IntTensor, inputZeroPoint: Int32, outputZeroPoint: Int32, parameters: LeakyReluParameters,
        outputType: ElementType
    ) -> IntTensor {
        let values = input.values.map { q -> Int32 in
            let v = q - inputZeroPoint
            let y =
                v >= 0
                ? Int64(v)
                : Requantizer.round(
                    v, multiplier: parameters.slopeMultiplier, shift: Int(parameters.slopeShift),
                    mode: parameters.rounding)
            return clamped(y + Int64(outputZeroPoint), outputType.minValue, outputType.maxValue)
        }
        return IntTensor(shape: input.shape, elementType: outputType, values: values)
    }
}
