/// The SRAM tile sizes and loop order chosen for a GEMM layer, the same for every group. The last
/// tile of each dimension may be smaller.
public struct GEMMTiling: Sendable, Hashable {
    /// GEMM rows (output pixels) per tile: whole output rows of a conv, or all of `M`.
    public var mTile: Int
    /// Reduction elements per chunk: `KH·KW` times whole input channels for a conv.
    public var kTile: Int
    /// Filters per tile.
    public var nTile: Int
    /// The loop order.
    public var order: LoopOrder
    /// Tiles per group along m.
    public var mTiles: Int
    /// Chunks per group along k.
    public var kTiles: Int
    /// Tiles per group along n.
    public var nTiles: Int

    /// A tiling as given.
    public init(mTile: Int, kTile: Int, nTile: Int, order: LoopOrder, mTiles: Int, kTiles: Int, nTiles: Int) {
        self.mTile = mTile
        self.kTile = kTile
        self.nTile = nTile
        self.order = order
        self.mTiles = mTiles
        self.kTiles = kTiles
        self.nTiles = nTiles
    }

    /// SRAM tiles (compute steps) per group.
    public var tilesPerGroup: Int { mTiles * kTiles * nTiles }
}
