import AccsimModel

extension ONNXModel {
    /// Decodes a serialized `ModelProto`. Every length, wire type and nesting is checked; errors
    /// name the field path (`graph.node[4].attribute[1]`) and what is wrong with it.
    static func decode(_ bytes: [UInt8], file: String?) throws(ModelError) -> ONNXModel {
        if bytes.isEmpty { throw ModelError(file: file, "the file is empty; not an ONNX model") }
        var reader = ProtobufReader(bytes: bytes, range: 0..<bytes.count, path: "", file: file)
        var irVersion: Int64?
        var opsets: [String: Int64] = [:]
        var opsetCount = 0
        var producerName = ""
        var producerVersion = ""
        var graph: ONNXGraph?
        let names: (Int) -> String = { number in
            switch number {
            case 1: "ir_version"
            case 2: "producer_name"
            case 3: "producer_version"
            case 7: "graph"
            case 8: "opset_import[\(opsetCount)]"
            default: "field \(number)"
            }
        }
        while let field = try reader.next(names) {
            let path = names(field.number)
            switch field.number {
            case 1: irVersion = try reader.int64(field, path)
            case 2: producerName = try reader.string(field, path)
            case 3: producerVersion = try reader.string(field, path)
            case 7:
                if graph != nil { throw reader.error("the model has two graphs", at: path) }
                graph = try ONNXGraph.decode(try reader.message(field, path))
            case 8:
                var opset = try reader.message(field, path)
                var domain = ""
                var version: Int64 = 0
                while let f = try opset.next({ $0 == 1 ? "domain" : $0 == 2 ? "version" : "field \($0)" }) {
                    switch f.number {
                    case 1: domain = try opset.string(f, opset.child("domain"))
                    case 2: version = try opset.int64(f, opset.child("version"))
                    default: break
                    }
                }
                opsets[domain == "ai.onnx" ? "" : domain] = version
                opsetCount += 1
            default:
                break
            }
        }
        guard let irVersion else {
            throw ModelError(file: file, field: "ir_version", "missing; not an ONNX model (or a damaged one)")
        }
        guard (3...64).contains(irVersion) else {
            throw ModelError(
                file: file, field: "ir_version", "IR version \(irVersion) is outside 3...64; not a supported ONNX model"
            )
        }
        guard let graph else { throw ModelError(file: file, field: "graph", "the model has no graph") }
        return ONNXModel(
            irVersion: irVersion, opsets: opsets, producerName: producerName, producerVersion: producerVersion,
            graph: graph)
    }
}

extension ONNXGraph {
    static func decode(_ message: ProtobufReader) throws(ModelError) -> ONNXGraph {
        var reader = message
        var graph = ONNXGraph(name: "", nodes: [], initializers: [], inputs: [], outputs: [], valueInfo: [])
        let names: (Int) -> String = { number in
            switch number {
            case 1: "node[\(graph.nodes.count)]"
            case 2: "name"
            case 5: "initializer[\(graph.initializers.count)]"
            case 11: "input[\(graph.inputs.count)]"
            case 12: "output[\(graph.outputs.count)]"
            case 13: "value_info[\(graph.valueInfo.count)]"
            case 15: "sparse_initializer"
            default: "field \(number)"
            }
        }
        while let field = try reader.next(names) {
            let path = reader.child(names(field.number))
            switch field.number {
            case 1: graph.nodes.append(try ONNXNode.decode(try reader.message(field, path), index: graph.nodes.count))
            case 2: graph.name = try reader.string(field, path)
            case 5: graph.initializers.append(try ONNXTensor.decode(try reader.message(field, path)))
            case 11: graph.inputs.append(try ONNXValueInfo.decode(try reader.message(field, path)))
            case 12: graph.outputs.append(try ONNXValueInfo.decode(try reader.message(field, path)))
            case 13: graph.valueInfo.append(try ONNXValueInfo.decode(try reader.message(field, path)))
            case 15: throw reader.error("sparse initializers are not supported", at: path)
            default: break
            }
        }
        return graph
    }
}

extension ONNXNode {
    static func decode(_ message: ProtobufReader, index: Int) throws(ModelError) -> ONNXNode {
        var reader = message
        var node = ONNXNode(
            index: index, name: "", opType: "", domain: "", inputs: [], outputs: [], attributes: [], path: reader.path)
        let names: (Int) -> String = { number in
            switch number {
            case 1: "input[\(node.inputs.count)]"
            case 2: "output[\(node.outputs.count)]"
            case 3: "name"
            case 4: "op_type"
            case 5: "attribute[\(node.attributes.count)]"
            case 7: "domain"
            default: "field \(number)"
            }
        }
        while let field = try reader.next(names) {
            let path = reader.child(names(field.number))
            switch field.number {
            case 1: node.inputs.append(try reader.string(field, path))
            case 2: node.outputs.append(try reader.string(field, path))
            case 3: node.name = try reader.string(field, path)
            case 4: node.opType = try reader.string(field, path)
            case 5: node.attributes.append(try ONNXAttribute.decode(try reader.message(field, path)))
            case 7: node.domain = try reader.string(field, path)
            default: break
            }
        }
        if node.domain == "ai.onnx" { node.domain = "" }
        if node.opType.isEmpty { throw reader.error("node has no op_type", at: reader.child("op_type")) }
        return node
    }
}

