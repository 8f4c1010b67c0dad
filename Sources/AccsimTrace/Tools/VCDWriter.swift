import AccsimJSON

/// What ``VCDWriter`` wrote.
public struct VCDSummary: Sendable, Hashable {
    /// Cycles covered, `[from, to)`.
    public var cycles: Range<Int>
    /// Signals declared.
    public var signals: Int
    /// Value changes written.
    public var changes: Int
}

/// Writes a cycle window of a trace as a Value Change Dump (IEEE 1364) for GTKWave and other
/// waveform viewers.
///
/// Signals (timescale 1 ps, one clock period `1e6 / clock_mhz` ps per cycle, time = global cycle ×
/// period): `clk`, `cycle`, `layer`; `dma_busy`/`dma_seq` and `compute_busy`/`compute_seq` from
/// tile records; in scope `array`, `left_<row>` and `top_<col>` (16-bit operands) and
/// `bottom_<col>` (32-bit outputs), `x` in cycles without a value; in scope `sram`, per buffer and
/// bank, one-cycle `rd`/`wr` strobes and the last `addr`. Values are two's complement.
public enum VCDWriter {
    /// Writes the VCD of `reader`'s records in `window` through `output` (one line per call).
    /// Reads the whole trace; throws the first read error (nothing is written then).
    public static func write(_ reader: TraceReader, window: CycleWindow = .all, output: (String) -> Void)
        throws(TraceError) -> VCDSummary
    {
        let header = reader.header
        var signals = SignalTable()
        let clk = signals.add("clk", width: 1)
        let cycleSignal = signals.add("cycle", width: 64)
        let layerSignal = signals.add("layer", width: 16)
        let dmaBusy = signals.add("dma_busy", width: 1)
        let dmaSeq = signals.add("dma_seq", width: 32)
        let computeBusy = signals.add("compute_busy", width: 1)
        let computeSeq = signals.add("compute_seq", width: 32)
        let rows = max(1, header.array.rows)
        let cols = max(1, header.array.cols)
        let left = (0..<rows).map { signals.add("left_\($0)", width: 16, scope: "array") }
        let top = (0..<cols).map { signals.add("top_\($0)", width: 16, scope: "array") }
        let bottom = (0..<cols).map { signals.add("bottom_\($0)", width: 32, scope: "array") }
        var sram: [TraceBuffer: [(rd: Int, wr: Int, addr: Int)]] = [:]
        for buffer in [TraceBuffer.input, .weight, .output] {
            let banks = header.hardware.config["sram"]?[buffer.name]?["banks"]?.intValue.map(Int.init) ?? 1
            sram[buffer] = (0..<max(1, banks)).map { bank in
                (
                    signals.add("\(buffer.name)_b\(bank)_rd", width: 1, scope: "sram"),
                    signals.add("\(buffer.name)_b\(bank)_wr", width: 1, scope: "sram"),
                    signals.add("\(buffer.name)_b\(bank)_addr", width: 32, scope: "sram")
                )
            }
        }

        var changes = ChangeList()
        var first = Int.max
        var last = Int.min
        func note(_ cycle: Int) {
            first = min(first, cycle)
            last = max(last, cycle)
        }
        func interval(_ start: Int, _ end: Int, busy: Int, seq: Int, value: Int) {
            guard window.overlaps(start: start, end: max(end, start + 1)) else { return }
            let from = max(start, window.from)
            changes.set(from, busy, 1, width: 1)
            changes.set(from, seq, value, width: 32)
            note(from)
            if window.contains(end) || window.to == nil {
                changes.reset(end, busy, to: "0")
                note(end)
            }
        }
        do {
            while let chunk = try reader.nextChunk() {
                for record in chunk.records {
                    switch record {
                    case .layerBegin(let r) where window.contains(r.cycle):
                        changes.set(r.cycle, layerSignal, r.layer, width: 16)
                        note(r.cycle)
                    case .dma(let r):
                        interval(r.cycle, r.completion, busy: dmaBusy, seq: dmaSeq, value: r.sequence)
                    case .compute(let r):
                        interval(r.cycle, r.end, busy: computeBusy, seq: computeSeq, value: r.sequence)
                    case .edge(let r) where window.contains(r.cycle):
                        let table = r.edge == .left ? left : r.edge == .top ? top : bottom
                        guard r.index < table.count else { continue }
                        changes.set(r.cycle, table[r.index], Int(r.value), width: r.edge == .bottom ? 32 : 16)
                        changes.reset(r.cycle + 1, table[r.index], to: "bx")
                        note(r.cycle)
                    case .sram(let r) where window.contains(r.cycle):
                        guard let banks = sram[r.buffer], r.bank < banks.count else { continue }
                        let strobe = r.isWrite ? banks[r.bank].wr : banks[r.bank].rd
                        changes.set(r.cycle, strobe, 1, width: 1)
                        changes.reset(r.cycle + 1, strobe, to: "0")
                        changes.set(r.cycle, banks[r.bank].addr, r.address, width: 32)
                        note(r.cycle)
                    default:
                        continue
                    }
                }
            }
        }
        if first == Int.max {
            first = window.from
            last = window.from
        }
        let end = window.to ?? (last + 1)
        let start = max(window.from, first)
        for cycle in start..<max(start, end) {
            changes.set(cycle, clk, 1, width: 1)
            changes.set(cycle, cycleSignal, cycle, width: 64)
            changes.reset(cycle, clk, to: "0", half: true)
        }

        let period = max(1, 1_000_000 / max(1, header.clockMHz))
        output("$date accsim trace $end")
        output("$version accsim \(header.accsimVersion), trace format \(header.formatVersion) $end")
        output(
            "$comment model \(header.model.name) (\(header.model.hash)) on \(header.hardware.name) (\(header.hardware.hash)), cycles \(start)..<\(end) $end"
        )
        output("$timescale 1ps $end")
        signals.declare(output)
        output("$enddefinitions $end")
        output("#\(start * period)")
        output("$dumpvars")
        for signal in signals.signals {
            output(signal.width == 1 ? "0\(signal.code)" : "bx \(signal.code)")
        }
        output("$end")
        let written = changes.emit(
            period: period, range: start..<max(start + 1, end), after: start * period, output: output)
        return VCDSummary(cycles: start..<max(start, end), signals: signals.signals.count, changes: written)
    }
}

