extension ReferenceKernels {
    /// Constant padding of a tensor of any rank: `padding[d] = [before, after]` elements are added
    /// on each side of dimension `d`, filled with the stored value `value` (normally the zero
    /// point). The output keeps the input's element type.
    public static func pad(_ input: IntTensor, parameters: PadParameters) -> IntTensor {
        let rank = input.shape.count
        precondition(
            parameters.padding.count == rank, "pad: \(parameters.padding.count) padding pairs for rank \(rank)")
        let before = parameters.padding.map { pair -> Int in
            precondition(pair.count == 2 && pair[0] >= 0 && pair[1] >= 0, "pad: bad padding pair \(pair)")
            return pair[0]
        }
        let outShape = (0..<rank).map { input.shape[$0] + parameters.padding[$0][0] + parameters.padding[$0][1] }
        var values = [Int32](repeating: parameters.value, count: outShape.reduce(1, *))
        guard input.count > 0 else {
            return IntTensor(shape: outShape, elementType: input.elementType, values: values)
        }
        // Row-major strides of the output.
        var outStrides = [Int](repeating: 1, count: rank)
        for d in stride(from: rank - 2, through: 0, by: -1) {
            outStrides[d] = outStrides[d + 1] * outShape[d + 1]
        }
        // Walk the input in order with a multi-index, copying each element to its shifted place.
        var index = [Int](repeating: 0, count: rank)
        for value in input.values {
            var outOffset = 0
            for d in 0..<rank {
                outOffset += (index[d] + before[d]) * outStrides[d]
            }
            values[outOffset] = value
            var d = rank - 1
            while d >= 0 {
                index[d] += 1
                if index[d] < input.shape[d] { break }
                index[d] = 0
                d -= 1
            }
        }
        return IntTensor(shape: outShape, elementType: input.elementType, values: values)
    }
}
