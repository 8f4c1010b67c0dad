import AccsimTiming

/// One fold of the array inside an SRAM tile: the part of the tile's GEMM the array computes in
/// one pass, in GEMM coordinates of the tile's group.
public struct Fold: Sendable, Hashable {
    /// Output pixels (rows of A and C).
    public var m: Range<Int>
    /// Reduction elements.
    public var k: Range<Int>
    /// Filters (columns of B and C).
    public var n: Range<Int>

    /// A fold as given.
    public init(m: Range<Int>, k: Range<Int>, n: Range<Int>) {
        self.m = m
        self.k = k
        self.n = n
    }

    /// The used dimensions, which the timing model is asked about.
    public var shape: GEMMShape { GEMMShape(m: m.count, k: k.count, n: n.count) }

    /// Whether the fold is the first contribution to its outputs (its reduction range starts at
    /// 0): it writes the accumulators without reading them.
    public var startsReduction: Bool { k.lowerBound == 0 }
}
