import AccsimArithmetic

/// Constant tensor data as stored: little-endian elements of the tensor's element type (`int4`:
/// two's-complement nibbles, two per byte, the even element in the low nibble; an odd count leaves
/// the last high nibble 0).
public struct ConstantData: Sendable, Hashable {
    public var elementType: ElementType
    public var bytes: [UInt8]

    public init(elementType: ElementType, bytes: [UInt8]) {
        self.elementType = elementType
        self.bytes = bytes
    }

    /// Packs integer values (which must fit `elementType`) into little-endian bytes.
    public init(elementType: ElementType, values: [Int32]) {
        self.init(elementType: elementType, wideValues: values.map(Int64.init))
    }

    /// Packs integer values (which must fit `elementType`, checked) into little-endian bytes.
    public init(elementType: ElementType, wideValues values: [Int64]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(elementType.byteCount(elements: values.count))
        for (index, value) in values.enumerated() {
            precondition(elementType.contains(value), "ConstantData: \(value) does not fit \(elementType.rawValue)")
            if elementType == .int4 {
                let nibble = UInt8(truncatingIfNeeded: value) & 0x0F
                if index % 2 == 0 { bytes.append(nibble) } else { bytes[bytes.count - 1] |= nibble << 4 }
                continue
            }
            let pattern = UInt64(bitPattern: value)
            for byte in 0..<elementType.byteWidth {
                bytes.append(UInt8(truncatingIfNeeded: pattern >> (8 * UInt64(byte))))
            }
        }
        self.init(elementType: elementType, bytes: bytes)
    }

    /// Number of stored elements (`int4`: two per byte, so a padded odd count reads one more).
    public var count: Int { elementType == .int4 ? bytes.count * 2 : bytes.count / elementType.byteWidth }

    /// The elements widened to Int64 (the first `count`, default all stored ones).
    public func int64Values(count requested: Int? = nil) -> [Int64] {
        let n = requested ?? count
        var values = [Int64](repeating: 0, count: n)
        let width = elementType.byteWidth
        for i in 0..<n {
            switch elementType {
            case .int4:
                let byte = bytes[i / 2]
                let nibble = i % 2 == 0 ? byte & 0x0F : byte >> 4
                values[i] = Int64(Int8(bitPattern: nibble << 4) >> 4)
            case .uint8:
                values[i] = Int64(bytes[i])
            default:
                var pattern: UInt64 = 0
                for byte in 0..<width { pattern |= UInt64(bytes[i * width + byte]) << (8 * UInt64(byte)) }
                let unused = UInt64(64 - 8 * width)
                values[i] = Int64(bitPattern: pattern << unused) >> Int64(unused)
            }
        }
        return values
    }

    /// The elements widened to Int32 (`int64` elements are truncated: read them with
    /// ``int64Values(count:)``).
    public func int32Values(count requested: Int? = nil) -> [Int32] {
        let n = requested ?? count
        var values = [Int32](repeating: 0, count: n)
        bytes.withUnsafeBufferPointer { raw in
            values.withUnsafeMutableBufferPointer { out in
                switch elementType {
                case .int8:
                    for i in 0..<n { out[i] = Int32(Int8(bitPattern: raw[i])) }
                case .uint8:
                    for i in 0..<n { out[i] = Int32(raw[i]) }
                case .int16:
                    for i in 0..<n {
                        out[i] = Int32(Int16(bitPattern: UInt16(raw[2 * i]) | UInt16(raw[2 * i + 1]) << 8))
                    }
                case .int32:
                    for i in 0..<n {
                        let b = 4 * i
                        out[i] = Int32(
                            bitPattern: UInt32(raw[b]) | UInt32(raw[b + 1]) << 8 | UInt32(raw[b + 2]) << 16 | UInt32(
                                raw[b + 3]) << 24)
                    }
                case .int4, .int64:
                    let wide = int64Values(count: n)
                    for i in 0..<n { out[i] = Int32(truncatingIfNeeded: wide[i]) }
                }
            }
        }
        return values
    }
}

/// A quantized neural-network graph: tensors, constant data, nodes in execution order, the graph's
/// inputs and outputs, and free-form metadata (producer, source model, …).
///
/// A graph is only executed after ``validate()`` succeeded; validation establishes every invariant
/// the kernels rely on (shapes, types, single producers, acyclicity, parameter ranges).
public struct Graph: Sendable, Hashable {
    public var name: String
    public var tensors: [TensorInfo]
    public var constants: [String: ConstantData]
    public var nodes: [Node]
    public var inputs: [String]
    public var outputs: [String]
    public var metadata: [String: String]

    public init(
        name: String, tensors: [TensorInfo], constants: [String: ConstantData], nodes: [Node],
        inputs: [String], outputs: [String], metadata: [String: String] = [:]
    ) {
        self.name = name
        self.tensors = tensors
        self.constants = constants
        self.nodes = nodes
        self.inputs = inputs
        self.outputs = outputs
        self.metadata = metadata
    }

    /// The tensor named `name`, if any.
    public func tensor(named name: String) -> TensorInfo? {
        tensors.first { $0.name == name }
    }
}
