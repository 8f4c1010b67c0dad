import AccsimArithmetic
import AccsimHardware
import AccsimModel
import AccsimSuggestions
import AccsimTiming

/// Maps a validated graph onto a hardware config: lowers every node (conv and fully connected to
/// GEMMs on the array, the rest to vector-unit work, reshape to nothing), tiles GEMMs to fit the
/// SRAM buffers with the tile sizes and loop order that minimise `mapping.objective` (``TilingSearch``), and orders the DMA
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
        var choices = ChoiceMemo()
        for (index, node) in graph.nodes.enumerated() {
            let layer = try schedule(
                node: node, index: index, in: graph, memory: memory, firstSequence: sequence, choices: &choices)
            sequence += layer.steps.count
            layers.append(layer)
        }
        return Schedule(graphName: graph.name, hardware: hardware, memory: memory, layers: layers)
    }

    /// The schedule of one node, its steps numbered from `firstSequence`.
    public func schedule(node: Node, index: Int, in graph: Graph, memory: DRAMMemoryMap, firstSequence: Int)
        throws(MappingError) -> LayerSchedule
    {
        var choices = ChoiceMemo()
        return try schedule(
            node: node, index: index, in: graph, memory: memory, firstSequence: firstSequence, choices: &choices)
    }

    /// The searched choice of every mapping problem met so far, keyed by the lowering without its tensor
    /// names: ResNet repeats layer shapes, and a repeated shape on the same hardware is the same problem,
    /// so its search (bounds, candidates built) runs once and later layers build only the chosen tiling.
    struct ChoiceMemo {
        struct Choice {
            var tiling: GEMMTiling
            var score: MappingScore
            var estimates: [DRAMReadEstimate]
            var candidates: Int
            var evaluated: Int
        }
        var choices: [GEMMLowering: Choice] = [:]

        /// The key of `lowering`: its shape, geometry, element sizes and bias presence, not its names.
        static func key(_ lowering: GEMMLowering) -> GEMMLowering {
            var key = lowering
            key.input = ""
            key.weights = ""
            key.output = ""
            key.bias = lowering.bias == nil ? nil : ""
            return key
        }
    }

    func schedule(
        node: Node, index: Int, in graph: Graph, memory: DRAMMemoryMap, firstSequence: Int,
        choices: inout ChoiceMemo
    ) throws(MappingError) -> LayerSchedule {
        let spaces = BufferSpace.all(of: hardware)
        let emitter = StepEmitter(input: spaces.input, weight: spaces.weight, output: spaces.output)
        let layout = FoldLayout(dataflow: hardware.array.dataflow, rows: hardware.array.rows, cols: hardware.array.cols)

        if var lowering = try GEMMLowering.lower(node, in: graph) {
            if let x = graph.tensor(named: lowering.input), let w = graph.tensor(named: lowering.weights) {
                // Operands wider than the multipliers run in passes (MultiPass, docs/arithmetic.md).
                lowering.activationSlices = MultiPass.slices(
                    operandBits: x.elementType == .uint8 ? 8 : x.elementType.bitWidth,
                    multiplierBits: hardware.array.inputType.bitWidth)
                lowering.weightSlices = MultiPass.slices(
                    operandBits: w.elementType == .uint8 ? 8 : w.elementType.bitWidth,
                    multiplierBits: hardware.array.weightType.bitWidth)
            }
            let key = ChoiceMemo.key(lowering)
            let known: ChoiceMemo.Choice
            if let memo = choices.choices[key] {
                known = memo
            } else {
                // Candidates are scored without being built (TilingScorer); only the choice is built.
                let search = gemmSearch(lowering, layout: layout, spaces: spaces)
                let choice = try search.choose(layer: node.name)
                known = ChoiceMemo.Choice(
                    tiling: choice.best.tiling, score: choice.best.score, estimates: choice.estimates,
                    candidates: choice.candidates, evaluated: choice.evaluated)
                choices.choices[key] = known
            }
            var layer = gemmLayer(
                node: node, index: index, lowering: lowering, tiling: known.tiling, layout: layout,
                memory: memory, emitter: emitter, firstSequence: firstSequence)
            let score = known.score
            assert(self.score(of: layer) == score, "layer '\(node.name)': scorer and built schedule disagree")
            if case .gemm(var plan) = layer.work {
                plan.estimates = known.estimates
                plan.objective = hardware.mapping.objective
                plan.score = score
                plan.candidates = known.candidates
                plan.evaluated = known.evaluated
                layer.work = .gemm(plan)
            }
            return layer
        }

        let planner = VectorPlanner(hardware: hardware, memory: memory, input: spaces.input, output: spaces.output)
        guard let (plan, items) = try planner.plan(node, in: graph) else {
            return LayerSchedule(nodeIndex: index, name: node.name, kind: node.operation.kind, work: .idle, steps: [])
        }
        let steps = emitter.emit(parameterLoads: [], items: items, firstSequence: firstSequence)
        return LayerSchedule(
            nodeIndex: index, name: node.name, kind: node.operation.kind, work: .vector(plan), steps: steps)
    }

    /// The `count` best tilings of the conv or fully connected node `name` under the configured
    /// objective, best first, each built and timed (for `accsim map`); nil for another operation.
    public func rankTilings(of name: String, in graph: Graph, count: Int) throws(MappingError) -> TilingRanking? {
        guard let index = graph.nodes.firstIndex(where: { $0.name == name }) else {
            throw MappingError(
                layer: name, "no such node in the graph" + Suggestion.didYouMean(name, among: graph.nodes.map(\.name)))
        }
        let node = graph.nodes[index]
        guard let lowering = try GEMMLowering.lower(node, in: graph) else { return nil }
        let spaces = BufferSpace.all(of: hardware)
        let layout = FoldLayout(dataflow: hardware.array.dataflow, rows: hardware.array.rows, cols: hardware.array.cols)
        let search = gemmSearch(lowering, layout: layout, spaces: spaces)
        let choice = try search.choose(layer: name, keep: max(1, count))
        return TilingRanking(
            layer: name, objective: hardware.mapping.objective, lowering: lowering, candidates: choice.candidates,
            evaluated: choice.evaluated,
            ranked: choice.ranked.map { TilingRanking.Entry(tiling: $0.tiling, score: $0.score) })
    }

    /// The schedule of the conv or fully connected node at `index` with the given tiling instead of
    /// the searched one (tests derive a tiling's steps and cycles by hand), its steps numbered from
    /// 0; nil for another operation.
    func schedule(nodeAt index: Int, in graph: Graph, tiling: GEMMTiling) throws(MappingError) -> LayerSchedule? {
        let node = graph.nodes[index]
        guard let lowering = try GEMMLowering.lower(node, in: graph) else { return nil }
        let spaces = BufferSpace.all(of: hardware)
        let emitter = StepEmitter(input: spaces.input, weight: spaces.weight, output: spaces.output)
        let layout = FoldLayout(dataflow: hardware.array.dataflow, rows: hardware.array.rows, cols: hardware.array.cols)
        var layer = gemmLayer(
            node: node, index: index, lowering: lowering, tiling: tiling, layout: layout,
            memory: DRAMMemoryMap(graph: graph), emitter: emitter, firstSequence: 0)
        let search = gemmSearch(lowering, layout: layout, spaces: spaces)
        if case .gemm(var plan) = layer.work {
            plan.estimates = LoopOrder.allCases.map {
                search.estimate($0, m: tiling.mTile, kUnits: tiling.kTile / lowering.kUnit, n: tiling.nTile)
            }
            plan.score = score(of: layer)
            layer.work = .gemm(plan)
        }
        return layer
    }

    func gemmSearch(
        _ lowering: GEMMLowering, layout: FoldLayout,
        spaces: (input: BufferSpace, weight: BufferSpace, output: BufferSpace)
    ) -> TilingSearch {
        var search = TilingSearch(
            lowering: lowering, layout: layout, input: spaces.input, weight: spaces.weight,
            output: spaces.output)
        search.objective = hardware.mapping.objective
        search.convention = hardware.convention
        search.requantizerLanes = hardware.requantizer.lanes
        search.dma = DMACostModel(dram: hardware.dram)
        search.energy = hardware.energy
        search.foldCycles = foldCycles
        return search
    }

    /// The layer built with `tiling`: its work items, steps and plan.
    private func gemmLayer(
        node: Node, index: Int, lowering: GEMMLowering, tiling: GEMMTiling, layout: FoldLayout,
        memory: DRAMMemoryMap, emitter: StepEmitter, firstSequence: Int
    ) -> LayerSchedule {
        var builder = GEMMItemBuilder(
            lowering: lowering, tiling: tiling, layout: layout, memory: memory,
            requantizerLanes: hardware.requantizer.lanes, foldCycles: foldCycles)
        builder.continuesStreams = hardware.convention == .scaleSim
        let (items, cycles) = builder.build()
        var parameters: [PendingTransfer] = []
        if let bias = lowering.bias, lowering.biasBytes > 0 {
            parameters.append(
                PendingTransfer(
                    direction: .load, buffer: .parameters, tensor: bias, dramAddress: memory.address(of: bias) ?? 0,
                    pattern: .contiguous(lowering.biasBytes)))
        }
        let steps = emitter.emit(parameterLoads: parameters, items: items, firstSequence: firstSequence)
        let plan = GEMMLayerPlan(
            lowering: lowering, tiling: tiling, estimates: [], layout: layout, foldCycles: cycles,
            objective: hardware.mapping.objective)
        return LayerSchedule(
            nodeIndex: index, name: node.name, kind: node.operation.kind, work: .gemm(plan), steps: steps)
    }

    /// The score of a built layer on this hardware's DRAM interface and energy table.
    private func score(of layer: LayerSchedule) -> MappingScore {
        let result = layer.result(dma: DMACostModel(dram: hardware.dram))
        let traffic = result.traffic
        return MappingScore(
            cycles: result.totalCycles, dramBytes: traffic.dramReadBytes + traffic.dramWriteBytes,
            energyPicojoules: traffic.energyPicojoules(hardware.energy))
    }
}

/// The best tilings of one layer, best first, as `accsim map` lists them.
public struct TilingRanking: Sendable, Hashable {
    /// One tiling with its measured score.
    public struct Entry: Sendable, Hashable {
        public var tiling: GEMMTiling
        public var score: MappingScore
    }

    public var layer: String
    public var objective: MappingObjective
    public var lowering: GEMMLowering
    /// Candidates in the space that fit the buffers.
    public var candidates: Int
    /// Candidates built and timed.
    public var evaluated: Int
    /// The best ones, best first.
    public var ranked: [Entry]
}
