/// What ``SystolicArraySimulator`` observed for one tile: its cycles by phase and its results.
public struct SteppedTile: Sendable, Hashable {
    /// The tile that ran.
    public var shape: GEMMShape
    /// Cycles by phase, counted as the registers moved: the preload until the deepest used row
    /// holds its operand, the stream until the last result is complete (weight/input stationary:
    /// captured below the last row; output stationary: the last MAC), the drain until the last
    /// output has left the bottom edge.
    public var cycles: TileCycles
    /// `C[m×n]` row-major, each element accumulated in the order the array adds its products.
    public var output: [Int32]

    /// An observation as given.
    public init(shape: GEMMShape, cycles: TileCycles, output: [Int32]) {
        self.shape = shape
        self.cycles = cycles
        self.output = output
    }
}
