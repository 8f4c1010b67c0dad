import AccsimJSON

/// What ``ChromeTrace`` wrote.
public struct ChromeTraceSummary: Sendable, Hashable {
    /// Slices written per track name, in track order.
    public var slices: [(track: String, count: Int)]
    /// Slices in all.
    public var total: Int { slices.reduce(0) { $0 + $1.count } }

    public static func == (a: ChromeTraceSummary, b: ChromeTraceSummary) -> Bool {
        a.slices.map(\.track) == b.slices.map(\.track) && a.slices.map(\.count) == b.slices.map(\.count)
    }

    public func hash(into hasher: inout Hasher) {
        for slice in slices {
            hasher.combine(slice.track)
            hasher.combine(slice.count)
        }
    }
}

/// Writes a trace in the Chrome Trace Event format (the JSON object form), which Perfetto
/// (ui.perfetto.dev) and `chrome://tracing` open: one process, one track (thread) per unit —
/// layers, DMA, array, requantizer, vector unit, stalls and, at the cycle level, the array's
/// folds — and one complete (`"ph": "X"`) slice per layer, transfer, tile, requantizer run, vector
/// chunk, stall and fold, whose `args` carry the tile, bytes and cycles.
///
/// Time: **one simulated cycle is one nanosecond** of trace time (`ts`/`dur` are written in
/// microseconds, so cycle c is `ts = c / 1000`, exact to three decimals), so the viewers' `ns`
/// read as cycles; `otherData.clock_mhz` gives the real clock. Overlapping slices of one unit (DMA
/// transfers in flight together) go on numbered lanes of that unit, `DMA`, `DMA 2`, …, so every
/// track nests properly. The same trace always gives the same bytes.
public enum ChromeTrace {
    /// The units, in track order.
    enum Unit: Int, CaseIterable {
        case layers, dma, array, requantizer, vector, stalls, folds

        var name: String {
            switch self {
            case .layers: "layers"
            case .dma: "DMA"
            case .array: "array"
            case .requantizer: "requantizer"
            case .vector: "vector unit"
            case .stalls: "stalls"
            case .folds: "array folds"
            }
        }
    }

