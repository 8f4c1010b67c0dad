import AccsimHardware

extension ArrayTimingModel {
    /// accsim's native per-tile cycles, with the tile's used dimensions `m`, `k`, `n` and the
    /// physical row count `R` (partial sums and drained outputs cross every physical row):
    ///
    /// | dataflow | preload | stream | drain | total |
    /// | --- | --- | --- | --- | --- |
    /// | weight stationary | `k` | `m + n + R − 2` | 0 | `k + m + n + R − 2` |
    /// | input stationary | `k` | `n + m + R − 2` | 0 | `k + m + n + R − 2` |
    /// | output stationary | 0 | `k + m + n − 2` | `R` | `k + m + n + R − 2` |
    ///
    /// ``SystolicArraySimulator`` observes exactly these counts; docs/timing.md derives them.
    ///
    /// - Precondition: ``fits(_:)`` holds for `tile` (not checked here).
    func nativeTileCycles(_ tile: GEMMShape) -> TileCycles {
        switch dataflow {
        case .weightStationary:
            // k rows of weights shift in; output (i, c) leaves row R−1 at stream cycle i + c + R − 1.
            return TileCycles(preload: tile.k, stream: tile.m + tile.n + rows - 2, drain: 0)
        case .inputStationary:
            // Aᵀ (k rows) shifts in; output (i, f) leaves row R−1 in column i at stream cycle f + i + R − 1.
            return TileCycles(preload: tile.k, stream: tile.n + tile.m + rows - 2, drain: 0)
        case .outputStationary:
            // The last MAC is at PE(m−1, n−1) in cycle k + m + n − 3; then R shifts empty the array.
            return TileCycles(preload: 0, stream: tile.k + tile.m + tile.n - 2, drain: rows)
        }
    }
}
