/// One event of a trace.
public enum TraceRecord: Sendable, Hashable {
    case layerBegin(LayerBeginRecord)
    case layerEnd(LayerEndRecord)
    case dma(DMARecord)
    case compute(ComputeRecord)
    case requant(RequantRecord)
    case fold(FoldRecord)
    case edge(EdgeRecord)
    case sram(SRAMRecord)
    case unknown(UnknownRecord)

    /// The record kind as the dump names it.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case layerBegin = "layer-begin"
        case layerEnd = "layer-end"
        case dma
        case compute
        case requant
        case fold
        case edge
        case sram
        case unknown

        /// The type byte in the binary encoding.
        public var typeCode: UInt8 {
            switch self {
            case .layerBegin: 0x01
            case .layerEnd: 0x02
            case .dma: 0x10
            case .compute: 0x11
            case .requant: 0x20
            case .fold: 0x30
            case .edge: 0x31
            case .sram: 0x32
            case .unknown: 0xFF
            }
        }

        /// The least level that records this kind.
        public var level: TraceLevel {
            switch self {
            case .layerBegin, .layerEnd: .layer
            case .dma, .compute: .tile
            case .requant: .requant
            case .fold, .edge, .sram, .unknown: .cycle
            }
        }
    }

    /// The kind.
    public var kind: Kind {
        switch self {
        case .layerBegin: .layerBegin
        case .layerEnd: .layerEnd
        case .dma: .dma
        case .compute: .compute
        case .requant: .requant
        case .fold: .fold
        case .edge: .edge
        case .sram: .sram
        case .unknown: .unknown
        }
    }

    /// The record's (first) global cycle.
    public var cycle: Int {
        switch self {
        case .layerBegin(let r): r.cycle
        case .layerEnd(let r): r.cycle
        case .dma(let r): r.cycle
        case .compute(let r): r.cycle
        case .requant(let r): r.cycle
        case .fold(let r): r.cycle
        case .edge(let r): r.cycle
        case .sram(let r): r.cycle
        case .unknown(let r): r.cycle
        }
    }

    /// The layer (node index) the record belongs to.
    public var layer: Int {
        switch self {
        case .layerBegin(let r): r.layer
        case .layerEnd(let r): r.layer
        case .dma(let r): r.layer
        case .compute(let r): r.layer
        case .requant(let r): r.layer
        case .fold(let r): r.layer
        case .edge(let r): r.layer
        case .sram(let r): r.layer
        case .unknown(let r): r.layer
        }
    }
}
