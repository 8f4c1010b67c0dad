import AccsimHardware

/// Analytic cycle counts of the systolic array: per tile (one fold of the array) and per layer,
/// for one dataflow and one ``TimingConvention``.
///
/// Under ``TimingConvention/native`` the counts are defined by ``SystolicArraySimulator``, the
/// register-level model, and equal it exactly for every tile; under
/// ``TimingConvention/scaleSim`` they follow SCALE-Sim's published per-fold formulas. The formulas
/// and the differences between the two conventions are derived in docs/timing.md.
public struct ArrayTimingModel: Sendable, Hashable {
    /// Physical rows `R` of the array.
    public var rows: Int
    /// Physical columns `C` of the array.
    public var cols: Int
    /// Which operand stays in the PEs.
    public var dataflow: Dataflow
    /// Which cycle convention the counts follow.
    public var convention: TimingConvention

    /// A model of an `rows × cols` array. Both must be at least 1.
    public init(rows: Int, cols: Int, dataflow: Dataflow, convention: TimingConvention = .native) {
        precondition(rows >= 1 && cols >= 1, "array dimensions must be at least 1, got \(rows)×\(cols)")
        self.rows = rows
        self.cols = cols
        self.dataflow = dataflow
        self.convention = convention
    }

    /// The model of a configured array under `convention`.
    public init(array: ArrayConfig, convention: TimingConvention) {
        self.init(rows: array.rows, cols: array.cols, dataflow: array.dataflow, convention: convention)
    }

    /// The model of a configured accelerator: its array and its timing convention.
    public init(config: HardwareConfig) {
        self.init(array: config.array, convention: config.convention)
    }

    /// Whether `tile` is a valid tile of this array: every dimension at least 1, the row extent
    /// `Sr` at most `R` and the column extent `Sc` at most `C` (the stream extent is unbounded).
    public func fits(_ tile: GEMMShape) -> Bool {
        let d = dataflow.foldDimensions(of: tile)
        return tile.isNonEmpty && d.rows <= rows && d.cols <= cols
    }

    /// The cycles of one tile, by phase.
    ///
    /// - Precondition: ``fits(_:)`` holds for `tile`.
    public func tileCycles(_ tile: GEMMShape) -> TileCycles {
        precondition(fits(tile), "tile \(tile) does not fit a \(rows)×\(cols) \(dataflow.rawValue) array")
        switch convention {
        case .native: return nativeTileCycles(tile)
        case .scaleSim: return scaleSimFoldCycles(stream: dataflow.foldDimensions(of: tile).stream)
        }
    }
}
