import AccsimHardware
import AccsimTiming

/// What one layer cost on the hardware, as the report states it: cycles by kind, utilization,
/// traffic per SRAM buffer and DRAM in bytes, unit operations, folds, latency and (when the config
/// has an energy table) energy. Counted from the schedule and its timeline; nothing here reads
/// data. Every counter is named once, in ``counters``, from which the reports and traces derive.
public struct LayerPerformance: Sendable, Hashable {
    public var cycles: Cycles
    public var macs: Int
    /// MACs / (rows · cols · total cycles).
    public var utilization: Double
    /// MACs / (rows · cols · Σ over folds of the fold's stream length): how well the layer's
    /// shape fills the array while data streams, independent of memory stalls.
    public var mappingEfficiency: Double
    public var sram: SRAMTraffic
    public var dram: DRAMTraffic
    public var requantizerOps: Int
    public var vectorOps: Int
    /// Total cycles at the configured clock, in microseconds.
    public var latencyMicroseconds: Double
    /// Energy in picojoules, when the config has an energy table.
    public var energyPicojoules: Double?
    /// The chosen mapping of a conv or fully connected layer (nil for other layers and totals).
    public var mapping: LayerMapping?

    /// Array folds run (Σ over compute tiles of their folds).
    public var arrayFolds: Int
    /// DMA transfers of the schedule.
    public var dmaTransfers: Int
    /// Compute steps of the schedule.
    public var computeSteps: Int

    /// Cycles: `total = prologue + compute + stall.total + epilogue`.
    public struct Cycles: Sendable, Hashable {
        public var total: Int
        public var compute: Int
        public var stall: Stalls
        /// Exposed DMA time before the first compute step.
        public var prologue: Int
        /// Exposed DMA time after the last compute step.
        public var epilogue: Int
        /// Array cycles within `compute` (all phases of all folds).
        public var array: Int
        /// Requantizer cycles within `compute`.
        public var requantizer: Int
        /// Vector-unit cycles within `compute`.
        public var vector: Int
    }

    /// Stall cycles by cause.
    public struct Stalls: Sendable, Hashable {
        public var total: Int
        public var input: Int
        public var weight: Int
        public var output: Int
        public var vector: Int
    }

    /// Bytes read and written in one buffer.
    public struct Bytes: Sendable, Hashable {
        public var readBytes: Int
        public var writeBytes: Int
    }

    public struct SRAMTraffic: Sendable, Hashable {
        public var input: Bytes
        public var weight: Bytes
        public var output: Bytes
    }

    /// DRAM bytes at the real element widths, with the reads broken down.
    public struct DRAMTraffic: Sendable, Hashable {
        public var readBytes: Int
        public var writeBytes: Int
        public var inputReadBytes: Int
        public var weightReadBytes: Int
        public var biasReadBytes: Int
        public var partialSumReadBytes: Int
        public var partialSumWriteBytes: Int
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
        for step in layer.steps {
            guard let tile = step.compute?.tile else { continue }
            folds += tile.folds.count
            for fold in tile.folds {
                streamSlots += hardware.array.dataflow.foldDimensions(of: fold.shape).stream
            }
        }
        mappingEfficiency = streamSlots == 0 ? 0 : Double(traffic.macs) / Double(peCount * streamSlots)
        arrayFolds = folds
        dmaTransfers = layer.transfers.count
        computeSteps = layer.computeSteps.count
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

