import AccsimHardware
import AccsimJSON
import AccsimMapping

/// Everything `accsim run` reports, as a versioned, documented value (docs/report-format.md).
/// Built from the graph, the `Simulation`'s per-layer performance and the outputs; rendered by
/// ``renderTable()``, ``renderJSON()``, ``renderCSV()`` and ``renderHTML()``.
public struct RunReport: Sendable, Hashable, Encodable {
    /// Version of this report's JSON schema.
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int = RunReport.currentSchemaVersion
    public var accsimVersion: String
    public var model: ModelSummary
    public var hardware: HardwareSummary?
    public var samples: Int
    public var inputSource: String
    public var layers: [LayerSummary]
    public var totals: Totals
    public var outputs: [OutputSummary]
    public var accuracy: Accuracy?

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case accsimVersion = "accsim_version"
        case model, hardware, samples
        case inputSource = "input_source"
        case layers, totals, outputs, accuracy
    }

    public init(
        accsimVersion: String, model: ModelSummary, hardware: HardwareSummary?, samples: Int, inputSource: String,
        layers: [LayerSummary], totals: Totals, outputs: [OutputSummary], accuracy: Accuracy?
    ) {
        self.accsimVersion = accsimVersion
        self.model = model
        self.hardware = hardware
        self.samples = samples
        self.inputSource = inputSource
        self.layers = layers
        self.totals = totals
        self.outputs = outputs
        self.accuracy = accuracy
    }

    public struct ModelSummary: Sendable, Hashable, Encodable {
        public var name: String
        public var file: String
        public var producer: String?
        public init(name: String, file: String, producer: String?) {
            self.name = name
            self.file = file
            self.producer = producer
        }
    }

    public struct HardwareSummary: Sendable, Hashable, Encodable {
        public var name: String
        public var file: String
        public var configHash: String
        /// The resolved config (every key).
        public var config: HardwareConfig
        enum CodingKeys: String, CodingKey {
            case name, file
            case configHash = "config_hash"
            case config
        }
        public init(name: String, file: String, configHash: String, config: HardwareConfig) {
            self.name = name
            self.file = file
            self.configHash = configHash
            self.config = config
        }
    }

    public struct LayerSummary: Sendable, Hashable, Encodable {
        public var index: Int
        public var name: String
        public var op: String
        public var outputShape: [Int]
        public var outputType: String
        /// MACs for one inference (batch 1, as declared).
        public var macs: Int
        public var parameterBytes: Int
        /// Cycles, utilization and traffic on the hardware, for one inference (with `--hw`).
        public var performance: LayerPerformance?

        public init(
            index: Int, name: String, op: String, outputShape: [Int], outputType: String, macs: Int,
            parameterBytes: Int, performance: LayerPerformance?
        ) {
            self.index = index
            self.name = name
            self.op = op
            self.outputShape = outputShape
            self.outputType = outputType
            self.macs = macs
            self.parameterBytes = parameterBytes
            self.performance = performance
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: PerformanceKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(name, forKey: .name)
            try container.encode(op, forKey: .op)
            try container.encode(outputShape, forKey: .outputShape)
            try container.encode(outputType, forKey: .outputType)
            try container.encode(macs, forKey: .macs)
            try container.encode(parameterBytes, forKey: .parameterBytes)
            try performance?.encodeFields(into: &container)
        }
    }

    public struct Totals: Sendable, Hashable, Encodable {
        public var macs: Int
        public var parameterBytes: Int
        public var performance: LayerPerformance?

        public init(macs: Int, parameterBytes: Int, performance: LayerPerformance?) {
            self.macs = macs
            self.parameterBytes = parameterBytes
            self.performance = performance
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: PerformanceKeys.self)
            try container.encode(macs, forKey: .macs)
            try container.encode(parameterBytes, forKey: .parameterBytes)
            try performance?.encodeFields(into: &container)
        }
    }

    /// Keys of a layer or totals object (docs/report-format.md): the layer's own, then the
    /// performance counters' (``LayerPerformance/counters``).
    struct PerformanceKeys: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ key: String) { stringValue = key }
        init?(stringValue: String) { self.init(stringValue) }
        init?(intValue: Int) { nil }

        static let index = Self("index")
        static let name = Self("name")
        static let op = Self("op")
        static let outputShape = Self("output_shape")
        static let outputType = Self("output_type")
        static let macs = Self("macs")
        static let parameterBytes = Self("parameter_bytes")
    }

    public struct OutputSummary: Sendable, Hashable, Encodable {
        public var name: String
        public var shape: [Int]
        public var type: String
        /// CRC32 (zlib) of the output's elements at their stored width, as 8 hex digits.
        public var crc32: String
        /// Argmax per sample, for outputs shaped `[N, classes]`; only the first ones when the
        /// report was built to be rendered as a table (``predictionCount`` says how many there are).
        public var predictions: [Int]?
        /// How many samples have a prediction (the table's "… more"; not a field of the JSON).
        public var predictionCount: Int
        public init(
            name: String, shape: [Int], type: String, crc32: String, predictions: [Int]?, predictionCount: Int? = nil
        ) {
            self.name = name
            self.shape = shape
            self.type = type
            self.crc32 = crc32
            self.predictions = predictions
            self.predictionCount = predictionCount ?? predictions?.count ?? 0
        }

        private enum CodingKeys: String, CodingKey {
            case name, shape, type, crc32, predictions
        }
    }

    public struct Accuracy: Sendable, Hashable, Encodable {
        public var correct: Int
        public var total: Int
        public var top1: Double
        public init(correct: Int, total: Int) {
            self.correct = correct
            self.total = total
            self.top1 = total == 0 ? 0 : Double(correct) / Double(total)
        }
    }
}

extension LayerPerformance {
    /// Writes the performance counters after a layer's own fields, as ``reportJSON()`` nests them.
    fileprivate func encodeFields(into container: inout KeyedEncodingContainer<RunReport.PerformanceKeys>) throws {
        for member in reportJSON().members {
            try container.encode(member.value, forKey: RunReport.PerformanceKeys(member.key))
        }
        try container.encodeIfPresent(mapping, forKey: RunReport.PerformanceKeys("mapping"))
    }
}