extension ONNXAttribute {
    static func decode(_ message: ProtobufReader) throws(ModelError) -> ONNXAttribute {
        var reader = message
        var attribute = ONNXAttribute(
            name: "", kind: nil, f: nil, i: nil, s: nil, t: nil, floats: [], ints: [], path: reader.path)
        var rawKind: Int64?
        let names: (Int) -> String = { number in
            switch number {
            case 1: "name"
            case 2: "f"
            case 3: "i"
            case 4: "s"
            case 5: "t"
            case 7: "floats"
            case 8: "ints"
            case 20: "type"
            default: "field \(number)"
            }
        }
        while let field = try reader.next(names) {
            let path = reader.child(names(field.number))
            switch field.number {
            case 1: attribute.name = try reader.string(field, path)
            case 20: rawKind = try reader.int64(field, path)
            case 2: attribute.f = try reader.float(field, path)
            case 3: attribute.i = try reader.int64(field, path)
            case 4: attribute.s = Array(reader.bytes[try reader.payload(field, path)])
            case 5: attribute.t = try ONNXTensor.decode(try reader.message(field, path))
            case 7: try reader.appendFloats(field, path, to: &attribute.floats)
            case 8: try reader.appendVarints(field, path, to: &attribute.ints)
            default: break
            }
        }
        if let rawKind { attribute.kind = Kind(rawValue: rawKind) }
        return attribute
    }
}

extension ONNXTensor {
    static func decode(_ message: ProtobufReader) throws(ModelError) -> ONNXTensor {
        var reader = message
        var tensor = ONNXTensor(
            name: "", dims: [], dataType: 0, rawData: nil, floatData: [], int32Data: [], int64Data: [],
            isExternal: false, path: reader.path)
        let names: (Int) -> String = { number in
            switch number {
            case 1: "dims"
            case 2: "data_type"
            case 3: "segment"
            case 4: "float_data"
            case 5: "int32_data"
            case 7: "int64_data"
            case 8: "name"
            case 9: "raw_data"
            case 14: "data_location"
            default: "field \(number)"
            }
        }
        while let field = try reader.next(names) {
            let path = reader.child(names(field.number))
            switch field.number {
            case 1: try reader.appendVarints(field, path, to: &tensor.dims)
            case 2: tensor.dataType = try reader.int32(field, path)
            case 4: try reader.appendFloats(field, path, to: &tensor.floatData)
            case 5: try reader.appendVarints(field, path, to: &tensor.int32Data)
            case 7: try reader.appendVarints(field, path, to: &tensor.int64Data)
            case 8: tensor.name = try reader.string(field, path)
            case 9: tensor.rawData = Array(reader.bytes[try reader.payload(field, path)])
            case 14: tensor.isExternal = try reader.varint(field, path) == 1
            case 3: throw reader.error("segmented tensors are not supported", at: path)
            default: break
            }
        }
        return tensor
    }
}

extension ONNXValueInfo {
    static func decode(_ message: ProtobufReader) throws(ModelError) -> ONNXValueInfo {
        var reader = message
        var info = ONNXValueInfo(name: "", elementType: nil, shape: nil, path: reader.path)
        while let field = try reader.next({ $0 == 1 ? "name" : $0 == 2 ? "type" : "field \($0)" }) {
            switch field.number {
            case 1: info.name = try reader.string(field, reader.child("name"))
            case 2:
                var type = try reader.message(field, reader.child("type"))
                while let typeField = try type.next({ $0 == 1 ? "tensor_type" : "field \($0)" }) {
                    guard typeField.number == 1 else { continue }
                    var tensorType = try type.message(typeField, type.child("tensor_type"))
                    while let f = try tensorType.next({ $0 == 1 ? "elem_type" : $0 == 2 ? "shape" : "field \($0)" }) {
                        switch f.number {
                        case 1: info.elementType = try tensorType.int32(f, tensorType.child("elem_type"))
                        case 2: info.shape = try decodeShape(try tensorType.message(f, tensorType.child("shape")))
                        default: break
                        }
                    }
                }
            default: break
            }
        }
        return info
    }

    private static func decodeShape(_ message: ProtobufReader) throws(ModelError) -> [Int64?] {
        var reader = message
        var shape: [Int64?] = []
        while let field = try reader.next({ $0 == 1 ? "dim[\(shape.count)]" : "field \($0)" }) {
            guard field.number == 1 else { continue }
            var dimension = try reader.message(field, reader.child("dim[\(shape.count)]"))
            var value: Int64?
            while let f = try dimension.next({ $0 == 1 ? "dim_value" : $0 == 2 ? "dim_param" : "field \($0)" }) {
                if f.number == 1 { value = try dimension.int64(f, dimension.child("dim_value")) }
            }
            shape.append(value)
        }
        return shape
    }
}
