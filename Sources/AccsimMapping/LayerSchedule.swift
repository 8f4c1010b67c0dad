import AccsimModel

/// The schedule of one layer: its mapping and its steps in order. Every layer reads its inputs
/// from DRAM and writes its output to DRAM (no inter-layer fusion).
public struct LayerSchedule: Sendable, Hashable {
    /// Index of the node in the graph.
    public var nodeIndex: Int
    /// The node's name.
    public var name: String
    /// The node's operation.
    public var kind: AccsimModel.Operation.Kind
    /// How the layer is mapped.
    public var work: LayerWork
    /// DMA transfers and compute steps in schedule order.
    public var steps: [ScheduleStep]

    /// A layer schedule as given.
    public init(nodeIndex: Int, name: String, kind: AccsimModel.Operation.Kind, work: LayerWork, steps: [ScheduleStep])
    {
        self.nodeIndex = nodeIndex
        self.name = name
        self.kind = kind
        self.work = work
        self.steps = steps
    }

    /// The GEMM plan, for a conv or fully connected layer.
    public var gemm: GEMMLayerPlan? {
        if case .gemm(let plan) = work { return plan }
        return nil
    }

    /// The vector plan, for a vector-unit layer.
    public var vector: VectorLayerPlan? {
        if case .vector(let plan) = work { return plan }
        return nil
    }

    /// The index in ``steps`` of the step with sequence number `sequence`, if it belongs to this
    /// layer.
    public func stepIndex(ofSequence sequence: Int) -> Int? {
        guard let first = steps.first?.sequence else { return nil }
        let index = sequence - first
        return steps.indices.contains(index) ? index : nil
    }

    /// The transfers, in order.
    public var transfers: [DMATransfer] { steps.compactMap(\.transfer) }

    /// The compute steps, in order.
    public var computeSteps: [ComputeStep] { steps.compactMap(\.compute) }
}
