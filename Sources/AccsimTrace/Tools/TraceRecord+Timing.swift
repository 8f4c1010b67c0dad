extension TraceRecord {
    /// The record's timing fields, in a fixed order: cycle stamps (start, end, completion),
    /// stalls, the array and requantizer cycles of a tile, and the cycle counters of a layer end.
    /// ``TraceDiff`` compares these within a tolerance, or ignores them, by mode.
    public var timingFields: [(name: String, value: Int)] {
        switch self {
        case .layerBegin(let r):
            return [("cycle", r.cycle)]
        case .layerEnd(let r):
            var fields = [("cycle", r.cycle)]
            for index in 0..<min(LayerCounters.cycleCounterCount, r.counters.values.count) {
                fields.append((LayerCounters.name(at: index), r.counters.values[index]))
            }
            return fields
        case .dma(let r):
            return [("cycle", r.cycle), ("done", r.completion)]
        case .compute(let r):
            var fields = [("cycle", r.cycle), ("end", r.end), ("stall", r.stall)]
            if case .array(let t) = r.work {
                fields += [("array_cycles", t.arrayCycles), ("requant_cycles", t.requantizerCycles)]
            }
            return fields
        case .requant(let r):
            return [("cycle", r.cycle)]
        case .fold(let r):
            return [("cycle", r.cycle), ("end", r.end)]
        case .edge(let r):
            return [("cycle", r.cycle)]
        case .sram(let r):
            return [("cycle", r.cycle)]
        case .unknown(let r):
            return [("cycle", r.cycle)]
        }
    }

    /// The record with every timing field (and a compute step's stall cause) set to 0, so that
    /// two records equal in everything but timing compare equal.
    public var untimed: TraceRecord {
        switch self {
        case .layerBegin(var r):
            r.cycle = 0
            return .layerBegin(r)
        case .layerEnd(var r):
            r.cycle = 0
            for index in 0..<min(LayerCounters.cycleCounterCount, r.counters.values.count) {
                r.counters.values[index] = 0
            }
            return .layerEnd(r)
        case .dma(var r):
            r.cycle = 0
            r.completion = 0
            return .dma(r)
        case .compute(var r):
            r.cycle = 0
            r.end = 0
            r.stall = 0
            r.stallCause = .none
            if case .array(var t) = r.work {
                t.arrayCycles = 0
                t.requantizerCycles = 0
                r.work = .array(t)
            }
            return .compute(r)
        case .requant(var r):
            r.cycle = 0
            return .requant(r)
        case .fold(var r):
            r.cycle = 0
            r.end = 0
            return .fold(r)
        case .edge(var r):
            r.cycle = 0
            return .edge(r)
        case .sram(var r):
            r.cycle = 0
            return .sram(r)
        case .unknown(var r):
            r.cycle = 0
            return .unknown(r)
        }
    }
}
