import AccsimHardware
import AccsimJSON
import AccsimMapping

/// One result row (docs/sweep-format.md): the point, its config hash, and either its performance
/// (and outputs) or why it is invalid.
public struct SweepRow: Sendable, Hashable {
    /// Whether the point could be simulated.
    public enum Status: String, Sendable, Hashable {
        /// Simulated; the metrics are present.
        case ok
        /// The config fails validation, the model cannot be mapped or run on it; `error` says why.
        case invalid
    }

    /// Stable point id: ``SweepHash/pointID(modelHash:configHash:)``.
    public var id: String
    /// Position in grid order.
    public var index: Int
    /// The model's name (from the graph).
    public var model: String
    /// The model file.
    public var modelFile: String
    /// Hash of the model file's bytes.
    public var modelHash: String
    /// The varied keys' values at this point.
    public var values: [SweepAssignment]
    /// Whether the point was simulated.
    public var status: Status
    /// Why the point is invalid.
    public var error: String?
    /// The resolved config's hash (for a config that does not resolve, the hash of the base
    /// config's hash and the point's overrides).
    public var configHash: String
    /// ``SweepPlan/setupHashes``: the input data, labels and requantizer conversion the row was
    /// computed with. Resuming skips a point only when its row has the same setup.
    public var setupHash: String
    /// Performance of one inference (nil for invalid points).
    public var metrics: Metrics?
    /// The data key's digest and the output summary, when the sweep has input data.
    public var data: Data?

    /// What a point costs on the hardware, per inference.
    public struct Metrics: Sendable, Hashable {
        /// Total cycles (`cycles`).
        public var cycles: Int
        /// `cycles / clock_mhz` (`latency_us`).
        public var latencyMicroseconds: Double
        /// `macs / (pes · cycles)`.
        public var utilization: Double
        /// How well the layers fill the array while data streams.
        public var mappingEfficiency: Double
        /// Cycles in which a unit computes.
        public var computeCycles: Int
        /// Stall cycles, all causes.
        public var stallCycles: Int
        /// Stalls waiting for input transfers.
        public var stallInput: Int
        /// Stalls waiting for weight transfers.
        public var stallWeight: Int
        /// Stalls waiting for output stores.
        public var stallOutput: Int
        /// Stalls of the vector unit.
        public var stallVector: Int
        /// Multiply-accumulates.
        public var macs: Int
        /// Processing elements: rows · cols.
        public var processingElements: Int
        /// SRAM capacity: the three buffers' bytes.
        public var sramBytes: Int
        /// SRAM bytes read, all buffers.
        public var sramReadBytes: Int
        /// SRAM bytes written, all buffers.
        public var sramWriteBytes: Int
        /// DRAM bytes read.
        public var dramReadBytes: Int
        /// DRAM bytes written.
        public var dramWriteBytes: Int
        /// Energy in picojoules, when the config has an energy table.
        public var energyPicojoules: Double?

        /// The metrics of `total` (summed over the layers) on `hardware`.
        public init(total: LayerPerformance, hardware: HardwareConfig) {
            cycles = total.cycles.total
            latencyMicroseconds = total.latencyMicroseconds
            utilization = total.utilization
            mappingEfficiency = total.mappingEfficiency
            computeCycles = total.cycles.compute
            stallCycles = total.cycles.stall.total
            stallInput = total.cycles.stall.input
            stallWeight = total.cycles.stall.weight
            stallOutput = total.cycles.stall.output
            stallVector = total.cycles.stall.vector
            macs = total.macs
            processingElements = hardware.array.rows * hardware.array.cols
            sramBytes = hardware.sram.input.bytes + hardware.sram.weight.bytes + hardware.sram.output.bytes
            sramReadBytes = total.sram.input.readBytes + total.sram.weight.readBytes + total.sram.output.readBytes
            sramWriteBytes = total.sram.input.writeBytes + total.sram.weight.writeBytes + total.sram.output.writeBytes
            dramReadBytes = total.dram.readBytes
            dramWriteBytes = total.dram.writeBytes
            energyPicojoules = total.energyPicojoules
        }
    }