    /// Writes the JSON of `reader`'s records that pass `filter` through `output` (one line per
    /// call: the opening, one event per line, the closing). Reads the whole trace; throws the first
    /// read error.
    public static func write(
        _ reader: TraceReader, filter: TraceFilter = TraceFilter(), output: (String) -> Void
    ) throws(TraceError) -> ChromeTraceSummary {
        let header = reader.header
        let ops = Dictionary(header.layers.map { ($0.index, $0.op) }, uniquingKeysWith: { first, _ in first })
        var lanes = Lanes()
        var events: [String] = []
        func slice(_ unit: Unit, _ name: String, start: Int, end: Int, category: String, args: JSONObject) {
            let lane = lanes.place(unit, start: start, end: end)
            let tid = Lanes.threadID(unit, lane: lane)
            events.append(
                "{\"name\":\(Self.text(.string(name))),\"cat\":\(Self.text(.string(category))),\"ph\":\"X\",\"pid\":1,"
                    + "\"tid\":\(tid),\"ts\":\(Self.microseconds(start)),\"dur\":\(Self.microseconds(end - start)),"
                    + "\"args\":\(Self.text(.object(args)))}")
        }

        for layer in header.layers where filter.layers?.contains(layer.index) ?? true {
            let end = layer.startCycle + layer.cycles
            guard filter.window.overlaps(start: layer.startCycle, end: max(end, layer.startCycle + 1)) else { continue }
            slice(
                .layers, layer.name, start: layer.startCycle, end: end, category: "layer",
                args: [
                    "layer": .int(Int64(layer.index)), "op": .string(layer.op), "cycles": .int(Int64(layer.cycles)),
                ])
        }
        while let chunk = try reader.nextChunk() {
            for record in chunk.records where filter.accepts(record) {
                switch record {
                case .dma(let r):
                    slice(
                        .dma, "\(r.direction.name) \(r.buffer.name)", start: r.cycle, end: r.completion,
                        category: "dma",
                        args: [
                            "layer": .int(Int64(r.layer)), "sequence": .int(Int64(r.sequence)),
                            "tensor": .string(r.tensor), "bytes": .int(Int64(r.bytes)),
                            "cycles": .int(Int64(r.completion - r.cycle)),
                            "dram_address": .string("0x" + String(r.dramAddress, radix: 16)),
                            "chunks": .string("\(r.chunkCount)x\(r.chunkBytes) B, stride \(r.strideBytes)"),
                            "sram_address": .int(Int64(r.sramAddress)), "bank": .int(Int64(r.bank)),
                            "half": .int(Int64(r.half)),
                        ])
                case .compute(let r):
                    if r.stall > 0 {
                        slice(
                            .stalls, "stall: \(r.stallCause.name)", start: r.cycle - r.stall, end: r.cycle,
                            category: "stall",
                            args: [
                                "layer": .int(Int64(r.layer)), "before_sequence": .int(Int64(r.sequence)),
                                "cycles": .int(Int64(r.stall)),
                            ])
                    }
                    switch r.work {
                    case .array(let t):
                        let tile = Self.tileName(t)
                        var args: JSONObject = [
                            "layer": .int(Int64(r.layer)), "sequence": .int(Int64(r.sequence)),
                            "tile": .string(tile), "m": .string(Self.range(t.m)), "n": .string(Self.range(t.n)),
                            "k": .string(Self.range(t.k)), "folds": .int(Int64(t.folds)),
                            "cycles": .int(Int64(t.arrayCycles)),
                            "macs": .int(Int64(t.m.count * t.n.count * t.k.count)),
                            "last_k_chunk": .bool(t.lastChunk),
                        ]
                        if t.group > 0 { args["group"] = .int(Int64(t.group)) }
                        slice(.array, tile, start: r.cycle, end: r.cycle + t.arrayCycles, category: "array", args: args)
                        if t.requantizerCycles > 0 {
                            let start = r.cycle + t.arrayCycles
                            slice(
                                .requantizer, "requant \(tile)", start: start, end: start + t.requantizerCycles,
                                category: "requantizer",
                                args: [
                                    "layer": .int(Int64(r.layer)), "sequence": .int(Int64(r.sequence)),
                                    "tile": .string(tile), "outputs": .int(Int64(t.m.count * t.n.count)),
                                    "cycles": .int(Int64(t.requantizerCycles)),
                                ])
                        }
                    case .vector(let v):
                        let op = ops[r.layer] ?? "vector"
                        slice(
                            .vector, "\(op) chunk \(v.chunk)", start: r.cycle, end: r.end, category: "vector",
                            args: [
                                "layer": .int(Int64(r.layer)), "sequence": .int(Int64(r.sequence)),
                                "chunk": .int(Int64(v.chunk)), "part": .int(Int64(v.part)), "work": .int(Int64(v.work)),
                                "output_elements": .int(Int64(v.outputElements)),
                                "cycles": .int(Int64(r.end - r.cycle)),
                            ])
                    }
                case .fold(let r):
                    slice(
                        .folds, "fold \(r.index)", start: r.cycle, end: r.end, category: "fold",
                        args: [
                            "layer": .int(Int64(r.layer)), "sequence": .int(Int64(r.sequence)),
                            "m": .string(Self.range(r.m)), "n": .string(Self.range(r.n)), "k": .string(Self.range(r.k)),
                            "cycles": .int(Int64(r.end - r.cycle)),
                        ])
                default:
                    break
                }
            }
        }

        output("{\"traceEvents\":[")
        var names: [String] = [
            Self.metadata(
                "process_name", tid: 0,
                args: ["name": .string("accsim: \(header.model.name) on \(header.hardware.name)")])
        ]
        var summary: [(track: String, count: Int)] = []
        for unit in Unit.allCases {
            for (lane, count) in lanes.counts(unit).enumerated() {
                let track = lane == 0 ? unit.name : "\(unit.name) \(lane + 1)"
                let tid = Lanes.threadID(unit, lane: lane)
                names.append(Self.metadata("thread_name", tid: tid, args: ["name": .string(track)]))
                names.append(Self.metadata("thread_sort_index", tid: tid, args: ["sort_index": .int(Int64(tid))]))
                summary.append((track, count))
            }
        }
        let all = names + events
        for (index, event) in all.enumerated() {
            output(event + (index + 1 < all.count ? "," : ""))
        }
        let other: JSONObject = [
            "model": .string(header.model.name), "hardware": .string(header.hardware.name),
            "config_hash": .string(header.hardware.hash), "clock_mhz": .int(Int64(header.clockMHz)),
            "trace_level": .string(header.level.rawValue), "sample": .int(Int64(header.sample)),
            "time_unit": "1 cycle = 1 ns of trace time",
        ]
        output("],\"displayTimeUnit\":\"ns\",\"otherData\":" + Self.text(.object(other)) + "}")
        return ChromeTraceSummary(slices: summary)
    }

