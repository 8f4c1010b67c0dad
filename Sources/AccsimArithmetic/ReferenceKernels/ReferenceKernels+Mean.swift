extension ReferenceKernels {
    /// Global average pooling: the mean over H and W of an NHWC tensor `[N, H, W, C]`.
    ///
    /// For each `(b, c)`: `sum = Σ q − zp·H·W` over the `H·W` positions, accumulated exactly in
    /// 64 bits and then narrowed to int32 with `OverflowMode.wrap` (only reachable when
    /// `H·W·max|q − zp| ≥ 2^31`, e.g. never for int8 below 2^23 positions), then
    /// `out = requantizer.apply(sum, channel: c)`; the
    /// division by `H·W` is folded into the requantizer's multiplier and shift (TFLite MEAN).
    /// Output `[N, 1, 1, C]` with `keep_dims`, else `[N, C]`.
    public static func mean(_ input: IntTensor, zeroPoint: Int32, parameters: MeanParameters, outputType: ElementType)
        -> IntTensor
    {
        let (batch, height, width, channels) = extents4(input.shape, "mean input")
        let requantizer = parameters.requantizer
        precondition(
            requantizer.channelCount == 1 || requantizer.channelCount == channels,
            "mean: requantizer has \(requantizer.channelCount) channels for \(channels)")
        let positions = height * width
        var values = [Int32](repeating: 0, count: batch * channels)
        for b in 0..<batch {
            for c in 0..<channels {
                var sum: Int64 = 0
                for position in 0..<positions {
                    sum += Int64(input.values[(b * positions + position) * channels + c])
                }
                sum -= Int64(zeroPoint) * Int64(positions)
                values[b * channels + c] = requantizer.apply(OverflowMode.wrap.narrow(sum), channel: c)
            }
        }
        let shape = parameters.keepDims ? [batch, 1, 1, channels] : [batch, channels]
        return IntTensor(shape: shape, elementType: outputType, values: values)
    }
}
