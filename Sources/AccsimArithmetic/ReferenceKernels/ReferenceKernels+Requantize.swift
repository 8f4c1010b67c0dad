extension ReferenceKernels {
    /// Rescales a tensor to another quantization (TFLite QUANTIZE between integer types):
    /// `out = requantizer.apply(q − zeroPoint, channel: c)`, where `c` is the index along the last
    /// axis when the requantizer is per channel.
    public static func requantize(
        _ input: IntTensor, zeroPoint: Int32, requantizer: Requantizer, outputType: ElementType
    ) -> IntTensor {
        let channels = input.shape.last ?? 1
        precondition(
            requantizer.channelCount == 1 || requantizer.channelCount == channels,
            "requantize: \(requantizer.channelCount) channels for a last axis of \(channels)")
        var values = [Int32](repeating: 0, count: input.count)
        for index in 0..<input.count {
            values[index] = requantizer.apply(input.values[index] - zeroPoint, channel: index % channels)
        }
        return IntTensor(shape: input.shape, elementType: outputType, values: values)
    }
}
