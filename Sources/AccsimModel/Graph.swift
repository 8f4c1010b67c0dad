import AccsimArithmetic

/// Constant tensor data as stored: little-endian elements of the tensor's element type.
public struct ConstantData: Sendable, Hashable {
    public var elementType: ElementType
    public var bytes: [UInt8]

    public init(elementType: ElementType, bytes: [UInt8]) {
        self.elementType = elementType
        self.bytes = bytes
    }

    /// Packs integer values (which must fit `elementType`) into little-endian bytes.
    public init(elementType: ElementType, values: [Int32]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * elementType.byteWidth)
        for value in values {
            switch elementType {
            case .int8, .uint8:
                bytes.append(UInt8(truncatingIfNeeded: value))
            case .int16:
                let v = UInt16(truncatingIfNeeded: value)
                bytes.append(UInt8(truncatingIfNeeded: v))
                bytes.append(UInt8(truncatingIfNeeded: v >> 8))
            case .int32:
                let v = UInt32(bitPattern: value)
                for byte in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(byte)))) }
            }
        }
        self.init(elementType: elementType, bytes: bytes)
    }

    /// Number of elements.
    public var count: Int { bytes.count / elementType.byteWidth }

    /// The elements widened to Int32.
    public func int32Values() -> [Int32] {
        let n = count
        var values = [Int32](repeating: 0, count: n)
        bytes.withUnsafeBufferPointer { raw in
            values.withUnsafeMutableBufferPointer { out in
                switch elementType {
                case .int8:
                    for i in 0..<n { out[i] = Int32(Int8(bitPattern: raw[i])) }
                case .uint8:
                    for i in 0..<n { out[i] = Int32(raw[i]) }
                case .int16:
                    for i in 0..<n { out[i] = Int32(Int16(bitPattern: UInt16(raw[2 * i]) | UInt16(raw[2 * i + 1]) << 8)) }
                case .int32:
                    for i in 0..<n {
                        let b = 4 * i
                        out[i] = Int32(bitPattern: UInt32(raw[b]) | UInt32(raw[b + 1]) << 8 | UInt32(raw[b + 2]) << 16 | UInt32(raw[b + 3]) << 24)
                    }
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
