import AccsimModel

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
    /// Per model, the front points first (sorted by the metrics), then the dominated points kept
    /// (all of them, or a sample: ``Builder/init(metrics:dominatedSample:)``) in row order.
    public var points: [String: [Point]]
    /// Per model, every candidate point (status `ok`, every metric), kept or not.
    public var candidates: [String: Int]
    /// Rows left out: invalid, or lacking a metric.
    public var skipped: Int

    /// The front of `records` under `metrics` (one to three), every dominated point kept.
    public init(records: [SweepRecord], metrics: [ParetoMetric]) {
        var builder = Builder(metrics: metrics)
        for record in records { builder.add(record) }
        self = builder.front()
    }

    /// Builds a front row by row, in memory bounded by the front itself plus the dominated sample:
    /// each row is checked against the current front of its model only (a row no front point
    /// dominates joins it and removes the points it dominates; a dominated point can never
    /// dominate a later row that the front does not). `accsim sweep pareto` streams million-row
    /// files through it.
    public struct Builder {
        /// The metrics.
        public let metrics: [ParetoMetric]
        private let sampleLimit: Int
        private var models: [String] = []
        private var fronts: [String: [Entry]] = [:]
        private var dominated: [String: [Entry]] = [:]
        private var candidates: [String: Int] = [:]
        private var dominatedSeen: [String: Int] = [:]
        private var skipped = 0
        private var sequence = 0
        private var random = SeededGenerator(seed: 0x5eed)

        private struct Entry {
            var point: Point
            var sequence: Int
        }

        /// A builder for `metrics` that keeps at most `dominatedSample` dominated points per model
        /// (a uniform sample, the same for the same rows in the same order; nil keeps every one).
        public init(metrics: [ParetoMetric], dominatedSample: Int? = nil) {
            self.metrics = metrics
            sampleLimit = dominatedSample ?? Int.max
        }

        /// Adds one row: rows that are not `ok` or lack a metric are counted as skipped.
        public mutating func add(_ record: SweepRecord) {
            guard record.isOK else {
                skipped += 1
                return
            }
            var values: [Double] = []
            for metric in metrics {
                guard let value = metric.value(in: record), value.isFinite else {
                    skipped += 1
                    return
                }
                values.append(value)
            }
            let model = record.model
            if candidates[model] == nil {
                models.append(model)
                fronts[model] = []
                dominated[model] = []
            }
            candidates[model, default: 0] += 1
            sequence += 1
            let entry = Entry(point: Point(record: record, metrics: values, isOnFront: false), sequence: sequence)
            var front = fronts[model] ?? []
            if front.contains(where: { ParetoFront.dominates($0.point.metrics, values) }) {
                keepDominated(entry, model: model)
                return
            }
            var kept: [Entry] = []
            for old in front {
                if ParetoFront.dominates(values, old.point.metrics) {
                    keepDominated(old, model: model)
                } else {
                    kept.append(old)
                }
            }
            front = kept
            front.append(entry)
            fronts[model] = front
        }

        /// Reservoir sampling of the dominated points.
        private mutating func keepDominated(_ entry: Entry, model: String) {
            let seen = dominatedSeen[model, default: 0]
            dominatedSeen[model] = seen + 1
            if seen < sampleLimit {
                dominated[model, default: []].append(entry)
            } else {
                let slot = Int(random.next() % UInt64(seen + 1))
                if slot < sampleLimit { dominated[model]?[slot] = entry }
            }
        }

        /// The front of the rows added so far.
        public func front() -> ParetoFront {
            var points: [String: [Point]] = [:]
            for model in models {
                let front = (fronts[model] ?? []).sorted { a, b in
                    a.point.metrics.lexicographicallyPrecedes(b.point.metrics)
                        || (a.point.metrics == b.point.metrics && a.sequence < b.sequence)
                }
                let others = (dominated[model] ?? []).sorted { $0.sequence < $1.sequence }
                points[model] =
                    front.map { entry -> Point in
                        var point = entry.point
                        point.isOnFront = true
                        return point
                    } + others.map(\.point)
            }
            return ParetoFront(
                metrics: metrics, models: models, points: points, candidates: candidates, skipped: skipped)
        }
    }

    private init(
        metrics: [ParetoMetric], models: [String], points: [String: [Point]], candidates: [String: Int], skipped: Int
    ) {
        self.metrics = metrics
        self.models = models
        self.points = points
        self.candidates = candidates
        self.skipped = skipped
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
}
