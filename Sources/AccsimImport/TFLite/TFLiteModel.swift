/// The decoded structure of a `.tflite` file, as far as the importer needs it: the operator codes,
/// the buffers, and the first subgraph (the model's main graph). Options tables of operators stay
/// undecoded (``TFLiteOperator/options``) until the converter for that operator reads them.
struct TFLiteModel: Sendable {
    /// The schema version (`Model.version`).
    var version: UInt32
    var description: String?
    var operatorCodes: [TFLiteOperatorCode]
    var buffers: [TFLiteBuffer]
    /// `subgraphs[0]`.
    var subgraph: TFLiteSubGraph
    /// The whole file, for buffer contents and errors.
    var file: FlatBuffer
}

/// An `OperatorCode`: which builtin (or custom) operator an operator index refers to.
struct TFLiteOperatorCode: Sendable {
    /// `max(deprecated_builtin_code, builtin_code)`, as LiteRT resolves it.
    var builtin: TFLiteBuiltinOperator
    var customCode: String?
    var version: Int32
}

/// A `Buffer`: the byte range of its data inside the file (empty for tensors without data).
struct TFLiteBuffer: Sendable {
    var data: Range<Int>
}

/// A `SubGraph`.
struct TFLiteSubGraph: Sendable {
    var name: String?
    var tensors: [TFLiteTensor]
    var inputs: [Int32]
    var outputs: [Int32]
    var operators: [TFLiteOperator]
}

/// A `Tensor`.
struct TFLiteTensor: Sendable {
    /// Index in the subgraph's tensor list.
    var index: Int
    var name: String
    var shape: [Int32]
    /// The stored `TensorType` value (see ``TFLiteSchema/TensorType``).
    var type: Int8
    /// Index into the model's buffers (0: no data).
    var buffer: UInt32
    var quantization: TFLiteQuantization?
    var isVariable: Bool
    var isSparse: Bool
    /// Field path in the file, for errors (`subgraphs[0].tensors[12]`).
    var path: String

    /// The element type, if it is one the schema defines.
    var tensorType: TFLiteSchema.TensorType? { TFLiteSchema.TensorType(rawValue: type) }

    /// `tensor 12 'name'`, as errors name a tensor.
    var label: String { "tensor \(index) '\(name)'" }
}

/// `QuantizationParameters`: affine scales and zero points, per tensor or per channel along
/// `quantizedDimension`.
struct TFLiteQuantization: Sendable {
    var scales: [Float]
    var zeroPoints: [Int64]
    var quantizedDimension: Int32
    /// Whether `details` (custom quantization) is set, which the importer does not support.
    var hasDetails: Bool

    /// Whether any quantization is present at all (the converter writes empty tables too).
    var isEmpty: Bool { scales.isEmpty && zeroPoints.isEmpty && !hasDetails }
}

/// An `Operator`.
struct TFLiteOperator: Sendable {
    /// Index in the subgraph's operator list (execution order).
    var index: Int
    var opcodeIndex: UInt32
    /// Tensor indices; −1 marks an absent optional input.
    var inputs: [Int32]
    var outputs: [Int32]
    /// The `BuiltinOptions` union type id (0: none).
    var optionsType: UInt8
    /// The options table, when present.
    var options: FlatTable?
    /// Field path in the file (`subgraphs[0].operators[3]`).
    var path: String
}
