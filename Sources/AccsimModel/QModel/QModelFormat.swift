/// Constants of the `.q` model container (docs/model-format.md).
public enum QModelFormat {
    /// The newest format version this accsim reads. Writers use the lowest version that holds a
    /// graph (``version(for:)``), so files without version 2 features stay version 1.
    public static let version: UInt32 = 2

    /// 2 when the graph uses a feature version 2 added — a tensor's `layout` or `float_input`, an
    /// avg_pool's `average`, an `int4` or `int64` tensor, a conv / fully connected `accumulator`, an
    /// `int16_activation` or `int16_softmax` node —
    /// else 1.
    public static func version(for graph: Graph) -> UInt32 {
        let tensorKeys = graph.tensors.contains { $0.layout != nil || $0.floatInput != nil }
        let wideTypes = graph.tensors.contains { $0.elementType == .int4 || $0.elementType == .int64 }
        let nodeKeys = graph.nodes.contains { node in
            switch node.operation {
            case .avgPool(let p): p.average != nil
            case .conv2D(let p): p.accumulator != nil
            case .fullyConnected(let p): p.accumulator != nil
            case .int16Activation, .int16Softmax: true
            default: false
            }
        }
        return tensorKeys || wideTypes || nodeKeys ? 2 : 1
    }

    /// The 8 bytes every `.q` file starts with: ASCII `ACCSIMQ` and `0x1A`.
    public static let magic: [UInt8] = Array("ACCSIMQ".utf8) + [0x1A]
    /// Size of the fixed header in bytes; the manifest starts right after it.
    public static let headerSize = 64
    /// Alignment of every constant blob (and of the first one's start after the manifest).
    public static let alignment = 64
    /// The only flags value version 1 defines.
    public static let flags: UInt32 = 0

    /// `value` rounded up to a multiple of ``alignment`` (nil on overflow).
    static func aligned(_ value: Int) -> Int? {
        let (sum, overflow) = value.addingReportingOverflow(alignment - 1)
        return overflow ? nil : sum / alignment * alignment
    }
}
