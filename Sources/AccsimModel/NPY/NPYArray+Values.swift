import AccsimArithmetic

extension NPYArray {
    /// An array of integer values; each must fit `dtype` (for `float32` it is converted, exactly up
    /// to 2^24 in magnitude). `values.count` must match the shape.
    public init(shape: [Int], dtype: NPYDType, values: [Int32]) throws(ModelError) {
        let count = try Self.elementCount(of: shape)
        guard values.count == count else {
            throw ModelError(field: "shape", "shape \(shape) needs \(count) values, got \(values.count)")
        }
        if let type = dtype.elementType, let index = values.firstIndex(where: { !type.contains(Int64($0)) }) {
            throw ModelError(
                field: "values[\(index)]",
                "value \(values[index]) does not fit \(dtype) (\(type.minValue)...\(type.maxValue))")
        }
        try self.init(shape: shape, dtype: dtype, bytes: Self.pack(values, as: dtype))
    }

    /// A `float32` array. `values.count` must match the shape.
    public init(shape: [Int], floats values: [Float]) throws(ModelError) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 4)
        for value in values { LittleEndian.append(value.bitPattern, to: &bytes) }
        try self.init(shape: shape, dtype: .float32, bytes: bytes)
    }

    /// The array holding an integer tensor, at the dtype of its element type. The values are
    /// stored truncated to that type (a valid tensor's values fit it).
    public init(tensor: IntTensor) {
        let dtype = NPYDType(tensor.elementType)
        shape = tensor.shape
        self.dtype = dtype
        bytes = Self.pack(tensor.values, as: dtype)
    }

    /// The elements widened to Int32, for integer dtypes; nil for `float32`.
    public func int32Values() -> [Int32]? {
        guard let type = dtype.elementType else { return nil }
        return ConstantData(elementType: type, bytes: bytes).int32Values()
    }

    /// The elements as Floats (integers converted exactly).
    public func floatValues() -> [Float] {
        guard dtype == .float32 else { return (int32Values() ?? []).map(Float.init) }
        return (0..<elementCount).map { index in Float(bitPattern: LittleEndian.uint32(bytes, at: 4 * index)) }
    }

    /// The array as an integer tensor, for integer dtypes; nil for `float32`.
    public func intTensor() -> IntTensor? {
        guard let type = dtype.elementType, let values = int32Values() else { return nil }
        return IntTensor(shape: shape, elementType: type, values: values)
    }

    /// Little-endian bytes of `values` at `dtype` (truncating to integer widths).
    private static func pack(_ values: [Int32], as dtype: NPYDType) -> [UInt8] {
        guard let type = dtype.elementType else {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(values.count * 4)
            for value in values { LittleEndian.append(Float(value).bitPattern, to: &bytes) }
            return bytes
        }
        return ConstantData(elementType: type, values: values).bytes
    }
}