/// Declared signals with their VCD identifier codes.
private struct SignalTable {
    struct Signal {
        var name: String
        var width: Int
        var scope: String?
        var code: String
    }

    var signals: [Signal] = []

    mutating func add(_ name: String, width: Int, scope: String? = nil) -> Int {
        signals.append(Signal(name: name, width: width, scope: scope, code: Self.code(signals.count)))
        return signals.count - 1
    }

    /// Printable identifier codes: `!`, `"`, … `~`, then two characters, and so on.
    static func code(_ index: Int) -> String {
        var n = index
        var code = ""
        repeat {
            code.unicodeScalars.append(Unicode.Scalar(UInt8(33 + n % 94)))
            n = n / 94 - 1
        } while n >= 0
        return code
    }

    func declare(_ output: (String) -> Void) {
        output("$scope module accsim $end")
        var scope: String?
        for signal in signals {
            if signal.scope != scope {
                if scope != nil { output("$upscope $end") }
                if let name = signal.scope { output("$scope module \(name) $end") }
                scope = signal.scope
            }
            output("$var wire \(signal.width) \(signal.code) \(signal.name) $end")
        }
        if scope != nil { output("$upscope $end") }
        output("$upscope $end")
    }

    subscript(index: Int) -> Signal { signals[index] }
}

/// Value changes, sorted by time at the end; at the same time resets come before sets, and the
/// last change of a signal wins.
private struct ChangeList {
    struct Change {
        var cycle: Int
        var half: Bool
        var priority: Int
        var order: Int
        var signal: Int
        var value: String
    }

    var changes: [Change] = []

    mutating func set(_ cycle: Int, _ signal: Int, _ value: Int, width: Int) {
        changes.append(
            Change(
                cycle: cycle, half: false, priority: 1, order: changes.count, signal: signal,
                value: Self.format(value, width: width)))
    }

    mutating func reset(_ cycle: Int, _ signal: Int, to value: String, half: Bool = false) {
        changes.append(
            Change(cycle: cycle, half: half, priority: 0, order: changes.count, signal: signal, value: value))
    }

    static func format(_ value: Int, width: Int) -> String {
        if width == 1 { return value == 0 ? "0" : "1" }
        let mask: UInt64 = width >= 64 ? .max : (1 << UInt64(width)) - 1
        let bits = UInt64(bitPattern: Int64(value)) & mask
        return "b" + String(bits, radix: 2)
    }

    /// Writes the changes in `range`; `after` is the time already written (not repeated).
    func emit(period: Int, range: Range<Int>, after: Int, output: (String) -> Void) -> Int {
        let sorted = changes.filter { range.contains($0.cycle) }.sorted {
            ($0.cycle, $0.half ? 1 : 0, $0.priority, $0.order) < ($1.cycle, $1.half ? 1 : 0, $1.priority, $1.order)
        }
        var written = 0
        var index = 0
        while index < sorted.count {
            let cycle = sorted[index].cycle
            let half = sorted[index].half
            var group: [Int: String] = [:]
            var order: [Int] = []
            while index < sorted.count && sorted[index].cycle == cycle && sorted[index].half == half {
                let change = sorted[index]
                if group[change.signal] == nil { order.append(change.signal) }
                group[change.signal] = change.value
                index += 1
            }
            let time = cycle * period + (half ? period / 2 : 0)
            if time != after { output("#\(time)") }
            for signal in order {
                let value = group[signal] ?? "x"
                output(
                    value.hasPrefix("b")
                        ? "\(value) \(SignalTable.code(signal))" : "\(value)\(SignalTable.code(signal))")
                written += 1
            }
        }
        return written
    }
}