    /// `m2 n0 k1` (with `g3` first for a group of a grouped convolution).
    static func tileName(_ t: ComputeRecord.ArrayTile) -> String {
        (t.group > 0 ? "g\(t.group) " : "") + "m\(t.mIndex) n\(t.nIndex) k\(t.kIndex)"
    }

    /// `[a,b)`.
    static func range(_ r: Range<Int>) -> String { "[\(r.lowerBound),\(r.upperBound))" }

    /// Cycle `c` as trace microseconds (1 cycle = 1 ns): `c / 1000`, exactly.
    static func microseconds(_ cycles: Int) -> String {
        let sign = cycles < 0 ? "-" : ""
        let magnitude = cycles.magnitude
        let fraction = magnitude % 1000
        if fraction == 0 { return sign + String(magnitude / 1000) }
        var digits = String(fraction)
        while digits.count < 3 { digits = "0" + digits }
        while digits.hasSuffix("0") { digits.removeLast() }
        return sign + String(magnitude / 1000) + "." + digits
    }

    private static func text(_ value: JSONValue) -> String {
        String(decoding: (try? JSONWriter(style: .compact).serialize(value)) ?? [], as: UTF8.self)
    }

    private static func metadata(_ name: String, tid: Int, args: JSONObject) -> String {
        text(.object(["name": .string(name), "ph": "M", "pid": 1, "tid": .int(Int64(tid)), "args": .object(args)]))
    }
}

/// Lanes of each unit: a slice goes on the first lane whose last slice has ended, so slices on
/// one lane never overlap.
private struct Lanes {
    private var ends: [ChromeTrace.Unit: [Int]] = [:]
    private var slices: [ChromeTrace.Unit: [Int]] = [:]

    /// Thread ids: 1,000 per unit, so lanes of one unit stay together when sorted.
    static func threadID(_ unit: ChromeTrace.Unit, lane: Int) -> Int { (unit.rawValue + 1) * 1000 + lane }

    mutating func place(_ unit: ChromeTrace.Unit, start: Int, end: Int) -> Int {
        var unitEnds = ends[unit] ?? []
        let lane = unitEnds.firstIndex { $0 <= start } ?? unitEnds.count
        if lane == unitEnds.count {
            unitEnds.append(end)
            slices[unit, default: []].append(0)
        } else {
            unitEnds[lane] = max(end, start)
        }
        ends[unit] = unitEnds
        slices[unit]![lane] += 1
        return lane
    }

    func counts(_ unit: ChromeTrace.Unit) -> [Int] { slices[unit] ?? [] }
}
