import AccsimArithmetic

/// A tensor of the graph: its name, shape, element type and quantization. Activations are NHWC
/// (or `[N, D]` after a flatten); the first dimension of a graph input is the batch.
public struct TensorInfo: Sendable, Hashable, Codable {
    public var name: String
    public var shape: [Int]
    public var elementType: ElementType
    public var quantization: Quantization?
    /// The framework's layout of a rank-4 graph input or output (nil: NHWC); format version 2.
    public var layout: TensorLayout?
    /// How a float32 input becomes this graph input's stored values (nil: integer input only);
    /// format version 2.
    public var floatInput: FloatInputQuantization?

    enum CodingKeys: String, CodingKey {
        case name, shape
        case elementType = "type"
        case quantization
        case layout
        case floatInput = "float_input"
    }

    public init(
        name: String, shape: [Int], elementType: ElementType, quantization: Quantization? = nil,
        layout: TensorLayout? = nil, floatInput: FloatInputQuantization? = nil
    ) {
        self.name = name
        self.shape = shape
        self.elementType = elementType
        self.quantization = quantization
        self.layout = layout
        self.floatInput = floatInput
    }

    /// Number of elements.
    public var elementCount: Int { shape.reduce(1, *) }

    /// Size in bytes at the element type's width (`int4`: two elements per byte).
    public var byteCount: Int { elementType.byteCount(elements: elementCount) }

    /// The zero point of channel `channel` (0 when unquantized).
    public func zeroPoint(channel: Int = 0) -> Int32 {
        quantization?.zeroPoint(channel: channel) ?? 0
    }
}
