/// The integer element types a quantized tensor can hold.
///
/// Activations are `int8`, `uint8` or `int16`; weights `int8`, `uint8`, `int16` or `int4`
/// (stored packed, two per byte, low nibble first); biases `int32` or `int64`. `int32` and `int64`
/// are also the accumulator types of convolution and fully connected layers.
public enum ElementType: String, Sendable, Hashable, Codable, CaseIterable {
    case int4
    case int8
    case uint8
    case int16
    case int32
    case int64

    /// Width of one element in bits.
    public var bitWidth: Int {
        switch self {
        case .int4: 4
        case .int8, .uint8: 8
        case .int16: 16
        case .int32: 32
        case .int64: 64
        }
    }

    /// Size of one element's storage unit in bytes (`int4` shares its byte with a neighbour: use
    /// ``byteCount(elements:)`` for sizes).
    public var byteWidth: Int { max(1, bitWidth / 8) }

    /// Bytes that `elements` packed elements occupy (`int4`: two per byte, rounded up).
    public func byteCount(elements: Int) -> Int {
        self == .int4 ? (elements + 1) / 2 : elements * byteWidth
    }

    /// The smallest representable value as Int64.
    public var lowerBound: Int64 {
        switch self {
        case .int4: -8
        case .int8: -128
        case .uint8: 0
        case .int16: -32768
        case .int32: Int64(Int32.min)
        case .int64: .min
        }
    }

    /// The largest representable value as Int64.
    public var upperBound: Int64 {
        switch self {
        case .int4: 7
        case .int8: 127
        case .uint8: 255
        case .int16: 32767
        case .int32: Int64(Int32.max)
        case .int64: .max
        }
    }

    /// The smallest representable value, clamped to the Int32 range (`int64` is a bias and
    /// accumulator type, never a clamp range).
    public var minValue: Int32 { Int32(clamping: lowerBound) }

    /// The largest representable value, clamped to the Int32 range.
    public var maxValue: Int32 { Int32(clamping: upperBound) }

    /// Whether `value` is representable in this type.
    public func contains(_ value: Int64) -> Bool {
        value >= lowerBound && value <= upperBound
    }

    /// Whether this type can hold activations (the tensors between layers).
    public var isActivationType: Bool { self == .int8 || self == .uint8 || self == .int16 }

    /// Whether this type can hold the weights of a convolution or fully connected layer.
    public var isWeightType: Bool { self == .int4 || self == .int8 || self == .uint8 || self == .int16 }
}
