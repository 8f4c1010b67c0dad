import AccsimArithmetic

/// The accelerator as a value: array, requantizer, vector unit, SRAM buffers, DRAM interface,
/// clock and optional energy costs. Every key has a default (``HardwareConfig/standard``); a file
/// only states what differs. Documented key by key in HardwareConfigs/README.md.
public struct HardwareConfig: Sendable, Hashable, Codable {
    /// The largest SRAM buffer a config may declare, in KiB: 2^30 (1 TiB). Checked before the
    /// size is multiplied, so no later product of sizes overflows.
    public static let maxSRAMKiB = 1 << 30

    /// Version of the config schema this accsim reads and writes.
    public static let currentVersion = 1

    public var version: Int
    public var name: String
    public var description: String
    public var clockMHz: Int
    public var array: ArrayConfig
    public var requantizer: RequantizerConfig
    public var vectorUnit: VectorUnitConfig
    public var sram: SRAMConfig
    public var dram: DRAMConfig
    public var energy: EnergyConfig
    /// Which cycle convention the timing model follows: accsim's own or SCALE-Sim's.
    public var convention: TimingConvention
    /// What the mapper minimises when it tiles a layer (docs/mapping.md).
    public var mapping: MappingConfig

    enum CodingKeys: String, CodingKey {
        case version, name, description
        case clockMHz = "clock_mhz"
        case array, requantizer
        case vectorUnit = "vector_unit"
        case sram, dram, energy, convention, mapping
    }
}

/// How the mapper chooses among the tilings of a layer.
public struct MappingConfig: Sendable, Hashable, Codable {
    /// The quantity the chosen tiling minimises; ties follow the documented order (docs/mapping.md).
    public var objective: MappingObjective

    /// A mapping config with `objective`.
    public init(objective: MappingObjective) {
        self.objective = objective
    }
}

/// What the mapper minimises, computed on the layer's real timeline and traffic.
public enum MappingObjective: String, Sendable, Hashable, Codable, CaseIterable {
    /// The layer's total cycles (DMA overlap, double buffering, stalls, requantizer included).
    case latency
    /// The layer's energy (needs an `energy` table; without one every tiling ties at 0).
    case energy
    /// Energy × cycles.
    case edp
    /// Bytes read from and written to DRAM.
    case dramBytes = "dram_bytes"
}

/// The systolic / MAC array.
public struct ArrayConfig: Sendable, Hashable, Codable {
    public var rows: Int
    public var cols: Int
    public var dataflow: Dataflow
    /// Element type of the activations entering the array.
    public var inputType: ElementType
    /// Element type of the weights entering the array.
    public var weightType: ElementType
    /// Accumulator width in bits (32).
    public var accumulatorBits: Int
    /// What an accumulator does on overflow.
    public var overflow: OverflowMode

    enum CodingKeys: String, CodingKey {
        case rows, cols, dataflow
        case inputType = "input_type"
        case weightType = "weight_type"
        case accumulatorBits = "accumulator_bits"
        case overflow
    }
}

/// Which operand stays in the processing elements while the others stream through.
public enum Dataflow: String, Sendable, Hashable, Codable, CaseIterable {
    case weightStationary = "weight_stationary"
    case outputStationary = "output_stationary"
    case inputStationary = "input_stationary"
}

/// Which cycle-counting convention to follow.
public enum TimingConvention: String, Sendable, Hashable, Codable, CaseIterable {
    /// accsim's own per-tile model (docs/timing.md).
    case native
    /// SCALE-Sim's per-fold compute formula, for like-for-like comparison with that tool.
    case scaleSim = "scale_sim"
}

/// The requantizer unit after the array.
public struct RequantizerConfig: Sendable, Hashable, Codable {
    /// Width of the integer multiplier M in bits: 0 (shift only, M = 1) to 32.
    public var multiplierBits: Int
    /// The largest right shift the unit implements.
    public var maxShift: Int
    /// Rounding modes the unit implements.
    public var roundingModes: [RoundingMode]
    /// Outputs produced per cycle.
    public var lanes: Int

    enum CodingKeys: String, CodingKey {
        case multiplierBits = "multiplier_bits"
        case maxShift = "max_shift"
        case roundingModes = "rounding_modes"
        case lanes
    }
}

/// The vector unit: elementwise operations, pooling, lookup tables, softmax.
public struct VectorUnitConfig: Sendable, Hashable, Codable {
    /// Elements processed per operation issue.
    public var lanes: Int
    /// Cycles per lane-wide operation, by operation class.
    public var cyclesPerOp: CyclesPerOp

    enum CodingKeys: String, CodingKey {
        case lanes
        case cyclesPerOp = "cycles_per_op"
    }

    /// Cycles one lane-wide step of each operation class takes.
    public struct CyclesPerOp: Sendable, Hashable, Codable {
        public var add: Int
        public var pool: Int
        public var lookupTable: Int
        public var softmax: Int
        public var requantize: Int
        public var copy: Int

        enum CodingKeys: String, CodingKey {
            case add, pool
            case lookupTable = "lookup_table"
            case softmax, requantize, copy
        }
    }
}

/// The three on-chip buffers.
public struct SRAMConfig: Sendable, Hashable, Codable {
    public var input: BufferConfig
    public var weight: BufferConfig
    /// The output / accumulator buffer (holds int32 partial sums).
    public var output: BufferConfig
}

/// One SRAM buffer.
public struct BufferConfig: Sendable, Hashable, Codable {
    public var kib: Int
    public var banks: Int
    /// Bytes each bank reads or writes per cycle.
    public var bankBytesPerCycle: Int
    /// Whether the buffer is split in two halves so the next tile loads while this one computes.
    public var doubleBuffered: Bool

    enum CodingKeys: String, CodingKey {
        case kib, banks
        case bankBytesPerCycle = "bank_bytes_per_cycle"
        case doubleBuffered = "double_buffered"
    }

    /// Capacity in bytes.
    public var bytes: Int { kib * 1024 }
}

/// The DRAM interface.
public struct DRAMConfig: Sendable, Hashable, Codable {
    public var bandwidthBytesPerCycle: Int
    public var latencyCycles: Int
    public var burstBytes: Int

    enum CodingKeys: String, CodingKey {
        case bandwidthBytesPerCycle = "bandwidth_bytes_per_cycle"
        case latencyCycles = "latency_cycles"
        case burstBytes = "burst_bytes"
    }
}

/// Energy per action in picojoules; all zero means "no energy estimate".
public struct EnergyConfig: Sendable, Hashable, Codable {
    public var macPJ: Double
    public var sramReadPJPerByte: Double
    public var sramWritePJPerByte: Double
    public var dramPJPerByte: Double

    enum CodingKeys: String, CodingKey {
        case macPJ = "mac_pj"
        case sramReadPJPerByte = "sram_read_pj_per_byte"
        case sramWritePJPerByte = "sram_write_pj_per_byte"
        case dramPJPerByte = "dram_pj_per_byte"
    }

    /// Whether any cost is set, i.e. whether an energy estimate is reported.
    public var isEnabled: Bool {
        macPJ != 0 || sramReadPJPerByte != 0 || sramWritePJPerByte != 0 || dramPJPerByte != 0
    }
}
