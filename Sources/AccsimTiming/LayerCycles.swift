/// The array cycles of a whole layer: its GEMM folded onto the array and the folds run back to
/// back, each one's phases summed.
public struct LayerCycles: Sendable, Hashable {
    /// Number of folds (tiles) the GEMM needs: `ceil(Sr/R) · ceil(Sc/C)`.
    public var folds: Int
    /// The phases summed over all folds.
    public var phases: TileCycles

    /// A layer of `folds` folds taking `phases` in total.
    public init(folds: Int, phases: TileCycles) {
        self.folds = folds
        self.phases = phases
    }

    /// All cycles of all folds.
    public var total: Int { phases.total }
}
