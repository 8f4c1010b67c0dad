/// The cycles one tile (or, summed, a whole layer) spends on the array, by phase.
///
/// - `preload`: stationary operands shifting into the PEs (weight and input stationary).
/// - `stream`: operands streaming through the array until the last result is complete; for output
///   stationary this is the compute phase, for weight and input stationary it ends when the last
///   partial sum leaves the bottom row.
/// - `drain`: finished results shifting out of the array (output stationary).
public struct TileCycles: Sendable, Hashable, CustomStringConvertible {
    /// Cycles spent shifting the stationary operand into the PEs.
    public var preload: Int
    /// Cycles spent streaming operands (the compute phase).
    public var stream: Int
    /// Cycles spent shifting finished outputs out of the array.
    public var drain: Int

    /// Phases as given.
    public init(preload: Int, stream: Int, drain: Int) {
        self.preload = preload
        self.stream = stream
        self.drain = drain
    }

    /// No cycles at all.
    public static let zero = TileCycles(preload: 0, stream: 0, drain: 0)

    /// `preload + stream + drain`.
    public var total: Int { preload + stream + drain }

    /// Phase-wise sum.
    public static func + (lhs: TileCycles, rhs: TileCycles) -> TileCycles {
        TileCycles(preload: lhs.preload + rhs.preload, stream: lhs.stream + rhs.stream, drain: lhs.drain + rhs.drain)
    }

    /// Phase-wise sum, in place.
    public static func += (lhs: inout TileCycles, rhs: TileCycles) {
        lhs = lhs + rhs
    }

    /// Every phase multiplied by `count` (that many identical tiles back to back).
    public static func * (lhs: TileCycles, count: Int) -> TileCycles {
        TileCycles(preload: lhs.preload * count, stream: lhs.stream * count, drain: lhs.drain * count)
    }

    /// `total (preload P + stream S + drain D)`.
    public var description: String { "\(total) (preload \(preload) + stream \(stream) + drain \(drain))" }
}
