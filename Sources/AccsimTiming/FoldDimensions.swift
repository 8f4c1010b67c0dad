import AccsimHardware

/// How a dataflow lays a GEMM (or one tile of it) onto the array: which GEMM dimension spans the
/// array rows (`Sr`), which spans the array columns (`Sc`), and which streams through (`T`,
/// unbounded). The names follow SCALE-Sim's.
///
/// | dataflow | `Sr` (≤ R per fold) | `Sc` (≤ C per fold) | `T` (streams) |
/// | --- | --- | --- | --- |
/// | output stationary | `m` | `n` | `k` |
/// | weight stationary | `k` | `n` | `m` |
/// | input stationary | `k` | `m` | `n` |
public struct FoldDimensions: Sendable, Hashable {
    /// `Sr`: the extent laid along the array rows.
    public var rows: Int
    /// `Sc`: the extent laid along the array columns.
    public var cols: Int
    /// `T`: the extent that streams through the array.
    public var stream: Int

    /// Extents as given.
    public init(rows: Int, cols: Int, stream: Int) {
        self.rows = rows
        self.cols = cols
        self.stream = stream
    }
}

extension Dataflow {
    /// The row, column and stream extents of `shape` under this dataflow.
    public func foldDimensions(of shape: GEMMShape) -> FoldDimensions {
        switch self {
        case .outputStationary: FoldDimensions(rows: shape.m, cols: shape.n, stream: shape.k)
        case .weightStationary: FoldDimensions(rows: shape.k, cols: shape.n, stream: shape.m)
        case .inputStationary: FoldDimensions(rows: shape.k, cols: shape.m, stream: shape.n)
        }
    }

    /// The GEMM shape whose extents under this dataflow are `dimensions` (the inverse of
    /// ``foldDimensions(of:)``).
    public func shape(of dimensions: FoldDimensions) -> GEMMShape {
        switch self {
        case .outputStationary: GEMMShape(m: dimensions.rows, k: dimensions.stream, n: dimensions.cols)
        case .weightStationary: GEMMShape(m: dimensions.stream, k: dimensions.rows, n: dimensions.cols)
        case .inputStationary: GEMMShape(m: dimensions.cols, k: dimensions.rows, n: dimensions.stream)
        }
    }
}
