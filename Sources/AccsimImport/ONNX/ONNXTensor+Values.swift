import AccsimModel

extension ONNXTensor {
    /// The element count implied by `dims` (1 for a scalar), checked: extents 0…2^31, at most
    /// 2^31 elements.
    func elementCount(file: String?) throws(ModelError) -> Int {
        var count = 1
        for extent in dims {
            guard extent >= 0, extent <= Int64(Int32.max) else {
                throw ModelError(file: file, field: path + ".dims", "tensor '\(name)' has extent \(extent)")
            }
            count *= Int(extent)
            guard count <= Int(Int32.max) else {
                throw ModelError(file: file, field: path + ".dims", "tensor '\(name)' of shape \(dims) is too large")
            }
        }
        return count
    }

    /// The values as Float: a FLOAT tensor from `raw_data` or `float_data`.
    func floatValues(file: String?) throws(ModelError) -> [Float] {
        guard dataType == ONNXDataType.float else {
            throw ModelError(
                file: file, field: path + ".data_type",
                "tensor '\(name)' is \(ONNXDataType.name(dataType)); expected FLOAT")
        }
        try checkLocation(file: file)
        let count = try elementCount(file: file)
        if let raw = rawData {
            guard raw.count == count * 4 else {
                throw sizeError(raw.count, expected: count * 4, "raw_data", file: file)
            }
            return (0..<count).map { Float(bitPattern: ProtobufReader.littleEndianUInt32(raw, at: 4 * $0)) }
        }
        guard floatData.count == count else {
            throw sizeError(floatData.count, expected: count, "float_data", file: file)
        }
        return floatData
    }

    /// The values as integers: an INT8, UINT8, INT32 or INT64 tensor from `raw_data` or the typed
    /// field (`int32_data` for the 8- and 32-bit types, `int64_data` for INT64), each checked
    /// against its type's range.
    func integerValues(file: String?) throws(ModelError) -> [Int64] {
        try checkLocation(file: file)
        let count = try elementCount(file: file)
        let width: Int
        let range: ClosedRange<Int64>
        switch dataType {
        case ONNXDataType.int8: (width, range) = (1, -128...127)
        case ONNXDataType.uint8: (width, range) = (1, 0...255)
        case ONNXDataType.int32: (width, range) = (4, Int64(Int32.min)...Int64(Int32.max))
        case ONNXDataType.int64: (width, range) = (8, Int64.min...Int64.max)
        default:
            throw ModelError(
                file: file, field: path + ".data_type",
                "tensor '\(name)' is \(ONNXDataType.name(dataType)); expected an integer type")
        }
        if let raw = rawData {
            guard raw.count == count * width else {
                throw sizeError(raw.count, expected: count * width, "raw_data", file: file)
            }
            return (0..<count).map { index in
                switch dataType {
                case ONNXDataType.int8: Int64(Int8(bitPattern: raw[index]))
                case ONNXDataType.uint8: Int64(raw[index])
                case ONNXDataType.int32: Int64(Int32(bitPattern: ProtobufReader.littleEndianUInt32(raw, at: 4 * index)))
                default:
                    Int64(
                        bitPattern: UInt64(ProtobufReader.littleEndianUInt32(raw, at: 8 * index))
                            | UInt64(ProtobufReader.littleEndianUInt32(raw, at: 8 * index + 4)) << 32)
                }
            }
        }
        let typed = dataType == ONNXDataType.int64 ? int64Data : int32Data
        let field = dataType == ONNXDataType.int64 ? "int64_data" : "int32_data"
        guard typed.count == count else { throw sizeError(typed.count, expected: count, field, file: file) }
        for (index, value) in typed.enumerated() where !range.contains(value) {
            throw ModelError(
                file: file, field: path + ".\(field)[\(index)]",
                "value \(value) does not fit \(ONNXDataType.name(dataType))")
        }
        return typed
    }

    private func checkLocation(file: String?) throws(ModelError) {
        if isExternal {
            throw ModelError(
                file: file, field: path + ".data_location",
                "tensor '\(name)' keeps its data in an external file, which is not supported")
        }
    }

    private func sizeError(_ actual: Int, expected: Int, _ field: String, file: String?) -> ModelError {
        ModelError(
            file: file, field: path + "." + field,
            "tensor '\(name)' of shape \(dims) needs \(expected) \(field == "raw_data" ? "bytes" : "values") but holds \(actual)"
        )
    }
}
