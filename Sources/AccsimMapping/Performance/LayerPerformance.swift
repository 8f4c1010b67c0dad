import AccsimHardware
import AccsimTiming

/// What one layer cost on the hardware, as the report states it: cycles by kind, utilization,
/// traffic per SRAM buffer and DRAM in bytes, unit operations, folds, latency and (when the config
/// has an energy table) energy. Counted from the schedule and its timeline; nothing here reads
/// data. Every counter is named once, in ``counters``, from which the reports and traces derive.
public struct LayerPerformance: Sendable, Hashable {
    public var cycles: Cycles = Cycles()
    public var macs: Int = 0
    /// MACs / (rows · cols · total cycles).
    public var utilization: Double = 0
    /// MACs / (rows · cols · Σ over folds of the fold's stream length): how well the layer's
    /// shape fills the array while data streams, independent of memory stalls.
    public var mappingEfficiency: Double = 0
    public var sram: SRAMTraffic = SRAMTraffic()
    public var dram: DRAMTraffic = DRAMTraffic()
    public var requantizerOps: Int = 0
    public var vectorOps: Int = 0
    /// Total cycles at the configured clock, in microseconds.
    public var latencyMicroseconds: Double = 0
    /// Energy in picojoules, when the config has an energy table.
    public var energyPicojoules: Double?
    /// The chosen mapping of a conv or fully connected layer (nil for other layers and totals).
    public var mapping: LayerMapping?

    /// Array folds run (Σ over compute tiles of their folds).
    public var arrayFolds: Int = 0
    /// DMA transfers of the schedule.
    public var dmaTransfers: Int = 0
    /// Compute steps of the schedule.
    public var computeSteps: Int = 0

    /// Cycles: `total = prologue + compute + stall.total + epilogue`.
    public struct Cycles: Sendable, Hashable {
        public var total: Int = 0
        public var compute: Int = 0
        public var stall: Stalls = Stalls()
        /// Exposed DMA time before the first compute step.
        public var prologue: Int = 0
        /// Exposed DMA time after the last compute step.
        public var epilogue: Int = 0
        /// Array cycles within `compute` (all phases of all folds).
        public var array: Int = 0
        /// Array cycles within `array` that fill the PEs with stationary operands (preload) or
        /// drain finished outputs from them: `array` minus these is the streaming time.
        public var arrayFillDrain: Int = 0
        /// Requantizer cycles within `compute`.
        public var requantizer: Int = 0
        /// Vector-unit cycles within `compute`.
        public var vector: Int = 0
    }

    /// Stall cycles by cause.
    public struct Stalls: Sendable, Hashable {
        public var total: Int = 0
        public var input: Int = 0
        public var weight: Int = 0
        public var output: Int = 0
        public var vector: Int = 0
    }

    /// Bytes read and written in one buffer.
    public struct Bytes: Sendable, Hashable {
        public var readBytes: Int = 0
        public var writeBytes: Int = 0
    }

    public struct SRAMTraffic: Sendable, Hashable {
        public var input: Bytes = Bytes()
        public var weight: Bytes = Bytes()
        public var output: Bytes = Bytes()

        /// Bytes read from the three buffers.
        public var readBytes: Int { input.readBytes + weight.readBytes + output.readBytes }
        /// Bytes written to the three buffers.
        public var writeBytes: Int { input.writeBytes + weight.writeBytes + output.writeBytes }
    }

    /// DRAM bytes at the real element widths, with the reads broken down.
    public struct DRAMTraffic: Sendable, Hashable {
        public var readBytes: Int = 0
        public var writeBytes: Int = 0
        public var inputReadBytes: Int = 0
        public var weightReadBytes: Int = 0
        public var biasReadBytes: Int = 0
        public var partialSumReadBytes: Int = 0
        public var partialSumWriteBytes: Int = 0

        /// Bytes read and written.
        public var bytes: Int { readBytes + writeBytes }
    }

