/// The timing of one layer's steps and the breakdown of its cycles.
///
/// The identity `totalCycles == prologueCycles + computeCycles + stalls.total + epilogueCycles`
/// holds by construction: compute steps run one after another, so the span from the first compute
/// start to the last compute end is exactly the compute cycles plus the gaps between compute
/// steps (the stalls); the prologue is the exposed time before the first compute start, the
/// epilogue the exposed time after the last compute end (the final stores).
public struct TimelineResult: Sendable, Hashable {
    /// Per step, in list order.
    public var steps: [TimelineStepTiming]
    /// From the first step's start (cycle 0) to the last step's end.
    public var totalCycles: Int
    /// From cycle 0 to the first compute start (all of `totalCycles` when there is no compute).
    public var prologueCycles: Int
    /// Cycles the compute steps take, summed.
    public var computeCycles: Int
    /// Of `computeCycles`, the array steps.
    public var arrayCycles: Int
    /// Of `computeCycles`, the vector-unit steps.
    public var vectorCycles: Int
    /// Gaps between consecutive compute steps, by cause.
    public var stalls: StallCycles
    /// From the last compute end to the last step's end.
    public var epilogueCycles: Int
    /// Cycles the DMA engine is busy (latency included), summed over transfers.
    public var dmaBusyCycles: Int

    /// A result as given.
    public init(
        steps: [TimelineStepTiming], totalCycles: Int, prologueCycles: Int, computeCycles: Int,
        arrayCycles: Int, vectorCycles: Int, stalls: StallCycles, epilogueCycles: Int, dmaBusyCycles: Int
    ) {
        self.steps = steps
        self.totalCycles = totalCycles
        self.prologueCycles = prologueCycles
        self.computeCycles = computeCycles
        self.arrayCycles = arrayCycles
        self.vectorCycles = vectorCycles
        self.stalls = stalls
        self.epilogueCycles = epilogueCycles
        self.dmaBusyCycles = dmaBusyCycles
    }

    /// An empty layer (no steps): zero cycles.
    public static let empty = TimelineResult(
        steps: [], totalCycles: 0, prologueCycles: 0, computeCycles: 0, arrayCycles: 0, vectorCycles: 0,
        stalls: .zero, epilogueCycles: 0, dmaBusyCycles: 0)
}
