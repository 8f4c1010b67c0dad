extension ReferenceKernels {
    /// Clamps every stored value to `[min, max]` (ReLU, ReLU6 or any range in stored integers).
    /// The output keeps the input's shape and element type.
    public static func clamp(_ input: IntTensor, parameters: ClampParameters) -> IntTensor {
        precondition(parameters.min <= parameters.max, "clamp: empty range [\(parameters.min), \(parameters.max)]")
        let values = input.values.map { Swift.min(Swift.max($0, parameters.min), parameters.max) }
        return IntTensor(shape: input.shape, elementType: input.elementType, values: values)
    }
}
