/// An edge of the physical array where values enter or leave.
public enum ArrayEdge: String, Sendable, Hashable, CaseIterable {
    /// Where streamed operands enter, one per row (`index` = row).
    case left
    /// Where stationary operands are preloaded (weight/input stationary) or the second operand
    /// streams in (output stationary), one per column (`index` = column).
    case top
    /// Where finished outputs leave into the accumulator buffer, one per column (`index` = column).
    case bottom
}

/// One value crossing an edge of the array in one cycle, as ``SystolicArraySimulator`` observes it.
///
/// Cycles count from the start of the tile (cycle 0 is the first preload cycle, or the first
/// stream cycle when there is no preload). A value entering is presented at the edge during
/// `cycle` and consumed by the edge PE in that cycle; a value leaving is captured at the end of
/// `cycle`. Only meaningful values are reported: the constant zero partial sums entering the top of
/// each column during a weight/input-stationary stream, bubbles, and values leaving unused
/// columns are not.
public struct ArrayEdgeEvent: Sendable, Hashable, CustomStringConvertible {
    /// Cycle of the tile in which the value crosses the edge.
    public var cycle: Int
    /// Which edge it crosses.
    public var edge: ArrayEdge
    /// Row (left edge) or column (top, bottom) it crosses at.
    public var index: Int
    /// The value: an operand entering, or an int32 output leaving.
    public var value: Int32

    /// An event as given.
    public init(cycle: Int, edge: ArrayEdge, index: Int, value: Int32) {
        self.cycle = cycle
        self.edge = edge
        self.index = index
        self.value = value
    }

    /// `cycle edge[index] = value`, e.g. `12 bottom[3] = -70`.
    public var description: String { "\(cycle) \(edge.rawValue)[\(index)] = \(value)" }
}
