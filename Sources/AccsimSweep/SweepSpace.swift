import AccsimJSON
import AccsimSuggestions

/// The grid of a sweep: every model × the cartesian product of the dimensions, in *grid order* —
/// models outermost (in the order given), then the dimensions in order, the last one fastest.
/// Point `i` of the grid is the same point in every run, shard and process.
public struct SweepSpace: Sendable, Hashable {
    /// Number of models.
    public var modelCount: Int
    /// The dimensions, outermost first.
    public var dimensions: [SweepDimension]

    /// A grid over `modelCount` models; checks that no key is varied twice and that no varied key
    /// contains another (`sram.input` and `sram.input.kib`).
    public init(modelCount: Int, dimensions: [SweepDimension]) throws(SweepError) {
        guard modelCount > 0 else { throw SweepError("a sweep needs at least one model") }
        var owner: [String: String] = [:]
        for dimension in dimensions {
            for key in dimension.keys {
                if let other = owner[key] {
                    throw SweepError("\(dimension.source): key '\(key)' is already varied by \(other)")
                }
                for (existing, other) in owner where existing.hasPrefix(key + ".") || key.hasPrefix(existing + ".") {
                    throw SweepError("\(dimension.source): key '\(key)' overlaps '\(existing)' varied by \(other)")
                }
                owner[key] = dimension.source
            }
        }
        var count = modelCount
        for dimension in dimensions {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension.count)
            guard !overflow, product <= Self.maxPoints else {
                throw SweepError("the grid has more than \(Self.maxPoints) points")
            }
            count = product
        }
        self.modelCount = modelCount
        self.dimensions = dimensions
        self.pointCount = count
    }

    /// The largest grid accepted.
    public static let maxPoints = 1 << 40

    /// Number of points: models × the product of the dimension lengths.
    public private(set) var pointCount: Int

    /// The varied keys, in dimension order.
    public var keys: [String] { dimensions.flatMap(\.keys) }

    /// Points per model.
    public var pointsPerModel: Int { pointCount / modelCount }

    /// The point at grid position `index` (0 ≤ index < ``pointCount``).
    public func point(at index: Int) -> SweepPoint {
        precondition(index >= 0 && index < pointCount, "grid index \(index) out of range")
        var rest = index % pointsPerModel
        var positions = [Int](repeating: 0, count: dimensions.count)
        for dimensionIndex in dimensions.indices.reversed() {
            let length = dimensions[dimensionIndex].count
            positions[dimensionIndex] = rest % length
            rest /= length
        }
        var assignments: [SweepAssignment] = []
        for (dimension, position) in zip(dimensions, positions) {
            for (key, value) in zip(dimension.keys, dimension.values[position]) {
                assignments.append(SweepAssignment(key: key, value: value))
            }
        }
        return SweepPoint(index: index, modelIndex: index / pointsPerModel, assignments: assignments)
    }

    /// Checks every varied key against the resolved base config's JSON tree: each key path must
    /// name an existing member (`array.rowz` is a usage error naming the argument).
    public func checkKeys(against tree: JSONValue) throws(SweepError) {
        for dimension in dimensions {
            for key in dimension.keys {
                try Self.checkKey(key, in: tree, source: dimension.source)
            }
        }
    }

    /// Checks one key path against `tree`.
    public static func checkKey(_ key: String, in tree: JSONValue, source: String) throws(SweepError) {
        var node = tree
        var walked: [String] = []
        for part in key.split(separator: ".").map(String.init) {
            guard case .object(let object) = node else {
                throw SweepError("\(source): unknown key '\(key)': '\(walked.joined(separator: "."))' is not an object")
            }
            guard let child = object[part] else {
                let place = walked.isEmpty ? "the config" : "'\(walked.joined(separator: "."))'"
                let suggestion = Suggestion.closest(to: part, among: object.keys).map {
                    "did you mean '\((walked + [$0]).joined(separator: "."))'? "
                }
                throw SweepError(
                    "\(source): unknown key '\(key)': no '\(part)' in \(place) "
                        + "(\(suggestion ?? "")known: \(object.keys.joined(separator: ", ")))")
            }
            walked.append(part)
            node = child
        }
    }
}
