extension ReferenceKernels {
    /// Fully connected layer, requantized to `outputType`: output `[N, O]` element `[n, o]` is
    /// `parameters.requantizer.apply(acc[n, o], channel: o)` with the accumulators of
    /// ``fullyConnectedAccumulators(input:inputZeroPoint:weights:weightZeroPoints:bias:overflow:)``.
    public static func fullyConnected(
        input: IntTensor, inputZeroPoint: Int32, weights: IntTensor, weightZeroPoints: [Int32], bias: [Int32]?,
        parameters: FullyConnectedParameters, overflow: OverflowMode, outputType: ElementType
    ) -> IntTensor {
        let accumulators = fullyConnectedAccumulators(
            input: input, inputZeroPoint: inputZeroPoint, weights: weights, weightZeroPoints: weightZeroPoints,
            bias: bias, overflow: overflow)
        return requantizeAccumulators(accumulators, requantizer: parameters.requantizer, outputType: outputType)
    }

    /// The int32 accumulators `[N, O]` of a fully connected layer with input `[N, D]`, weights
    /// `[O, D]` and bias `[O]`, before the requantizer.
    ///
    /// The accumulator starts at 0; the products `(w[o,d] − zp_w[o]) · (x[n,d] − zp_x)` (each exact
    /// in int32) are added in increasing `d` with `overflow.add`, then `bias[o]` is added last with
    /// `overflow.add`. Weight zero points: one for all outputs or one per output (empty means 0).
    public static func fullyConnectedAccumulators(
        input: IntTensor, inputZeroPoint: Int32, weights: IntTensor, weightZeroPoints: [Int32], bias: [Int32]?,
        overflow: OverflowMode
    ) -> IntTensor {
        precondition(
            input.shape.count == 2 && weights.shape.count == 2,
            "fullyConnected: expected [N, D] input and [O, D] weights, got \(input.shape) and \(weights.shape)")
        let batch = input.shape[0]
        let depth = input.shape[1]
        let outputs = weights.shape[0]
        precondition(
            weights.shape[1] == depth, "fullyConnected: weights \(weights.shape) do not match input \(input.shape)")
        precondition(
            weightZeroPoints.count <= 1 || weightZeroPoints.count == outputs,
            "fullyConnected: \(weightZeroPoints.count) weight zero points for \(outputs) outputs")
        precondition(
            (bias?.count ?? outputs) == outputs,
            "fullyConnected: bias has \(bias?.count ?? 0) entries for \(outputs) outputs")

        var result = [Int32](repeating: 0, count: batch * outputs)
        input.values.withUnsafeBufferPointer { x in
            weights.values.withUnsafeBufferPointer { w in
                for n in 0..<batch {
                    let xBase = n * depth
                    for o in 0..<outputs {
                        let wBase = o * depth
                        let weightZeroPoint =
                            weightZeroPoints.isEmpty ? 0 : weightZeroPoints[weightZeroPoints.count == 1 ? 0 : o]
                        var acc = accumulateProducts(
                            0, w, wBase, weightZeroPoint, x, xBase, inputZeroPoint, count: depth, overflow: overflow)
                        if let bias {
                            acc = overflow.add(acc, bias[o])
                        }
                        result[n * outputs + o] = acc
                    }
                }
            }
        }
        return IntTensor(shape: [batch, outputs], elementType: .int32, values: result)
    }
}

extension ReferenceKernels {
    /// Fully connected layer with int64 accumulators and an int64 bias (`parameters.accumulator ==
    /// .int64`): products exact in 64 bits, added in increasing `d` with 64-bit `overflow`
    /// semantics, the bias last, then ``Requantizer/apply(wide:channel:)``.
    public static func fullyConnectedWide(
        input: IntTensor, inputZeroPoint: Int32, weights: IntTensor, weightZeroPoints: [Int32], bias: [Int64]?,
        parameters: FullyConnectedParameters, overflow: OverflowMode, outputType: ElementType
    ) -> IntTensor {
        precondition(
            input.shape.count == 2 && weights.shape.count == 2 && weights.shape[1] == input.shape[1],
            "fullyConnectedWide: shapes \(input.shape) and \(weights.shape)")
        let batch = input.shape[0]
        let depth = input.shape[1]
        let outputs = weights.shape[0]
        precondition(
            (bias?.count ?? outputs) == outputs,
            "fullyConnectedWide: bias has \(bias?.count ?? 0) entries for \(outputs) outputs")
        var result = [Int64](repeating: 0, count: batch * outputs)
        for n in 0..<batch {
            for o in 0..<outputs {
                let wzp = Int64(weightZeroPoints.isEmpty ? 0 : weightZeroPoints[weightZeroPoints.count == 1 ? 0 : o])
                var acc: Int64 = 0
                for d in 0..<depth {
                    let product =
                        (Int64(weights.values[o * depth + d]) - wzp)
                        * (Int64(input.values[n * depth + d]) - Int64(inputZeroPoint))
                    acc = addWide(acc, product, overflow: overflow)
                }
                if let bias { acc = addWide(acc, bias[o], overflow: overflow) }
                result[n * outputs + o] = acc
            }
        }
        return requantizeWide(
            result, shape: [batch, outputs], requantizer: parameters.requantizer, outputType: outputType)
    }
}
