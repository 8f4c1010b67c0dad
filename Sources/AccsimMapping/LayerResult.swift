import AccsimTiming

/// One layer timed and counted: the timeline (total, prologue, compute, stalls by cause,
/// epilogue, per-step cycles), the compute cycles by unit, and the traffic.
///
/// `totalCycles == prologueCycles + computeCycles + stalls.total + epilogueCycles`, and
/// `computeCycles == arrayCycles + requantizerCycles + vectorCycles`.
public struct LayerResult: Sendable, Hashable {
    /// The layer's name.
    public var name: String
    /// The timing of every step and the cycle breakdown.
    public var timeline: TimelineResult
    /// Array cycles (all phases of all folds).
    public var arrayCycles: Int
    /// Requantizer cycles after completed output tiles.
    public var requantizerCycles: Int
    /// Vector-unit cycles.
    public var vectorCycles: Int
    /// Bytes moved and operations counted.
    public var traffic: LayerTraffic

    /// A result as given.
    public init(
        name: String, timeline: TimelineResult, arrayCycles: Int, requantizerCycles: Int, vectorCycles: Int,
        traffic: LayerTraffic
    ) {
        self.name = name
        self.timeline = timeline
        self.arrayCycles = arrayCycles
        self.requantizerCycles = requantizerCycles
        self.vectorCycles = vectorCycles
        self.traffic = traffic
    }

    /// From the first transfer's issue to the last store's completion.
    public var totalCycles: Int { timeline.totalCycles }
    /// Exposed time before the first compute step.
    public var prologueCycles: Int { timeline.prologueCycles }
    /// Array + requantizer + vector cycles.
    public var computeCycles: Int { timeline.computeCycles }
    /// Stall cycles by cause.
    public var stalls: StallCycles { timeline.stalls }
    /// Exposed time after the last compute step.
    public var epilogueCycles: Int { timeline.epilogueCycles }
}
