import AccsimExecution
import AccsimHardware
import AccsimMapping
import AccsimTiming
import AccsimTrace

/// The cycle level of one SRAM tile: every fold runs through the cycle-stepped array with its
/// real operands; every value crossing an edge becomes an edge record, and every operand read
/// from (or partial sum written to) a buffer an SRAM record, at global cycles.
///
/// Fold `f` starts at the compute step's start plus the timeline cycles of folds `0..<f` (under
/// the SCALE-Sim convention the stepped events start there too, but the fold's window is
/// SCALE-Sim's). SRAM model: an operand entering the array is read from its buffer in the cycle
/// it enters (input buffer for A, weight buffer for B; padding elements are not read); a partial
/// sum leaving the array is written to the accumulator buffer in the cycle it leaves, preceded in
/// the same cycle by a read of the accumulator unless the fold starts the reduction.
struct FoldTracer {
    let plan: GEMMLayerPlan
    let tile: GEMMTile
    let operands: GEMMOperands
    let addressing: OperandAddressing
    let array: ArrayConfig
    let layer: Int
    let sequence: Int
    let window: CycleWindow
    let writer: TraceWriter
    /// MACs of the folds traced.
    private(set) var tracedMACs = 0

    init(
        plan: GEMMLayerPlan, tile: GEMMTile, operands: GEMMOperands, addressing: OperandAddressing, array: ArrayConfig,
        layer: Int, sequence: Int, window: CycleWindow, writer: TraceWriter
    ) {
        self.plan = plan
        self.tile = tile
        self.operands = operands
        self.addressing = addressing
        self.array = array
        self.layer = layer
        self.sequence = sequence
        self.window = window
        self.writer = writer
    }

    mutating func trace(computeStart: Int) {
        let simulator = SystolicArraySimulator(array: array)
        let events = EventBuffer()
        let sram = addressing.sram
        var foldStart = computeStart
        for (index, fold) in tile.folds.enumerated() {
            let cycles = plan.cycles(of: fold)?.total ?? 0
            defer { foldStart += cycles }
            guard window.overlaps(start: foldStart, end: foldStart + max(1, cycles)) else { continue }
            writer.append(
                .fold(
                    FoldRecord(
                        cycle: foldStart, layer: layer, sequence: sequence, index: index, group: tile.group, m: fold.m,
                        k: fold.k,
                        n: fold.n, end: foldStart + cycles)))
            tracedMACs += fold.shape.macs
            events.values.removeAll(keepingCapacity: true)
            let stepped = simulator.run(a: blockA(fold), b: blockB(fold), shape: fold.shape) {
                events.values.append($0)
            }
            let coordinates = FoldEdgeCoordinates(
                dataflow: array.dataflow, rows: array.rows, shape: fold.shape, cycles: stepped.cycles)
            let (m0, k0, n0) = (fold.m.lowerBound, fold.k.lowerBound, fold.n.lowerBound)
            for event in events.values {
                let cycle = foldStart + event.cycle
                guard window.contains(cycle) else { continue }
                writer.appendEdge(
                    cycle: cycle, layer: layer, edge: Self.edge(event.edge), index: event.index, value: event.value)
                switch coordinates.operand(of: event) {
                case .a(let i, let j):
                    guard let address = addressing.inputAddress(m: m0 + i, k: k0 + j) else { continue }
                    writer.appendSRAM(
                        cycle: cycle, layer: layer, buffer: .input, isWrite: false,
                        bank: OperandAddressing.bank(of: address, in: sram.input), address: address,
                        bytes: plan.lowering.inputElementBytes)
                case .b(let j, let c):
                    let address = addressing.weightAddress(k: k0 + j, n: n0 + c)
                    writer.appendSRAM(
                        cycle: cycle, layer: layer, buffer: .weight, isWrite: false,
                        bank: OperandAddressing.bank(of: address, in: sram.weight), address: address,
                        bytes: plan.lowering.weightElementBytes)
                case .c(let i, let c):
                    let address = addressing.accumulatorAddress(m: m0 + i, n: n0 + c)
                    let bank = OperandAddressing.bank(of: address, in: sram.output)
                    if !fold.startsReduction {
                        writer.appendSRAM(
                            cycle: cycle, layer: layer, buffer: .output, isWrite: false, bank: bank, address: address,
                            bytes: 4)
                    }
                    writer.appendSRAM(
                        cycle: cycle, layer: layer, buffer: .output, isWrite: true, bank: bank, address: address,
                        bytes: 4)
                }
            }
        }
    }

    /// `A[fold.m][fold.k]`, row-major.
    private func blockA(_ fold: Fold) -> [Int32] {
        var block: [Int32] = []
        block.reserveCapacity(fold.m.count * fold.k.count)
        for row in fold.m {
            block.append(
                contentsOf: operands.a[row * operands.k + fold.k.lowerBound..<row * operands.k + fold.k.upperBound])
        }
        return block
    }

    /// `B[fold.k][fold.n]`, row-major.
    private func blockB(_ fold: Fold) -> [Int32] {
        var block: [Int32] = []
        block.reserveCapacity(fold.k.count * fold.n.count)
        for row in fold.k {
            block.append(
                contentsOf: operands.b[row * operands.n + fold.n.lowerBound..<row * operands.n + fold.n.upperBound])
        }
        return block
    }

    static func edge(_ edge: ArrayEdge) -> TraceEdge {
        switch edge {
        case .left: .left
        case .top: .top
        case .bottom: .bottom
        }
    }
}

/// Edge events of one fold, collected by the stepped array's callback and reused across folds.
private final class EventBuffer {
    var values: [ArrayEdgeEvent] = []
}
