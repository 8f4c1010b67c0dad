/// The Pareto front of result rows: the points no other point beats on every metric (all metrics
/// minimised). Computed per model — different models are not comparable — over the rows with
/// status `ok` that have every metric.
public struct ParetoFront: Sendable {
    /// One candidate point: its row and its metric values.
    public struct Point: Sendable, Hashable {
        /// The row.
        public var record: SweepRecord
        /// The metric values, in the order of ``ParetoFront/metrics``.
        public var metrics: [Double]
        /// Whether no other point of the same model dominates it.
        public var isOnFront: Bool
    }

    /// The metrics, in the order given (x, y, z).
    public var metrics: [ParetoMetric]
    /// The models, in order of first appearance.
    public var models: [String]
    /// Every candidate point per model, front points first (sorted by the metrics), then the
    /// others in file order.
    public var points: [String: [Point]]
    /// Rows left out: invalid, or lacking a metric.
    public var skipped: Int

    /// The front of `records` under `metrics` (one to three).
    public init(records: [SweepRecord], metrics: [ParetoMetric]) {
        self.metrics = metrics
        var models: [String] = []
        var candidates: [String: [Point]] = [:]
        var skipped = 0
        for record in records {
            guard record.isOK else {
                skipped += 1
                continue
            }
            let values = metrics.compactMap { $0.value(in: record) }
            guard values.count == metrics.count, values.allSatisfy(\.isFinite) else {
                skipped += 1
                continue
            }
            if candidates[record.model] == nil { models.append(record.model) }
            candidates[record.model, default: []].append(Point(record: record, metrics: values, isOnFront: false))
        }
        self.models = models
        self.skipped = skipped
        self.points = candidates.mapValues(Self.markFront)
    }

    /// The front points of `model`, sorted by the metrics (x first).
    public func front(of model: String) -> [Point] {
        (points[model] ?? []).filter(\.isOnFront)
    }

    /// Whether `a` dominates `b`: no worse in every metric and better in one.
    public static func dominates(_ a: [Double], _ b: [Double]) -> Bool {
        var better = false
        for (x, y) in zip(a, b) {
            if x > y { return false }
            if x < y { better = true }
        }
        return better
    }

    /// Marks the non-dominated points. In lexicographic order a point can only be dominated by
    /// one before it, and if a dominated point dominates it so does a front point; so each point
    /// is checked against the front found so far only.
    private static func markFront(_ points: [Point]) -> [Point] {
        let order = points.indices.sorted { i, j in
            points[i].metrics.lexicographicallyPrecedes(points[j].metrics) || (points[i].metrics == points[j].metrics && i < j)
        }
        var front: [Int] = []
        for index in order where !front.contains(where: { dominates(points[$0].metrics, points[index].metrics) }) {
            front.append(index)
        }
        let onFront = Set(front)
        var result = front.map { index -> Point in
            var point = points[index]
            point.isOnFront = true
            return point
        }
        result += points.indices.filter { !onFront.contains($0) }.map { points[$0] }
        return result
    }
}