    /// The sum of `layers` (layers run one after another), on `hardware`.
    public static func total(_ layers: [LayerPerformance], hardware: HardwareConfig) -> LayerPerformance {
        var sum = LayerPerformance.zero
        var streamSlotMACs = 0.0
        for layer in layers {
            sum.cycles.total += layer.cycles.total
            sum.cycles.compute += layer.cycles.compute
            sum.cycles.prologue += layer.cycles.prologue
            sum.cycles.epilogue += layer.cycles.epilogue
            sum.cycles.array += layer.cycles.array
            sum.cycles.requantizer += layer.cycles.requantizer
            sum.cycles.vector += layer.cycles.vector
            sum.cycles.stall.total += layer.cycles.stall.total
            sum.cycles.stall.input += layer.cycles.stall.input
            sum.cycles.stall.weight += layer.cycles.stall.weight
            sum.cycles.stall.output += layer.cycles.stall.output
            sum.cycles.stall.vector += layer.cycles.stall.vector
            sum.macs += layer.macs
            sum.sram.input.readBytes += layer.sram.input.readBytes
            sum.sram.input.writeBytes += layer.sram.input.writeBytes
            sum.sram.weight.readBytes += layer.sram.weight.readBytes
            sum.sram.weight.writeBytes += layer.sram.weight.writeBytes
            sum.sram.output.readBytes += layer.sram.output.readBytes
            sum.sram.output.writeBytes += layer.sram.output.writeBytes
            sum.dram.readBytes += layer.dram.readBytes
            sum.dram.writeBytes += layer.dram.writeBytes
            sum.dram.inputReadBytes += layer.dram.inputReadBytes
            sum.dram.weightReadBytes += layer.dram.weightReadBytes
            sum.dram.biasReadBytes += layer.dram.biasReadBytes
            sum.dram.partialSumReadBytes += layer.dram.partialSumReadBytes
            sum.dram.partialSumWriteBytes += layer.dram.partialSumWriteBytes
            sum.requantizerOps += layer.requantizerOps
            sum.vectorOps += layer.vectorOps
            sum.arrayFolds += layer.arrayFolds
            sum.dmaTransfers += layer.dmaTransfers
            sum.computeSteps += layer.computeSteps
            if let energy = layer.energyPicojoules { sum.energyPicojoules = (sum.energyPicojoules ?? 0) + energy }
            if layer.mappingEfficiency > 0 { streamSlotMACs += Double(layer.macs) / layer.mappingEfficiency }
        }
        let peCount = Double(hardware.array.rows * hardware.array.cols)
        sum.utilization = sum.cycles.total == 0 ? 0 : Double(sum.macs) / (peCount * Double(sum.cycles.total))
        sum.mappingEfficiency = streamSlotMACs == 0 ? 0 : Double(sum.macs) / streamSlotMACs
        sum.latencyMicroseconds = Double(sum.cycles.total) / Double(hardware.clockMHz)
        return sum
    }

    static let zero = LayerPerformance(
        cycles: Cycles(
            total: 0, compute: 0, stall: Stalls(total: 0, input: 0, weight: 0, output: 0, vector: 0), prologue: 0,
            epilogue: 0, array: 0, requantizer: 0, vector: 0),
        macs: 0, utilization: 0, mappingEfficiency: 0,
        sram: SRAMTraffic(
            input: Bytes(readBytes: 0, writeBytes: 0), weight: Bytes(readBytes: 0, writeBytes: 0),
            output: Bytes(readBytes: 0, writeBytes: 0)),
        dram: DRAMTraffic(
            readBytes: 0, writeBytes: 0, inputReadBytes: 0, weightReadBytes: 0, biasReadBytes: 0,
            partialSumReadBytes: 0, partialSumWriteBytes: 0),
        requantizerOps: 0, vectorOps: 0, arrayFolds: 0, dmaTransfers: 0, computeSteps: 0, latencyMicroseconds: 0,
        energyPicojoules: nil)

    private init(
        cycles: Cycles, macs: Int, utilization: Double, mappingEfficiency: Double, sram: SRAMTraffic, dram: DRAMTraffic,
        requantizerOps: Int, vectorOps: Int, arrayFolds: Int, dmaTransfers: Int, computeSteps: Int,
        latencyMicroseconds: Double, energyPicojoules: Double?
    ) {
        self.cycles = cycles
        self.macs = macs
        self.utilization = utilization
        self.mappingEfficiency = mappingEfficiency
        self.sram = sram
        self.dram = dram
        self.requantizerOps = requantizerOps
        self.vectorOps = vectorOps
        self.arrayFolds = arrayFolds
        self.dmaTransfers = dmaTransfers
        self.computeSteps = computeSteps
        self.latencyMicroseconds = latencyMicroseconds
        self.energyPicojoules = energyPicojoules
    }
}
