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
    /// The model's identity (``ModelIdentity/hash(of:)``: FNV-1a-64 of the canonical `.q` encoding).
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

    /// What a point costs on the hardware, per inference: the model's total of every counter of
    /// the counter table with a sweep key (``PerformanceCounter/sweepKey``) and the hardware's
    /// size, keyed as the rows state them.
    public struct Metrics: Sendable, Hashable {
        /// The metric keys of format version 1, in row order: the table's sweep keys, with the
        /// hardware's size (`pes`, `sram_bytes`) among them. Counters given a sweep key later
        /// follow these, in table order.
        public static let version1Keys = [
            "cycles", "latency_us", "utilization", "mapping_efficiency", "compute_cycles", "stall_cycles",
            "stall_input", "stall_weight", "stall_output", "stall_vector", "macs", "pes", "sram_bytes",
            "sram_read_bytes", "sram_write_bytes", "dram_read_bytes", "dram_write_bytes", "dram_bytes", "energy_pj",
        ]

        /// Every metric key, in row order.
        public static let keys: [String] =
            version1Keys
            + LayerPerformance.counters.compactMap(\.sweepKey).filter { !version1Keys.contains($0) }

        /// The counters by sweep key.
        static let counters: [String: PerformanceCounter] = Dictionary(
            uniqueKeysWithValues: LayerPerformance.counters.compactMap { counter in
                counter.sweepKey.map { ($0, counter) }
            })

        /// The model's performance, summed over its layers.
        public var total: LayerPerformance
        /// Processing elements: rows · cols (`pes`).
        public var processingElements: Int
        /// SRAM capacity: the three buffers' bytes (`sram_bytes`).
        public var sramBytes: Int

        /// The metrics of `total` (summed over the layers) on `hardware`.
        public init(total: LayerPerformance, hardware: HardwareConfig) {
            self.total = total
            processingElements = hardware.array.rows * hardware.array.cols
            sramBytes = hardware.sram.input.bytes + hardware.sram.weight.bytes + hardware.sram.output.bytes
        }

        /// The value of metric `key`; nil when absent (energy without an energy table).
        public subscript(key: String) -> JSONValue? {
            switch key {
            case "pes": .int(Int64(processingElements))
            case "sram_bytes": .int(Int64(sramBytes))
            default: Self.counters[key]?.value(total).json
            }
        }

        /// Total cycles.
        public var cycles: Int { total.cycles.total }
        /// Stall cycles, all causes.
        public var stallCycles: Int { total.cycles.stall.total }
        /// `macs / (pes · cycles)`.
        public var utilization: Double { total.utilization }
        /// DRAM bytes read.
        public var dramReadBytes: Int { total.dram.readBytes }
        /// DRAM bytes written.
        public var dramWriteBytes: Int { total.dram.writeBytes }
        /// Energy in picojoules, when the config has an energy table.
        public var energyPicojoules: Double? { total.energyPicojoules }
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
        if let metrics {
            for key in Metrics.keys {
                if let value = metrics[key] { object[key] = value }
            }
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
