/// The DMA/compute overlap of one layer: one DMA engine serving transfers in list order, one
/// compute stream (array or vector unit) running compute steps in list order, and the
/// dependencies between them. Each layer's timeline starts at cycle 0.
///
/// Rules, applied in one pass over the steps (every dependency names an earlier step):
/// - A transfer starts at `max(DMA engine free, end of compute step `after`)` and occupies the
///   engine for ``DMACostModel/cycles(bytes:)``.
/// - A compute step starts at `max(end of the previous compute step, completion of every transfer
///   in waitsFor)`. When that is later than the previous compute step's end, the gap is a stall,
///   attributed to the transfer that completed last (ties: the later one in the list) — see
///   ``StallCause``. The wait before the first compute step is the prologue, not a stall.
public struct Timeline: Sendable, Hashable {
    /// The cost of a transfer.
    public var dma: DMACostModel

    /// A timeline over a DMA engine with the given costs.
    public init(dma: DMACostModel) {
        self.dma = dma
    }

    /// Times `steps` (listed in schedule order).
    public func run(_ steps: [TimelineStep]) throws(TimelineError) -> TimelineResult {
        var timings: [TimelineStepTiming] = []
        timings.reserveCapacity(steps.count)
        var dmaFree = 0
        var dmaBusy = 0
        var previousComputeEnd: Int?
        var firstComputeStart: Int?
        var stalls = StallCycles.zero
        var arrayCycles = 0
        var vectorCycles = 0
        var lastEnd = 0

        for (index, step) in steps.enumerated() {
            switch step {
            case .transfer(let transfer):
                guard transfer.bytes >= 0 else { throw TimelineError(step: index, "moves \(transfer.bytes) bytes") }
                var start = dmaFree
                if let after = transfer.after {
                    guard after >= 0, after < index, case .compute = steps[after] else {
                        throw TimelineError(
                            step: index, "waits for step \(after), which is not an earlier compute step")
                    }
                    start = max(start, timings[after].end)
                }
                let cycles = dma.cycles(bytes: transfer.bytes)
                dmaFree = start + cycles
                dmaBusy += cycles
                timings.append(TimelineStepTiming(start: start, end: dmaFree))
                lastEnd = max(lastEnd, dmaFree)

            case .compute(let compute):
                guard compute.cycles >= 0 else { throw TimelineError(step: index, "takes \(compute.cycles) cycles") }
                var ready = 0
                var waitedFor: Int?
                for dependency in compute.waitsFor {
                    guard dependency >= 0, dependency < index, case .transfer = steps[dependency] else {
                        throw TimelineError(
                            step: index, "waits for step \(dependency), which is not an earlier transfer")
                    }
                    let end = timings[dependency].end
                    if let current = waitedFor, (end, dependency) < (ready, current) { continue }
                    ready = end
                    waitedFor = dependency
                }
                var timing: TimelineStepTiming
                if let previousEnd = previousComputeEnd {
                    let start = max(previousEnd, ready)
                    timing = TimelineStepTiming(start: start, end: start + compute.cycles)
                    if start > previousEnd, let waited = waitedFor, case .transfer(let transfer) = steps[waited] {
                        let cause = Self.cause(unit: compute.unit, buffer: transfer.buffer)
                        timing.stall = start - previousEnd
                        timing.stallCause = cause
                        timing.waitedFor = waited
                        stalls[cause] += timing.stall
                    }
                } else {
                    timing = TimelineStepTiming(start: ready, end: ready + compute.cycles)
                    firstComputeStart = ready
                }
                switch compute.unit {
                case .array: arrayCycles += compute.cycles
                case .vector: vectorCycles += compute.cycles
                }
                previousComputeEnd = timing.end
                timings.append(timing)
                lastEnd = max(lastEnd, timing.end)
            }
        }

        let computeCycles = arrayCycles + vectorCycles
        let prologue = firstComputeStart ?? lastEnd
        let epilogue = previousComputeEnd.map { lastEnd - $0 } ?? 0
        return TimelineResult(
            steps: timings, totalCycles: lastEnd, prologueCycles: prologue, computeCycles: computeCycles,
            arrayCycles: arrayCycles, vectorCycles: vectorCycles, stalls: stalls, epilogueCycles: epilogue,
            dmaBusyCycles: dmaBusy)
    }

    /// The stall cause of a compute step on `unit` that waited for a transfer of `buffer`.
    static func cause(unit: ComputeUnit, buffer: BufferKind) -> StallCause {
        if unit == .vector { return .vector }
        switch buffer {
        case .input: return .input
        case .weight, .parameters: return .weight
        case .output: return .output
        }
    }
}
