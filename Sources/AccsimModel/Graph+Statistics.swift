/// Static per-node figures of a validated graph: work and parameter sizes.
extension Graph {
    /// Multiply-accumulate operations of `node` for one sample (batch 1 as declared): conv and
    /// fully connected layers only; elementwise and pooling work is not counted as MACs.
    public func macs(of node: Node) -> Int {
        switch node.operation {
        case .conv2D:
            // Each output element takes KH·KW·(Cin/groups) products: weights are [Cout, KH, KW, Cin/groups].
            guard let w = tensor(named: node.inputs[1]), let out = tensor(named: node.outputs[0]) else { return 0 }
            return out.elementCount * w.shape[1] * w.shape[2] * w.shape[3]
        case .fullyConnected:
            guard let w = tensor(named: node.inputs[1]), let out = tensor(named: node.outputs[0]) else { return 0 }
            return out.elementCount * w.shape[1]
        default:
            return 0
        }
    }

    /// Bytes of constant data (weights and biases) `node` reads, at their stored widths.
    public func parameterBytes(of node: Node) -> Int {
        node.inputs.reduce(0) { $0 + (constants[$1]?.bytes.count ?? 0) }
    }

    /// The graph's total MACs for one sample.
    public var totalMACs: Int { nodes.reduce(0) { $0 + macs(of: $1) } }

    /// The graph's total constant bytes.
    public var totalParameterBytes: Int { constants.values.reduce(0) { $0 + $1.bytes.count } }
}
