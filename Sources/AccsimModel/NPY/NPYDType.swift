import AccsimArithmetic

/// The element types accsim reads and writes in `.npy` files, all little-endian (or single
/// bytes, where byte order does not apply).
public enum NPYDType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `|i1`
    case int8
    /// `|u1`
    case uint8
    /// `<i2`
    case int16
    /// `<i4`
    case int32
    /// `<i8`
    case int64
    /// `<f4`
    case float32

    /// The NumPy type string written in headers (`|i1`, `<i4`, …).
    public var descr: String {
        switch self {
        case .int8: "|i1"
        case .uint8: "|u1"
        case .int16: "<i2"
        case .int32: "<i4"
        case .int64: "<i8"
        case .float32: "<f4"
        }
    }

    /// Bytes per element.
    public var itemSize: Int {
        switch self {
        case .int8, .uint8: 1
        case .int16: 2
        case .int32, .float32: 4
        case .int64: 8
        }
    }

    /// The tensor element type of an integer dtype; nil for `float32`.
    public var elementType: ElementType? {
        switch self {
        case .int8: .int8
        case .uint8: .uint8
        case .int16: .int16
        case .int32: .int32
        case .int64: .int64
        case .float32: nil
        }
    }

    /// The dtype storing a tensor element type (`int4` values are stored one per `int8`).
    public init(_ elementType: ElementType) {
        switch elementType {
        case .int4, .int8: self = .int8
        case .int64: self = .int64
        case .uint8: self = .uint8
        case .int16: self = .int16
        case .int32: self = .int32
        }
    }

    /// The dtype of a header's type string. Single-byte types accept any byte-order mark
    /// (`|`, `<`, `>`, `=`); wider types must be little-endian (`<`).
    init(descr: String) throws(ModelError) {
        let supported = "accsim reads int8 (|i1), uint8 (|u1), int16 (<i2), int32 (<i4), int64 (<i8) and float32 (<f4)"
        guard let order = descr.first, "|<>=".contains(order) else {
            throw ModelError(field: "descr", "dtype '\(descr)' is not supported (\(supported))")
        }
        let code = descr.dropFirst()
        switch code {
        case "i1": self = .int8
        case "u1": self = .uint8
        case "i2", "i4", "i8", "f4":
            guard order == "<" else {
                if order == ">" {
                    throw ModelError(
                        field: "descr",
                        "dtype '\(descr)' is big-endian; accsim reads little-endian data (convert with arr.astype('<\(code)'))"
                    )
                }
                throw ModelError(
                    field: "descr", "dtype '\(descr)' does not state little-endian byte order ('<\(code)')")
            }
            self = code == "i2" ? .int16 : code == "i4" ? .int32 : code == "i8" ? .int64 : .float32
        default:
            throw ModelError(field: "descr", "dtype '\(descr)' is not supported (\(supported))")
        }
    }

    /// The name (`int8`, `float32`, …).
    public var description: String { rawValue }
}