    /// The outputs of a point.
    public struct Data: Sendable, Hashable {
        /// ``SweepDataKey/digest(modelHash:)``: points with equal digests share their outputs.
        public var key: String
        /// The outputs' checksum and accuracy.
        public var summary: SweepDataSummary

        /// Data as given.
        public init(key: String, summary: SweepDataSummary) {
            self.key = key
            self.summary = summary
        }
    }

    /// A row as given.
    public init(
        id: String, index: Int, model: String, modelFile: String, modelHash: String, values: [SweepAssignment],
        status: Status, error: String?, configHash: String, setupHash: String, metrics: Metrics?, data: Data?
    ) {
        self.id = id
        self.index = index
        self.model = model
        self.modelFile = modelFile
        self.modelHash = modelHash
        self.values = values
        self.status = status
        self.error = error
        self.configHash = configHash
        self.setupHash = setupHash
        self.metrics = metrics
        self.data = data
    }

    /// The row as a JSON object, keys in the documented order; absent values are omitted.
    public func jsonObject() -> JSONObject {
        var object = JSONObject()
        object["schema_version"] = .int(Int64(SweepSchema.version))
        object["id"] = .string(id)
        object["index"] = .int(Int64(index))
        object["model"] = .string(model)
        object["model_file"] = .string(modelFile)
        object["model_hash"] = .string(modelHash)
        var valueObject = JSONObject()
        for assignment in values { valueObject[assignment.key] = assignment.value }
        object["values"] = .object(valueObject)
        object["status"] = .string(status.rawValue)
        if let error { object["error"] = .string(error) }
        object["config_hash"] = .string(configHash)
        object["setup_hash"] = .string(setupHash)
        if let m = metrics {
            object["cycles"] = .int(Int64(m.cycles))
            object["latency_us"] = .double(m.latencyMicroseconds)
            object["utilization"] = .double(m.utilization)
            object["mapping_efficiency"] = .double(m.mappingEfficiency)
            object["compute_cycles"] = .int(Int64(m.computeCycles))
            object["stall_cycles"] = .int(Int64(m.stallCycles))
            object["stall_input"] = .int(Int64(m.stallInput))
            object["stall_weight"] = .int(Int64(m.stallWeight))
            object["stall_output"] = .int(Int64(m.stallOutput))
            object["stall_vector"] = .int(Int64(m.stallVector))
            object["macs"] = .int(Int64(m.macs))
            object["pes"] = .int(Int64(m.processingElements))
            object["sram_bytes"] = .int(Int64(m.sramBytes))
            object["sram_read_bytes"] = .int(Int64(m.sramReadBytes))
            object["sram_write_bytes"] = .int(Int64(m.sramWriteBytes))
            object["dram_read_bytes"] = .int(Int64(m.dramReadBytes))
            object["dram_write_bytes"] = .int(Int64(m.dramWriteBytes))
            object["dram_bytes"] = .int(Int64(m.dramReadBytes + m.dramWriteBytes))
            if let energy = m.energyPicojoules { object["energy_pj"] = .double(energy) }
        }
        if let data {
            object["data_key"] = .string(data.key)
            object["output_crc32"] = .string(data.summary.outputCRC32)
            object["samples"] = .int(Int64(data.summary.samples))
            if let correct = data.summary.correct {
                object["correct"] = .int(Int64(correct))
                object["top1"] = .double(data.summary.samples == 0 ? 0 : Double(correct) / Double(data.summary.samples))
            }
        }
        return object
    }

    /// The row as one line of compact JSON, with its newline.
    public func jsonLine() -> [UInt8] {
        ((try? JSONWriter(style: .compact).serialize(.object(jsonObject()))) ?? []) + [0x0A]
    }
}
