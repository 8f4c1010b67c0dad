import AccsimJSON

/// What a trace file says about the run it records: the format and simulator versions, what was
/// traced, the model and the resolved hardware config (with their hashes), element widths,
/// rounding and overflow modes, the clock, and the layers with their global start cycles.
///
/// Stored as compact JSON in chunk 0 (Traces/FORMAT.md). Keys are snake_case.
public struct TraceHeader: Sendable, Hashable, Codable {
    /// Always `accsim-trace`.
    public var format: String
    /// The format version of the file (``TraceFormat/version`` when written by this build).
    public var formatVersion: Int
    /// The accsim version that wrote the file.
    public var accsimVersion: String
    /// What was traced.
    public var level: TraceLevel
    /// Layers traced below the layer level (nil: all).
    public var tracedLayers: TraceLayerSet?
    /// Global cycles traced at the cycle level (nil: all).
    public var cycleWindow: CycleWindow?
    /// The sample of the batch that was traced (0-based).
    public var sample: Int
    /// The model.
    public var model: Model
    /// The hardware.
    public var hardware: Hardware
    /// Clock in MHz (cycles to time).
    public var clockMHz: Int
    /// The array.
    public var array: ArrayGeometry
    /// Element widths in bits.
    public var elementWidths: ElementWidths
    /// What int32 accumulators do on overflow: `wrap` or `saturate`.
    public var overflow: String
    /// The rounding modes of the model's requantizers, sorted.
    public var rounding: [String]
    /// Every layer in node order.
    public var layers: [Layer]
    /// Cycles of all layers, one after another.
    public var totalCycles: Int

    enum CodingKeys: String, CodingKey {
        case format
        case formatVersion = "format_version"
        case accsimVersion = "accsim_version"
        case level
        case tracedLayers = "traced_layers"
        case cycleWindow = "cycle_window"
        case sample, model, hardware
        case clockMHz = "clock_mhz"
        case array
        case elementWidths = "element_widths"
        case overflow, rounding, layers
        case totalCycles = "total_cycles"
    }

    /// A header as given.
    public init(
        formatVersion: Int = Int(TraceFormat.version), accsimVersion: String, level: TraceLevel,
        tracedLayers: TraceLayerSet?,
        cycleWindow: CycleWindow?, sample: Int, model: Model, hardware: Hardware, clockMHz: Int, array: ArrayGeometry,
        elementWidths: ElementWidths, overflow: String, rounding: [String], layers: [Layer], totalCycles: Int
    ) {
        self.format = "accsim-trace"
        self.formatVersion = formatVersion
        self.accsimVersion = accsimVersion
        self.level = level
        self.tracedLayers = tracedLayers
        self.cycleWindow = cycleWindow
        self.sample = sample
        self.model = model
        self.hardware = hardware
        self.clockMHz = clockMHz
        self.array = array
        self.elementWidths = elementWidths
        self.overflow = overflow
        self.rounding = rounding
        self.layers = layers
        self.totalCycles = totalCycles
    }

    /// The model: its name and a hash of its canonical `.q` encoding.
    public struct Model: Sendable, Hashable, Codable {
        /// The name.
        public var name: String
        /// FNV-1a 64 of the canonical `.q` bytes of the graph that ran, 16 hex digits.
        public var hash: String

        /// A value as given.
        public init(name: String, hash: String) {
            self.name = name
            self.hash = hash
        }
    }

    /// The hardware: name, hash and the resolved config, every key.
    public struct Hardware: Sendable, Hashable, Codable {
        /// The name.
        public var name: String
        /// The config hash accsim reports (`accsim config show`).
        public var hash: String
        /// The resolved config.
        public var config: JSONValue

        /// A value as given.
        public init(name: String, hash: String, config: JSONValue) {
            self.name = name
            self.hash = hash
            self.config = config
        }
    }

    /// The array's geometry and timing convention.
    public struct ArrayGeometry: Sendable, Hashable, Codable {
        /// Physical rows.
        public var rows: Int
        /// Physical columns.
        public var cols: Int
        /// `weight_stationary`, `output_stationary` or `input_stationary`.
        public var dataflow: String
        /// `native` or `scale_sim`.
        public var convention: String

        /// A value as given.
        public init(rows: Int, cols: Int, dataflow: String, convention: String) {
            self.rows = rows
            self.cols = cols
            self.dataflow = dataflow
            self.convention = convention
        }
    }

    /// Element widths in bits.
    public struct ElementWidths: Sendable, Hashable, Codable {
        /// Input (activation) element bits.
        public var input: Int
        /// Weight element bits.
        public var weight: Int
        /// Accumulator bits.
        public var accumulator: Int
        /// Output element bits.
        public var output: Int

        /// A value as given.
        public init(input: Int, weight: Int, accumulator: Int, output: Int) {
            self.input = input
            self.weight = weight
            self.accumulator = accumulator
            self.output = output
        }
    }

    /// One layer: its global start cycle (the sum of the previous layers' cycles) and length.
    public struct Layer: Sendable, Hashable, Codable {
        /// Node index.
        public var index: Int
        /// The name.
        public var name: String
        /// The operation kind, e.g. `conv2d`.
        public var op: String
        /// Global cycle the layer starts.
        public var startCycle: Int
        /// The layer's total cycles.
        public var cycles: Int
        /// The rounding mode of the layer's requantizer, if it has one.
        public var rounding: String?

        enum CodingKeys: String, CodingKey {
            case index, name, op
            case startCycle = "start_cycle"
            case cycles, rounding
        }

        /// A value as given.
        public init(index: Int, name: String, op: String, startCycle: Int, cycles: Int, rounding: String?) {
            self.index = index
            self.name = name
            self.op = op
            self.startCycle = startCycle
            self.cycles = cycles
            self.rounding = rounding
        }
    }

    /// Whether `layer` is traced below the layer level.
    public func traces(layer: Int) -> Bool {
        tracedLayers?.contains(layer) ?? true
    }

    /// The compact JSON the file stores.
    public func encoded() throws(TraceError) -> [UInt8] {
        do {
            return try JSONWriter(style: .compact).encode(self)
        } catch {
            throw TraceError(.io, "cannot encode the trace header: \(error)")
        }
    }

    /// Decodes the stored JSON.
    public static func decode(_ bytes: [UInt8]) throws(JSONError) -> TraceHeader {
        try StrictJSONDecoder().decode(TraceHeader.self, from: bytes)
    }
}
