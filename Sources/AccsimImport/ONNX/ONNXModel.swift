/// The decoded subset of an ONNX `ModelProto` the importer needs. Field numbers follow
/// `onnx/onnx.proto`; unknown fields are skipped. Every value keeps the field path it was read
/// from (`graph.node[4]`), so later errors can name it.
struct ONNXModel: Sendable {
    var irVersion: Int64
    /// Operator set versions by domain (`""` is the default `ai.onnx` domain).
    var opsets: [String: Int64]
    var producerName: String
    var producerVersion: String
    var graph: ONNXGraph
}

/// A `GraphProto`.
struct ONNXGraph: Sendable {
    var name: String
    var nodes: [ONNXNode]
    var initializers: [ONNXTensor]
    var inputs: [ONNXValueInfo]
    var outputs: [ONNXValueInfo]
    var valueInfo: [ONNXValueInfo]
}

/// A `NodeProto`.
struct ONNXNode: Sendable {
    /// Position in `graph.node`.
    var index: Int
    var name: String
    var opType: String
    var domain: String
    /// Input names; an empty string marks an absent optional input.
    var inputs: [String]
    var outputs: [String]
    var attributes: [ONNXAttribute]
    /// `graph.node[3]`.
    var path: String

    /// The node as errors name it: its name, or `OpType#index` when it has none.
    var label: String { name.isEmpty ? "\(opType)#\(index)" : name }

    /// The attribute named `name`, if present.
    func attribute(_ name: String) -> ONNXAttribute? {
        attributes.first { $0.name == name }
    }
}

/// An `AttributeProto` (the kinds the importer reads: float, int, string, tensor, floats, ints).
struct ONNXAttribute: Sendable {
    /// `AttributeProto.AttributeType`.
    enum Kind: Int64, Sendable {
        case undefined = 0
        case float = 1
        case int = 2
        case string = 3
        case tensor = 4
        case graph = 5
        case floats = 6
        case ints = 7
        case strings = 8
        case tensors = 9
        case graphs = 10
        case sparseTensor = 11
        case sparseTensors = 12
        case typeProto = 13
        case typeProtos = 14
    }

    var name: String
    /// The declared type (nil when the raw value is not a known type).
    var kind: Kind?
    var f: Float?
    var i: Int64?
    var s: [UInt8]?
    var t: ONNXTensor?
    var floats: [Float]
    var ints: [Int64]
    var path: String
}

/// A `TensorProto`: dims, element type and the data in whichever field holds it.
struct ONNXTensor: Sendable {
    var name: String
    var dims: [Int64]
    /// `TensorProto.DataType`.
    var dataType: Int32
    var rawData: [UInt8]?
    var floatData: [Float]
    var int32Data: [Int64]
    var int64Data: [Int64]
    /// Whether the data lives in an external file (`data_location = EXTERNAL`).
    var isExternal: Bool
    var path: String
}

/// A `ValueInfoProto` with its tensor type: element type and shape (`nil` extents are symbolic
/// or unknown).
struct ONNXValueInfo: Sendable {
    var name: String
    var elementType: Int32?
    var shape: [Int64?]?
    var path: String
}

/// `TensorProto.DataType` values and names.
enum ONNXDataType {
    static let float: Int32 = 1
    static let uint8: Int32 = 2
    static let int8: Int32 = 3
    static let int32: Int32 = 6
    static let int64: Int32 = 7

    /// The type's name in onnx.proto (`FLOAT`, `INT8`, …) or `type N`.
    static func name(_ type: Int32) -> String {
        let names: [Int32: String] = [
            0: "UNDEFINED", 1: "FLOAT", 2: "UINT8", 3: "INT8", 4: "UINT16", 5: "INT16", 6: "INT32", 7: "INT64",
            8: "STRING", 9: "BOOL", 10: "FLOAT16", 11: "DOUBLE", 12: "UINT32", 13: "UINT64", 16: "BFLOAT16",
            17: "FLOAT8E4M3FN", 19: "FLOAT8E5M2", 21: "UINT4", 22: "INT4",
        ]
        return names[type] ?? "type \(type)"
    }
}
