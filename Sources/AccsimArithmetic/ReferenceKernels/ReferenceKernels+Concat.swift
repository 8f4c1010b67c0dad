extension ReferenceKernels {
    /// Concatenation along `parameters.axis` (any axis; 3 is the channel axis of NHWC).
    ///
    /// The inputs agree on every extent but the axis one; the output extent on the axis is the
    /// sum. Input `i` with a requantizer contributes `requantizer.apply(q − zp_i, channel: 0)`
    /// (per tensor), an input without one contributes its stored values unchanged.
    public static func concat(
        _ inputs: [IntTensor], zeroPoints: [Int32], parameters: ConcatParameters, outputType: ElementType
    ) -> IntTensor {
        precondition(!inputs.isEmpty, "concat: needs at least one input")
        precondition(
            zeroPoints.count == inputs.count && parameters.inputRequantizers.count == inputs.count,
            "concat: \(inputs.count) inputs, \(zeroPoints.count) zero points, \(parameters.inputRequantizers.count) requantizers"
        )
        let axis = parameters.axis
        let rank = inputs[0].shape.count
        precondition((0..<rank).contains(axis), "concat: axis \(axis) outside 0..<\(rank)")
        var shape = inputs[0].shape
        shape[axis] = 0
        for input in inputs {
            precondition(input.shape.count == rank, "concat: ranks differ")
            for d in 0..<rank where d != axis {
                precondition(
                    input.shape[d] == inputs[0].shape[d],
                    "concat: shape \(input.shape) does not match \(inputs[0].shape) outside axis \(axis)")
            }
            shape[axis] += input.shape[axis]
        }
        // Everything before the axis is an "outer" index; the axis and everything after it form
        // one contiguous block per input and outer index.
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        var values = [Int32]()
        values.reserveCapacity(shape.reduce(1, *))
        for o in 0..<outer {
            for (i, input) in inputs.enumerated() {
                let block = input.shape[axis] * inner
                let start = o * block
                if let requantizer = parameters.inputRequantizers[i] {
                    let zeroPoint = zeroPoints[i]
                    for index in start..<(start + block) {
                        values.append(requantizer.apply(input.values[index] - zeroPoint, channel: 0))
                    }
                } else {
                    values.append(contentsOf: input.values[start..<(start + block)])
                }
            }
        }
        return IntTensor(shape: shape, elementType: outputType, values: values)
    }
}
