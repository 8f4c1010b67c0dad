/// One SRAM tile of a GEMM layer: which part of which group's GEMM a compute step covers, in GEMM
/// coordinates. The executor computes the tile's data from these ranges.
public struct GEMMTile: Sendable, Hashable {
    /// The group (0 for an ungrouped layer).
    public var group: Int
    /// Tile index along m (pixels).
    public var mIndex: Int
    /// Tile index along n (filters).
    public var nIndex: Int
    /// Tile index along k (the k-chunk).
    public var kIndex: Int
    /// Output pixels `[m0, m1)` (whole output rows for a conv).
    public var m: Range<Int>
    /// Filters `[n0, n1)` within the group (output channel `group · N + n`).
    public var n: Range<Int>
    /// Reduction elements `[k0, k1)` (whole input channels for a conv).
    public var k: Range<Int>
    /// Whether this is the last k-chunk of its output tile: the requantizer then turns the
    /// accumulators into outputs and the output tile is stored.
    public var isLastChunk: Bool
    /// How the tile is cut into folds.
    public var layout: FoldLayout

    /// A tile as given.
    public init(
        group: Int, mIndex: Int, nIndex: Int, kIndex: Int, m: Range<Int>, n: Range<Int>, k: Range<Int>,
        isLastChunk: Bool, layout: FoldLayout
    ) {
        self.group = group
        self.mIndex = mIndex
        self.nIndex = nIndex
        self.kIndex = kIndex
        self.m = m
        self.n = n
        self.k = k
        self.isLastChunk = isLastChunk
        self.layout = layout
    }

    /// Whether this is the first k-chunk: its first folds write the accumulators without reading.
    public var isFirstChunk: Bool { kIndex == 0 }

    /// The folds of the tile, in execution order (column chunks outer, row chunks inner; see
    /// ``FoldLayout``).
    public var folds: [Fold] { layout.folds(m: m, k: k, n: n) }

    /// Number of folds.
    public var foldCount: Int { layout.foldCount(m: m.count, k: k.count, n: n.count) }
}
