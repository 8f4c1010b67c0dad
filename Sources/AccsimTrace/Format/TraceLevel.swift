/// How much a trace records. Levels are cumulative: each includes everything of the ones before.
public enum TraceLevel: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Per layer: start and end cycle, CRCs of the int8 outputs and int32 accumulators, counters.
    case layer
    /// Plus every DMA transfer and every compute step (tile) with its window and tile indices.
    case tile
    /// Plus every requantizer step: inputs, parameters, pre-saturation value, flag, output.
    case requant
    /// Plus, per array fold, every value crossing an array edge and every SRAM bank access.
    case cycle

    /// Position in the order layer < tile < requant < cycle.
    public var rank: Int {
        switch self {
        case .layer: 0
        case .tile: 1
        case .requant: 2
        case .cycle: 3
        }
    }

    /// Orders levels layer < tile < requant < cycle.
    public static func < (lhs: TraceLevel, rhs: TraceLevel) -> Bool { lhs.rank < rhs.rank }
}
