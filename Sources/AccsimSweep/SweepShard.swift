/// One of `count` disjoint parts of a grid (`--shard I/N`, 1 ≤ I ≤ N): shard `I` holds the points
/// whose grid index `p` has `p mod N = I − 1` — round robin, so every shard gets a similar mix of
/// models and configurations, and the N shards together hold every point exactly once.
public struct SweepShard: Sendable, Hashable, CustomStringConvertible {
    /// 1-based shard number.
    public var index: Int
    /// Number of shards.
    public var count: Int

    /// The whole grid.
    public static let all = SweepShard(uncheckedIndex: 1, count: 1)

    /// Shard `index` of `count`.
    public init(index: Int, count: Int) throws(SweepError) {
        guard count >= 1, index >= 1, index <= count else {
            throw SweepError("--shard \(index)/\(count): expected I/N with 1 ≤ I ≤ N")
        }
        self.index = index
        self.count = count
    }

    private init(uncheckedIndex: Int, count: Int) {
        self.index = uncheckedIndex
        self.count = count
    }

    /// Parses `I/N`.
    public static func parse(_ text: String) throws(SweepError) -> SweepShard {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw SweepError("--shard '\(text)': expected I/N, e.g. 2/8 (1 ≤ I ≤ N)")
        }
        return try SweepShard(index: index, count: count)
    }

    /// Whether grid index `pointIndex` belongs to this shard.
    public func contains(_ pointIndex: Int) -> Bool {
        pointIndex % count == index - 1
    }

    /// The grid indices of this shard in a grid of `total` points, in grid order.
    public func indices(total: Int) -> StrideTo<Int> {
        stride(from: index - 1, to: total, by: count)
    }

    /// Number of points of this shard in a grid of `total` points.
    public func pointCount(total: Int) -> Int {
        total >= index ? (total - index) / count + 1 : 0
    }

    /// The grid index of this shard's `slot`-th point.
    public func gridIndex(ofSlot slot: Int) -> Int {
        index - 1 + slot * count
    }

    public var description: String { "\(index)/\(count)" }
}
