import AccsimArithmetic

/// An operation of the quantized graph with its full attributes. The attribute structs live in
/// AccsimArithmetic next to the kernels that define their semantics.
///
/// Inputs by operation (names refer to tensors):
/// - `conv2d`: input, weights `[Cout, KH, KW, Cin/groups]`, optional bias `[Cout]` (int32).
/// - `fully_connected`: input `[N, D]`, weights `[O, D]`, optional bias `[O]` (int32).
/// - `add`: two inputs of the same shape. `concat`: two or more inputs.
/// - every other operation: one input. Every operation has exactly one output.
public enum Operation: Sendable, Hashable {
    case conv2D(Conv2DParameters)
    case fullyConnected(FullyConnectedParameters)
    case add(AddParameters)
    case concat(ConcatParameters)
    case maxPool(MaxPoolParameters)
    case avgPool(AvgPoolParameters)
    case mean(MeanParameters)
    case clamp(ClampParameters)
    case leakyRelu(LeakyReluParameters)
    case lookupTable(LookupTableParameters)
    case requantize(Requantizer)
    case reshape(ReshapeParameters)
    case pad(PadParameters)
    case softmax(SoftmaxParameters)
    /// LiteRT's int16 LOGISTIC / TANH (table interpolation, int16 in and out).
    case int16Activation(Int16ActivationParameters)
    /// LiteRT's int16 SOFTMAX (exp and reciprocal tables, int16 in and out).
    case int16Softmax(Int16SoftmaxParameters)

    /// The operation's name in the model file (`"op"` field).
    public var kind: Kind {
        switch self {
        case .conv2D: .conv2D
        case .fullyConnected: .fullyConnected
        case .add: .add
        case .concat: .concat
        case .maxPool: .maxPool
        case .avgPool: .avgPool
        case .mean: .mean
        case .clamp: .clamp
        case .leakyRelu: .leakyRelu
        case .lookupTable: .lookupTable
        case .requantize: .requantize
        case .reshape: .reshape
        case .pad: .pad
        case .softmax: .softmax
        case .int16Activation: .int16Activation
        case .int16Softmax: .int16Softmax
        }
    }

    /// Operation names as written in the model file.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case conv2D = "conv2d"
        case fullyConnected = "fully_connected"
        case add
        case concat
        case maxPool = "max_pool"
        case avgPool = "avg_pool"
        case mean
        case clamp
        case leakyRelu = "leaky_relu"
        case lookupTable = "lookup_table"
        case requantize
        case reshape
        case pad
        case softmax
        case int16Activation = "int16_activation"
        case int16Softmax = "int16_softmax"
    }

    /// The requantizer that produces this operation's output, if it has one.
    public var outputRequantizer: Requantizer? {
        switch self {
        case .conv2D(let p): p.requantizer
        case .fullyConnected(let p): p.requantizer
        case .add(let p): p.output
        case .mean(let p): p.requantizer
        case .requantize(let r): r
        default: nil
        }
    }
}

/// One node of the graph: a named operation reading `inputs` and writing `outputs` (tensor names).
public struct Node: Sendable, Hashable {
    public var name: String
    public var operation: Operation
    public var inputs: [String]
    public var outputs: [String]

    public init(name: String, operation: Operation, inputs: [String], outputs: [String]) {
        self.name = name
        self.operation = operation
        self.inputs = inputs
        self.outputs = outputs
    }
}
