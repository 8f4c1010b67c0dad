import AccsimArithmetic
import AccsimHardware
import AccsimModel
import AccsimTiming

/// Maps a validated graph onto a hardware config: lowers every node (conv and fully connected to
/// GEMMs on the array, the rest to vector-unit work, reshape to nothing), tiles GEMMs to fit the
/// SRAM buffers in the loop order that reads the least DRAM (``TilingSearch``), and orders the DMA
/// transfers and compute steps into a ``Schedule``. Every layer reads its inputs from DRAM and
/// writes its output back (no inter-layer fusion).
public struct Mapper: Sendable {
    /// The hardware mapped onto.
    public var hardware: HardwareConfig
    /// The cycles of one fold of the array.
    public var foldCycles: FoldCycleFunction

    /// A mapper for `hardware` whose fold cycles come from `foldCycles`.
    public init(hardware: HardwareConfig, foldCycles: @escaping FoldCycleFunction) {
        self.hardware = hardware
        self.foldCycles = foldCycles
    }

    /// A mapper for `hardware` with AccsimTiming's analytic fold cycles for its array and
    /// convention.
    public init(hardware: HardwareConfig) {
        self.init(hardware: hardware, foldCycles: analyticFoldCycles(for: hardware))
    }

    /// The schedule of `graph`, which must have passed `validate()`.
    public func schedule(_ graph: Graph) throws(MappingError) -> Schedule {
        let memory = DRAMMemoryMap(graph: graph)
        var layers: [LayerSchedule] = []
        layers.reserveCapacity(graph.nodes.count)
        var sequence = 0
        for (index, node) in graph.nodes.enumerated() {
            let layer = try schedule(node: node, index: index, in: graph, memory: memory, firstSequence: sequence)
            sequence += layer.steps.count
            layers.append(layer)
        }
        return Schedule(graphName: graph.name, hardware: hardware, memory: memory, layers: layers)
    }

    /// The schedule of one node, its steps numbered from `firstSequence`.
    public func schedule(node: Node, index: Int, in graph: Graph, memory: DRAMMemoryMap, firstSequence: Int) throws(MappingError) -> LayerSchedule {
        let spaces = BufferSpace.all(of: hardware)
        let emitter = StepEmitter(input: spaces.input, weight: spaces.weight, output: spaces.output)
        let layout = FoldLayout(dataflow: hardware.array.dataflow, rows: hardware.array.rows, cols: hardware.array.cols)

        if var lowering = try GEMMLowering.lower(node, in: graph) {
            if let x = graph.tensor(named: lowering.input), let w = graph.tensor(named: lowering.weights) {
                lowering.activationSlices = MultiPass.slices(
                    operandBits: x.elementType == .uint8 ? 8 : x.elementType.bitWidth, multiplierBits: hardware.array.inputType.bitWidth)
                lowering.weightSlices = MultiPass.slices(
                    operandBits: w.elementType == .uint8 ? 8 : w.elementType.bitWidth, multiplierBits: hardware.array.weightType.bitWidth)
            }
            let search = TilingSearch(lowering: lowering, layout: layout, input: spaces.input, weight: spaces.weight, output: spaces.output)
            let choice = try search.choose(layer: node.name)
            let builder = GEMMItemBuilder(
                lowering: lowering, tiling: choice.tiling, layout: layout, memory: memory,
                requantizerLanes: hardware.requantizer.lanes, foldCycles: foldCycles)
            let (items, cycles) = builder.build()
            var parameters: [PendingTransfer] = []
            if let bias = lowering.bias, lowering.biasBytes > 0 {
                parameters.append(PendingTransfer(
                    direction: .load, buffer: .parameters, tensor: bias, dramAddress: memory.address(of: bias) ?? 0,
                    pattern: .contiguous(lowering.biasBytes)))
            }
            let steps = emitter.emit(parameterLoads: parameters, items: items, firstSequence: firstSequence)
            let plan = GEMMLayerPlan(lowering: lowering, tiling: choice.tiling, estimates: choice.estimates,
                                     layout: layout, foldCycles: cycles)
            return LayerSchedule(nodeIndex: index, name: node.name, kind: node.operation.kind, work: .gemm(plan), steps: steps)
        }

        let planner = VectorPlanner(hardware: hardware, memory: memory, input: spaces.input, output: spaces.output)
        guard let (plan, items) = try planner.plan(node, in: graph) else {
            return LayerSchedule(nodeIndex: index, name: node.name, kind: node.operation.kind, work: .idle, steps: [])
        }
        let steps = emitter.emit(parameterLoads: [], items: items, firstSequence: firstSequence)
        return LayerSchedule(nodeIndex: index, name: node.name, kind: node.operation.kind, work: .vector(plan), steps: steps)
    }
}
