/// The on-chip memory a DMA transfer or an SRAM access touches.
public enum TraceBuffer: UInt8, Sendable, Hashable, CaseIterable {
    /// The input (activation) SRAM buffer.
    case input = 0
    /// The weight SRAM buffer.
    case weight = 1
    /// The output (accumulator) SRAM buffer.
    case output = 2
    /// The requantizer's parameter memory (the int32 bias).
    case parameters = 3

    /// `input`, `weight`, `output`, `parameters`.
    public var name: String {
        switch self {
        case .input: "input"
        case .weight: "weight"
        case .output: "output"
        case .parameters: "parameters"
        }
    }
}

/// Which way a DMA transfer moves data.
public enum TraceDirection: UInt8, Sendable, Hashable, CaseIterable {
    /// DRAM → buffer.
    case load = 0
    /// Buffer → DRAM.
    case store = 1

    /// `load` or `store`.
    public var name: String { self == .load ? "load" : "store" }
}

/// Why a compute step started later than the previous one ended.
public enum TraceStallCause: UInt8, Sendable, Hashable, CaseIterable {
    /// No stall.
    case none = 0
    case input = 1
    case weight = 2
    case output = 3
    case vector = 4

    /// `-` for none, else the cause.
    public var name: String {
        switch self {
        case .none: "-"
        case .input: "input"
        case .weight: "weight"
        case .output: "output"
        case .vector: "vector"
        }
    }
}

/// An edge of the physical array (docs/timing.md, "Edge events").
public enum TraceEdge: UInt8, Sendable, Hashable, CaseIterable {
    /// Streamed operands enter, one per row.
    case left = 0
    /// Stationary operands are preloaded (WS/IS) or the second operand streams in (OS), one per column.
    case top = 1
    /// Outputs leave into the accumulator buffer, one per column.
    case bottom = 2

    /// `left`, `top` or `bottom`.
    public var name: String {
        switch self {
        case .left: "left"
        case .top: "top"
        case .bottom: "bottom"
        }
    }
}
