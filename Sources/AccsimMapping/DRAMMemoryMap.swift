import AccsimModel

/// The DRAM placement of every tensor of a graph: constants and activations alike, each in a
/// 64-byte-aligned region, allocated in graph tensor order from address 0. The output of a reshape
/// moves no data, so it gets no region of its own: it aliases its input's region.
public struct DRAMMemoryMap: Sendable, Hashable {
    /// Alignment of every region, in bytes.
    public static let alignment = 64

    /// One region per tensor, in graph tensor order.
    public var regions: [DRAMRegion]
    /// Bytes of DRAM the allocation spans (the end of the last region, rounded up to the alignment).
    public var totalBytes: Int

    private var indexByTensor: [String: Int]

    /// Allocates `graph`'s tensors.
    public init(graph: Graph) {
        var aliases: [String: String] = [:]
        for node in graph.nodes {
            if case .reshape = node.operation, let input = node.inputs.first, let output = node.outputs.first {
                aliases[output] = aliases[input] ?? input
            }
        }
        var regions: [DRAMRegion] = []
        var index: [String: Int] = [:]
        var next = 0
        for tensor in graph.tensors where aliases[tensor.name] == nil {
            index[tensor.name] = regions.count
            regions.append(DRAMRegion(tensor: tensor.name, address: next, bytes: tensor.byteCount))
            next += Self.roundUp(tensor.byteCount)
        }
        for tensor in graph.tensors {
            guard let root = aliases[tensor.name] else { continue }
            let address = index[root].map { regions[$0].address } ?? next
            index[tensor.name] = regions.count
            regions.append(DRAMRegion(tensor: tensor.name, address: address, bytes: tensor.byteCount, aliasOf: root))
        }
        // Keep graph tensor order for readers.
        let order = Dictionary(uniqueKeysWithValues: graph.tensors.enumerated().map { ($1.name, $0) })
        regions.sort { (order[$0.tensor] ?? .max) < (order[$1.tensor] ?? .max) }
        self.regions = regions
        self.indexByTensor = Dictionary(uniqueKeysWithValues: regions.enumerated().map { ($1.tensor, $0) })
        self.totalBytes = next
    }

    /// The region of `tensor`, if the graph has such a tensor.
    public func region(of tensor: String) -> DRAMRegion? {
        indexByTensor[tensor].map { regions[$0] }
    }

    /// The address of `tensor`'s first byte, if the graph has such a tensor.
    public func address(of tensor: String) -> Int? {
        region(of: tensor)?.address
    }

    static func roundUp(_ bytes: Int) -> Int {
        (bytes + alignment - 1) / alignment * alignment
    }
}
