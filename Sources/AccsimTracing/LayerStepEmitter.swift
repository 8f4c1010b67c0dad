import AccsimArithmetic
import AccsimExecution
import AccsimHardware
import AccsimMapping
import AccsimTiming
import AccsimTrace

/// Emits one layer's tile-level records (every DMA transfer and compute step, in schedule order)
/// and, when asked, its requantizer steps and the cycle-level records of its folds.
struct LayerStepEmitter {
    let layer: LayerSchedule
    let layerIndex: Int
    let result: LayerResult
    /// Global cycle of the layer's start.
    let start: Int
    let hardware: HardwareConfig
    let capture: GEMMLayerCapture?
    let requantizer: Requantizer?
    let options: TraceOptions
    let writer: TraceWriter
    /// MACs of the folds traced at the cycle level.
    private(set) var tracedFoldMACs = 0

    init(
        layer: LayerSchedule, layerIndex: Int, result: LayerResult, start: Int, hardware: HardwareConfig,
        capture: GEMMLayerCapture?, requantizer: Requantizer?, options: TraceOptions, writer: TraceWriter
    ) {
        self.layer = layer
        self.layerIndex = layerIndex
        self.result = result
        self.start = start
        self.hardware = hardware
        self.capture = capture
        self.requantizer = requantizer
        self.options = options
        self.writer = writer
    }

    mutating func emit() {
        guard let firstSequence = layer.steps.first?.sequence else { return }
        let traceRequant = options.traces(.requant, layer: layerIndex)
        let traceCycles = options.traces(.cycle, layer: layerIndex)
        // The buffer address of the operand tiles in use: set by the loads each step waits for,
        // kept while a step reuses the resident tile.
        // (Window elements in the padding are not read: a tile whose rows are all padding loads
        // nothing and reads nothing.)
        var inputBase = 0
        var weightBase = 0
        for (position, step) in layer.steps.enumerated() {
            let timing = result.timeline.steps[position]
            switch step.action {
            case .transfer(let transfer):
                writer.append(
                    .dma(
                        DMARecord(
                            cycle: start + timing.start, layer: layerIndex, sequence: step.sequence,
                            direction: transfer.direction == .load ? .load : .store,
                            buffer: Self.buffer(transfer.buffer),
                            tensor: transfer.tensor, dramAddress: transfer.dramAddress,
                            chunkCount: transfer.pattern.count,
                            chunkBytes: transfer.pattern.chunkBytes, strideBytes: transfer.pattern.strideBytes,
                            sramAddress: transfer.sramAddress, bank: transfer.bank, half: transfer.half,
                            after: transfer.after,
                            completion: start + timing.end)))
            case .compute(let compute):
                let work: ComputeRecord.Work
                switch compute.work {
                case .gemm(let tile):
                    work = .array(
                        ComputeRecord.ArrayTile(
                            group: tile.group, mIndex: tile.mIndex, nIndex: tile.nIndex, kIndex: tile.kIndex, m: tile.m,
                            n: tile.n,
                            k: tile.k, lastChunk: tile.isLastChunk, folds: tile.foldCount,
                            arrayCycles: compute.arrayCycles,
                            requantizerCycles: compute.requantizerCycles))
                case .vector(let chunk):
                    work = .vector(
                        ComputeRecord.VectorChunk(
                            chunk: chunk.index, part: chunk.part, work: chunk.work, outputElements: chunk.outputElements
                        ))
                }
                let computeStart = start + timing.start
                writer.append(
                    .compute(
                        ComputeRecord(
                            cycle: computeStart, layer: layerIndex, sequence: step.sequence, end: start + timing.end,
                            stall: timing.stall, stallCause: Self.cause(timing.stallCause), work: work)))
                guard let tile = compute.tile, let plan = layer.gemm, let capture, capture.isComplete else { continue }
                for dependency in compute.waitsFor {
                    guard let transfer = layer.steps[dependency - firstSequence].transfer, transfer.direction == .load
                    else { continue }
                    if transfer.buffer == .input { inputBase = transfer.sramAddress }
                    if transfer.buffer == .weight { weightBase = transfer.sramAddress }
                }
                if traceCycles {
                    let addressing = OperandAddressing(
                        lowering: plan.lowering, tile: tile, inputBase: inputBase, weightBase: weightBase,
                        outputBase: compute.outputHalf * Self.tileBytes(hardware.sram.output), sram: hardware.sram)
                    var tracer = FoldTracer(
                        plan: plan, tile: tile, operands: capture.operands[tile.group], addressing: addressing,
                        array: hardware.array, layer: layerIndex, sequence: step.sequence,
                        window: options.cycles ?? .all, writer: writer)
                    tracer.trace(computeStart: computeStart)
                    tracedFoldMACs += tracer.tracedMACs
                }
                if traceRequant && tile.isLastChunk, let requantizer {
                    emitRequant(
                        tile: tile, plan: plan, capture: capture, requantizer: requantizer,
                        phaseStart: computeStart + compute.arrayCycles)
                }
            }
        }
    }

    /// One record per output of the tile, row-major over (pixel, filter); element `e` in cycle
    /// `phaseStart + e / lanes`.
    private func emitRequant(
        tile: GEMMTile, plan: GEMMLayerPlan, capture: GEMMLayerCapture, requantizer: Requantizer, phaseStart: Int
    ) {
        let lanes = max(1, hardware.requantizer.lanes)
        let groupColumns = plan.lowering.shape.n
        var element = 0
        for row in tile.m {
            for column in tile.n {
                let channel = tile.group * groupColumns + column
                let index = row * capture.channels + channel
                defer { element += 1 }
                guard let step = capture.steps[index] else { continue }
                let parameter = requantizer.multipliers.count == 1 ? 0 : channel
                writer.append(
                    .requant(
                        RequantRecord(
                            cycle: phaseStart + element / lanes, layer: layerIndex, row: row, channel: channel,
                            accumulator: capture.accumulatorValues[index], bias: capture.biases[index],
                            input: step.input,
                            multiplier: requantizer.multipliers[parameter], shift: requantizer.shifts[parameter],
                            zeroPoint: requantizer.zeroPoint, beforeSaturation: step.beforeSaturation,
                            saturated: step.saturated,
                            output: step.output)))
            }
        }
    }

    /// Bytes a tile may use in `buffer`: half of it when double-buffered.
    static func tileBytes(_ buffer: BufferConfig) -> Int {
        buffer.doubleBuffered ? buffer.bytes / 2 : buffer.bytes
    }

    static func buffer(_ kind: BufferKind) -> TraceBuffer {
        switch kind {
        case .input: .input
        case .weight: .weight
        case .output: .output
        case .parameters: .parameters
        }
    }

    static func cause(_ cause: StallCause?) -> TraceStallCause {
        switch cause {
        case nil: .none
        case .input?: .input
        case .weight?: .weight
        case .output?: .output
        case .vector?: .vector
        }
    }
}
