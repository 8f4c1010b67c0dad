extension ReferenceKernels {
    /// Elementwise addition of two tensors of the same shape, each with its own zero point.
    ///
    /// Per element, for each input `i` with scaling `parameters.inputs[i]`:
    /// 1. `v = (q − zp_i) · 2^left_shift`, computed in 64 bits and narrowed with `overflow.narrow`;
    /// 2. when a `rescale` is present, `v = overflow.narrow(rescale.scaled(v, channel: 0))` (its
    ///    multiplier, shift and rounding; its zero point and clamp are not used);
    /// 3. `sum = overflow.add(v_a, v_b)`;
    /// 4. `out = parameters.output.apply(sum, channel: c)`, `c` the index along the last axis.
    ///
    /// The TFLite scheme is `left_shift = 20` with `tflite` rescales and output; the Aidge scheme
    /// is `left_shift = 0`, no rescale, and a `half_up` output requantizer.
    public static func add(
        _ a: IntTensor, zeroPointA: Int32, _ b: IntTensor, zeroPointB: Int32,
        parameters: AddParameters, overflow: OverflowMode, outputType: ElementType
    ) -> IntTensor {
        precondition(a.shape == b.shape, "add: shapes \(a.shape) and \(b.shape) differ")
        precondition(parameters.inputs.count == 2, "add: needs two input scalings, got \(parameters.inputs.count)")
        let scalingA = parameters.inputs[0]
        let scalingB = parameters.inputs[1]
        let channels = a.shape.last ?? 1
        var values = [Int32](repeating: 0, count: a.count)
        for index in 0..<a.count {
            let va = scaledAddend(a.values[index], zeroPoint: zeroPointA, scaling: scalingA, overflow: overflow)
            let vb = scaledAddend(b.values[index], zeroPoint: zeroPointB, scaling: scalingB, overflow: overflow)
            let sum = overflow.add(va, vb)
            values[index] = parameters.output.apply(sum, channel: index % channels)
        }
        return IntTensor(shape: a.shape, elementType: outputType, values: values)
    }

    /// One input of an Add brought to the common int32 scale (steps 1 and 2 above).
    @inlinable
    static func scaledAddend(_ q: Int32, zeroPoint: Int32, scaling: AddInputScaling, overflow: OverflowMode) -> Int32 {
        let shifted = overflow.narrow((Int64(q) - Int64(zeroPoint)) << Int64(scaling.leftShift))
        guard let rescale = scaling.rescale else { return shifted }
        return overflow.narrow(rescale.scaled(shifted, channel: 0))
    }
}
