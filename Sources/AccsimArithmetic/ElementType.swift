/// The integer element types a quantized tensor can hold.
public enum ElementType: String, Sendable, Hashable, Codable, CaseIterable {
    case int8
    case uint8
    case int16
    case int32

    /// Size of one element in bytes.
    public var byteWidth: Int {
        switch self {
        case .int8, .uint8: 1
        case .int16: 2
        case .int32: 4
        }
    }

    /// The smallest representable value.
    public var minValue: Int32 {
        switch self {
        case .int8: -128
        case .uint8: 0
        case .int16: -32768
        case .int32: .min
        }
    }

    /// The largest representable value.
    public var maxValue: Int32 {
        switch self {
        case .int8: 127
        case .uint8: 255
        case .int16: 32767
        case .int32: .max
        }
    }

    /// Whether `value` is representable in this type.
    public func contains(_ value: Int64) -> Bool {
        value >= Int64(minValue) && value <= Int64(maxValue)
    }
}