    /// The performance of `layer`, whose timeline and traffic are `result`, on `hardware`.
    public init(layer: LayerSchedule, result: LayerResult, hardware: HardwareConfig) {
        let stalls = result.stalls
        cycles = Cycles(
            total: result.totalCycles, compute: result.computeCycles,
            stall: Stalls(
                total: stalls.total, input: stalls.input, weight: stalls.weight, output: stalls.output,
                vector: stalls.vector),
            prologue: result.prologueCycles, epilogue: result.epilogueCycles,
            array: result.arrayCycles, requantizer: result.requantizerCycles, vector: result.vectorCycles)
        let traffic = result.traffic
        macs = traffic.macs
        let peCount = hardware.array.rows * hardware.array.cols
        utilization = result.totalCycles == 0 ? 0 : Double(traffic.macs) / Double(peCount * result.totalCycles)
        var streamSlots = 0
        var folds = 0
        var transfers = 0
        var computes = 0
        let dataflow = hardware.array.dataflow
        for step in layer.steps {
            guard let compute = step.compute else {
                transfers += 1
                continue
            }
            computes += 1
            guard let tile = compute.tile else { continue }
            cycles.arrayFillDrain += compute.arrayPhases.preload + compute.arrayPhases.drain
            // Every fold of a tile streams the tile's whole stream range.
            let count = tile.foldCount
            folds += count
            streamSlots += count * dataflow.streamRange(m: tile.m, k: tile.k, n: tile.n).count
        }
        mappingEfficiency = streamSlots == 0 ? 0 : Double(traffic.macs) / Double(peCount * streamSlots)
        arrayFolds = folds
        dmaTransfers = transfers
        computeSteps = computes
        sram = SRAMTraffic(
            input: Bytes(readBytes: traffic.input.reads, writeBytes: traffic.input.writes),
            weight: Bytes(readBytes: traffic.weight.reads, writeBytes: traffic.weight.writes),
            output: Bytes(readBytes: traffic.output.reads, writeBytes: traffic.output.writes))
        dram = DRAMTraffic(
            readBytes: traffic.dramReadBytes, writeBytes: traffic.dramWriteBytes,
            inputReadBytes: traffic.dramInputReadBytes, weightReadBytes: traffic.dramWeightReadBytes,
            biasReadBytes: traffic.dramBiasReadBytes, partialSumReadBytes: traffic.dramPartialSumReadBytes,
            partialSumWriteBytes: traffic.dramPartialSumWriteBytes)
        requantizerOps = traffic.requantizerOps
        vectorOps = traffic.vectorOps
        latencyMicroseconds = Double(result.totalCycles) / Double(hardware.clockMHz)
        let energy = hardware.energy
        if energy.isEnabled {
            let sramReads = traffic.input.reads + traffic.weight.reads + traffic.output.reads
            let sramWrites = traffic.input.writes + traffic.weight.writes + traffic.output.writes
            let dramBytes = traffic.dramReadBytes + traffic.dramWriteBytes
            // A multi-pass layer (operands wider than the multipliers) spends one multiplier
            // operation per pass and MAC.
            let multiplierOps = traffic.macs * (layer.gemm?.lowering.passes ?? 1)
            energyPicojoules =
                Double(multiplierOps) * energy.macPJ + Double(sramReads) * energy.sramReadPJPerByte
                + Double(sramWrites) * energy.sramWritePJPerByte + Double(dramBytes) * energy.dramPJPerByte
        } else {
            energyPicojoules = nil
        }
        mapping = LayerMapping(layer)
    }

    /// The sum of `layers` (layers run one after another), on `hardware`: every integer counter
    /// of the table stored in a property (``PerformanceCounter/summed``) is summed, the ratios and
    /// the latency are recomputed from the sums, energy is summed when the layers have it.
    public static func total(_ layers: [LayerPerformance], hardware: HardwareConfig) -> LayerPerformance {
        var sum = LayerPerformance()
        var streamSlotMACs = 0.0
        for layer in layers {
            for counter in counters {
                counter.summed?(&sum, layer)
            }
            if let energy = layer.energyPicojoules { sum.energyPicojoules = (sum.energyPicojoules ?? 0) + energy }
            if layer.mappingEfficiency > 0 { streamSlotMACs += Double(layer.macs) / layer.mappingEfficiency }
        }
        let peCount = Double(hardware.array.rows * hardware.array.cols)
        sum.utilization = sum.cycles.total == 0 ? 0 : Double(sum.macs) / (peCount * Double(sum.cycles.total))
        sum.mappingEfficiency = streamSlotMACs == 0 ? 0 : Double(sum.macs) / streamSlotMACs
        sum.latencyMicroseconds = Double(sum.cycles.total) / Double(hardware.clockMHz)
        return sum
    }

    /// Every counter 0 (the start of a sum).
    init() {}
}
