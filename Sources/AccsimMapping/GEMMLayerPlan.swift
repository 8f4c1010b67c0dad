import AccsimHardware
import AccsimTiming

/// How a GEMM layer is mapped: its lowering, the chosen tiling and loop order, the DRAM reads of
/// both loop orders at the chosen tile sizes, and the cycles of every distinct fold shape.
public struct GEMMLayerPlan: Sendable, Hashable {
    /// The layer as GEMMs.
    public var lowering: GEMMLowering
    /// The chosen tile sizes and loop order.
    public var tiling: GEMMTiling
    /// The DRAM reads of the chosen tile sizes under each loop order (weights-outer first).
    public var estimates: [DRAMReadEstimate]
    /// How tiles are cut into folds.
    public var layout: FoldLayout
    /// The timing model's cycles for every fold shape the layer uses.
    public var foldCycles: [GEMMShape: TileCycles]
    /// What the search minimised.
    public var objective: MappingObjective
    /// The chosen tiling's score on its built schedule (cycles, DRAM bytes, energy).
    public var score: MappingScore
    /// Candidates in the search space that fit the buffers.
    public var candidates: Int
    /// Candidates built and timed before the bounds proved the rest could not win.
    public var evaluated: Int

    /// A plan as given.
    public init(
        lowering: GEMMLowering, tiling: GEMMTiling, estimates: [DRAMReadEstimate], layout: FoldLayout,
        foldCycles: [GEMMShape: TileCycles], objective: MappingObjective = .latency,
        score: MappingScore = MappingScore(cycles: 0, dramBytes: 0, energyPicojoules: 0),
        candidates: Int = 1, evaluated: Int = 1
    ) {
        self.lowering = lowering
        self.tiling = tiling
        self.estimates = estimates
        self.layout = layout
        self.foldCycles = foldCycles
        self.objective = objective
        self.score = score
        self.candidates = candidates
        self.evaluated = evaluated
    }

    /// The estimate of the chosen loop order.
    public var chosenEstimate: DRAMReadEstimate {
        estimates.first { $0.order == tiling.order } ?? estimates[0]
    }

    /// The estimate of `order` at the chosen tile sizes.
    public func estimate(_ order: LoopOrder) -> DRAMReadEstimate? {
        estimates.first { $0.order == order }
    }

    /// The cycles of `fold`, as the timing model gave them.
    public func cycles(of fold: Fold) -> TileCycles? {
        foldCycles[fold.shape]
    }
}
