/// The parts of the TFLite schema (`schema.fbs`, version 3) that the importer reads: enums and
/// the field ids of each table. Field ids are the declaration order in the schema; a union takes
/// two ids (its type, then its value).
enum TFLiteSchema {
    /// The only schema version LiteRT accepts.
    static let version: UInt32 = 3
    /// The file identifier at bytes 4..<8.
    static let fileIdentifier: [UInt8] = Array("TFL3".utf8)

    /// `TensorType`.
    enum TensorType: Int8, Sendable {
        case float32 = 0, float16 = 1, int32 = 2, uint8 = 3, int64 = 4, string = 5, bool = 6, int16 = 7
        case complex64 = 8, int8 = 9, float64 = 10, complex128 = 11, uint64 = 12, resource = 13, variant = 14
        case uint32 = 15, uint16 = 16, int4 = 17, bfloat16 = 18

        /// The schema name, as errors show it.
        var name: String { String(describing: self).uppercased() }

        /// A readable name for any stored value, known or not.
        static func name(of raw: Int8) -> String {
            TensorType(rawValue: raw)?.name ?? "unknown type \(raw)"
        }
    }

    /// `ActivationFunctionType`.
    enum Activation: Int8, Sendable {
        case none = 0, relu = 1, reluN1To1 = 2, relu6 = 3, tanh = 4, signBit = 5

        var name: String {
            switch self {
            case .none: "NONE"
            case .relu: "RELU"
            case .reluN1To1: "RELU_N1_TO_1"
            case .relu6: "RELU6"
            case .tanh: "TANH"
            case .signBit: "SIGN_BIT"
            }
        }
    }

    /// `Padding`.
    enum Padding: Int8, Sendable {
        case same = 0, valid = 1
    }

    /// `BuiltinOptions` union type ids of the options the importer reads.
    enum OptionsType: UInt8, Sendable {
        case conv2D = 1, depthwiseConv2D = 2, pool2D = 5, fullyConnected = 8, softmax = 9
        case concatenation = 10, add = 11, reshape = 17, pad = 22, reducer = 27, quantize = 89

        var name: String {
            switch self {
            case .conv2D: "Conv2DOptions"
            case .depthwiseConv2D: "DepthwiseConv2DOptions"
            case .pool2D: "Pool2DOptions"
            case .fullyConnected: "FullyConnectedOptions"
            case .softmax: "SoftmaxOptions"
            case .concatenation: "ConcatenationOptions"
            case .add: "AddOptions"
            case .reshape: "ReshapeOptions"
            case .pad: "PadOptions"
            case .reducer: "ReducerOptions"
            case .quantize: "QuantizeOptions"
            }
        }
    }

    /// Field ids of `Model`.
    enum ModelField {
        static let version = 0, operatorCodes = 1, subgraphs = 2, description = 3, buffers = 4
    }

    /// Field ids of `OperatorCode`.
    enum OperatorCodeField {
        static let deprecatedBuiltinCode = 0, customCode = 1, version = 2, builtinCode = 3
    }

    /// Field ids of `SubGraph`.
    enum SubGraphField {
        static let tensors = 0, inputs = 1, outputs = 2, operators = 3, name = 4
    }

    /// Field ids of `Tensor`.
    enum TensorField {
        static let shape = 0, type = 1, buffer = 2, name = 3, quantization = 4, isVariable = 5, sparsity = 6
    }

    /// Field ids of `QuantizationParameters`.
    enum QuantizationField {
        static let min = 0, max = 1, scale = 2, zeroPoint = 3, detailsType = 4, details = 5, quantizedDimension = 6
    }

    /// Field ids of `Buffer`.
    enum BufferField {
        static let data = 0, offset = 1, size = 2
    }

    /// Field ids of `Operator`.
    enum OperatorField {
        static let opcodeIndex = 0, inputs = 1, outputs = 2, builtinOptionsType = 3, builtinOptions = 4
        static let customOptions = 5, intermediates = 8, builtinOptions2Type = 11
    }
}
