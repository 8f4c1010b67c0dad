/// Constants of the `.q` model container (docs/model-format.md).
public enum QModelFormat {
    /// The newest format version this accsim reads and writes. A file is written at the lowest
    /// version that holds its graph (``requiredVersion(for:)``), so int8 models keep version 1.
    public static let version: UInt32 = 2
    /// The 8 bytes every `.q` file starts with: ASCII `ACCSIMQ` and `0x1A`.
    public static let magic: [UInt8] = Array("ACCSIMQ".utf8) + [0x1A]
    /// Size of the fixed header in bytes; the manifest starts right after it.
    public static let headerSize = 64
    /// Alignment of every constant blob (and of the first one's start after the manifest).
    public static let alignment = 64
    /// The only flags value version 1 defines.
    public static let flags: UInt32 = 0

    /// The lowest format version that can hold `graph`: 2 when a tensor is `int4` or `int64` or a
    /// conv / fully connected node states its accumulator type, else 1.
    public static func requiredVersion(for graph: Graph) -> UInt32 {
        if graph.tensors.contains(where: { $0.elementType == .int4 || $0.elementType == .int64 }) { return 2 }
        for node in graph.nodes {
            switch node.operation {
            case .conv2D(let p) where p.accumulator != nil: return 2
            case .fullyConnected(let p) where p.accumulator != nil: return 2
            default: continue
            }
        }
        return 1
    }

    /// `value` rounded up to a multiple of ``alignment`` (nil on overflow).
    static func aligned(_ value: Int) -> Int? {
        let (sum, overflow) = value.addingReportingOverflow(alignment - 1)
        return overflow ? nil : sum / alignment * alignment
    }
}
