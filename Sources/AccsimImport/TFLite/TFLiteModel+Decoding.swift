import AccsimModel

extension TFLiteModel {
    /// Decodes the structure of a `.tflite` file: checks the file identifier and schema version,
    /// then reads the operator codes, the buffers and subgraph 0, checking every offset and length.
    static func decode(_ bytes: [UInt8], file: String?) throws(ModelError) -> TFLiteModel {
        let buffer = FlatBuffer(bytes: bytes, file: file)
        guard bytes.count >= 8 else {
            throw ModelError(
                file: file,
                "not a TFLite model: \(bytes.count) bytes is too short for a flatbuffer with a file identifier")
        }
        guard buffer.fileIdentifier == TFLiteSchema.fileIdentifier else {
            let shown = String(
                decoding: bytes[4..<8].map { (32...126).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
            throw ModelError(file: file, "not a TFLite model: file identifier is '\(shown)', expected 'TFL3'")
        }
        typealias F = TFLiteSchema.ModelField
        let root = try buffer.root("")
        let version = try root.uint32(F.version, "version")
        guard version == TFLiteSchema.version else {
            throw ModelError(
                file: file, field: "version",
                "schema version \(version) is not supported (LiteRT reads version \(TFLiteSchema.version))")
        }
        let description = try root.string(F.description, "description")

        var operatorCodes: [TFLiteOperatorCode] = []
        if let codes = try root.vector(F.operatorCodes, "operator_codes", elementSize: 4) {
            for index in 0..<codes.count {
                operatorCodes.append(try decodeOperatorCode(codes.table(index)))
            }
        }

        var buffers: [TFLiteBuffer] = []
        if let tables = try root.vector(F.buffers, "buffers", elementSize: 4) {
            buffers.reserveCapacity(tables.count)
            for index in 0..<tables.count {
                buffers.append(try decodeBuffer(tables.table(index)))
            }
        }

        guard let subgraphs = try root.vector(F.subgraphs, "subgraphs", elementSize: 4), subgraphs.count > 0 else {
            throw ModelError(file: file, field: "subgraphs", "the model has no subgraph")
        }
        let subgraph = try decodeSubGraph(subgraphs.table(0))
        return TFLiteModel(
            version: version, description: description, operatorCodes: operatorCodes, buffers: buffers,
            subgraph: subgraph, file: buffer)
    }

    private static func decodeOperatorCode(_ table: FlatTable) throws(ModelError) -> TFLiteOperatorCode {
        typealias F = TFLiteSchema.OperatorCodeField
        let deprecated = Int32(try table.int8(F.deprecatedBuiltinCode, "deprecated_builtin_code"))
        let extended = try table.int32(F.builtinCode, "builtin_code")
        return TFLiteOperatorCode(
            builtin: TFLiteBuiltinOperator(code: max(deprecated, extended)),
            customCode: try table.string(F.customCode, "custom_code"),
            version: try table.int32(F.version, "version", default: 1))
    }

    private static func decodeBuffer(_ table: FlatTable) throws(ModelError) -> TFLiteBuffer {
        typealias F = TFLiteSchema.BufferField
        if let data = try table.vector(F.data, "data", elementSize: 1), data.count > 0 {
            return TFLiteBuffer(data: data.start..<data.start + data.count)
        }
        // Models over 2 GB keep buffers outside the flatbuffer: an absolute offset (valid if > 1).
        let offset = try table.uint64(F.offset, "offset")
        let size = try table.uint64(F.size, "size")
        guard offset > 1 else { return TFLiteBuffer(data: 0..<0) }
        let count = UInt64(table.buffer.count)
        guard offset <= count, size <= count - offset else {
            throw table.buffer.error(
                table.fieldPath("offset"),
                "external data at offset \(offset) of \(size) bytes lies beyond end of file (size \(hex(table.buffer.count)))"
            )
        }
        return TFLiteBuffer(data: Int(offset)..<Int(offset + size))
    }

    private static func decodeSubGraph(_ table: FlatTable) throws(ModelError) -> TFLiteSubGraph {
        typealias F = TFLiteSchema.SubGraphField
        var tensors: [TFLiteTensor] = []
        if let vector = try table.vector(F.tensors, "tensors", elementSize: 4) {
            tensors.reserveCapacity(vector.count)
            for index in 0..<vector.count {
                tensors.append(try decodeTensor(vector.table(index), index: index))
            }
        }
        var operators: [TFLiteOperator] = []
        if let vector = try table.vector(F.operators, "operators", elementSize: 4) {
            operators.reserveCapacity(vector.count)
            for index in 0..<vector.count {
                operators.append(try decodeOperator(vector.table(index), index: index))
            }
        }
        return TFLiteSubGraph(
            name: try table.string(F.name, "name"), tensors: tensors,
            inputs: try table.vector(F.inputs, "inputs", elementSize: 4)?.int32Values ?? [],
            outputs: try table.vector(F.outputs, "outputs", elementSize: 4)?.int32Values ?? [],
            operators: operators)
    }

    private static func decodeTensor(_ table: FlatTable, index: Int) throws(ModelError) -> TFLiteTensor {
        typealias F = TFLiteSchema.TensorField
        var quantization: TFLiteQuantization?
        if let q = try table.table(F.quantization, "quantization") {
            quantization = try decodeQuantization(q)
        }
        return TFLiteTensor(
            index: index, name: try table.string(F.name, "name") ?? "",
            shape: try table.vector(F.shape, "shape", elementSize: 4)?.int32Values ?? [],
            type: try table.int8(F.type, "type"), buffer: try table.uint32(F.buffer, "buffer"),
            quantization: quantization, isVariable: try table.bool(F.isVariable, "is_variable"),
            isSparse: try table.table(F.sparsity, "sparsity") != nil, path: table.path)
    }

    private static func decodeQuantization(_ table: FlatTable) throws(ModelError) -> TFLiteQuantization {
        typealias F = TFLiteSchema.QuantizationField
        let scales = try table.vector(F.scale, "scale", elementSize: 4)
        let zeroPoints = try table.vector(F.zeroPoint, "zero_point", elementSize: 8)
        return TFLiteQuantization(
            scales: scales.map { v in (0..<v.count).map(v.float32) } ?? [],
            zeroPoints: zeroPoints.map { v in (0..<v.count).map(v.int64) } ?? [],
            quantizedDimension: try table.int32(F.quantizedDimension, "quantized_dimension"),
            hasDetails: try table.uint8(F.detailsType, "details_type") != 0)
    }

    private static func decodeOperator(_ table: FlatTable, index: Int) throws(ModelError) -> TFLiteOperator {
        typealias F = TFLiteSchema.OperatorField
        let optionsType = try table.uint8(F.builtinOptionsType, "builtin_options_type")
        return TFLiteOperator(
            index: index, opcodeIndex: try table.uint32(F.opcodeIndex, "opcode_index"),
            inputs: try table.vector(F.inputs, "inputs", elementSize: 4)?.int32Values ?? [],
            outputs: try table.vector(F.outputs, "outputs", elementSize: 4)?.int32Values ?? [],
            optionsType: optionsType,
            options: optionsType == 0 ? nil : try table.table(F.builtinOptions, "builtin_options"),
            path: table.path)
    }
}
