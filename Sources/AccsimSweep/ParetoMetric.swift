/// A metric a Pareto front minimises: any numeric key of the result rows, a short alias, or a
/// derived metric (docs/sweep-format.md).
public struct ParetoMetric: Sendable, Hashable, CustomStringConvertible {
    /// The name as given.
    public var name: String
    /// The row key it reads (after resolving aliases), or a derived metric's name.
    public var key: String

    /// Aliases: the short names and the row keys they stand for.
    public static let aliases: [(alias: String, key: String)] = [
        ("latency", "latency_us"), ("energy", "energy_pj"), ("sram", "sram_bytes"), ("dram", "dram_bytes"),
        ("area", "pes"), ("stalls", "stall_cycles"),
    ]

    /// Derived metrics: `top1_error` = 1 − top1, `idle` = 1 − utilization (so that minimising
    /// them maximises accuracy and utilization).
    public static let derived = ["top1_error", "idle"]

    /// Row keys holding numbers that can be minimised.
    public static let numericKeys = SweepRow.Metrics.keys + ["samples", "correct", "top1"]

    /// The metric called `name`: an alias, a derived metric, a numeric row key, or `values.KEY`
    /// (a varied key's value, when numeric).
    public init(_ name: String) throws(SweepError) {
        self.name = name
        if let alias = Self.aliases.first(where: { $0.alias == name }) {
            key = alias.key
        } else if Self.derived.contains(name) || Self.numericKeys.contains(name)
            || (name.hasPrefix("values.") && name.count > 7)
        {
            key = name
        } else {
            let known = Self.aliases.map(\.alias) + Self.derived + Self.numericKeys
            throw SweepError("unknown metric '\(name)' (known: \(known.joined(separator: ", ")), or values.KEY)")
        }
    }

    /// The metric's value in `record`, nil when the row lacks it (an invalid point, energy
    /// without an energy table, accuracy without labels).
    public func value(in record: SweepRecord) -> Double? {
        switch key {
        case "top1_error": return record.fields["top1"]?.doubleValue.map { 1 - $0 }
        case "idle": return record.fields["utilization"]?.doubleValue.map { 1 - $0 }
        default:
            if key.hasPrefix("values.") { return record.values[String(key.dropFirst(7))]?.doubleValue }
            return record.fields[key]?.doubleValue
        }
    }

    /// The name the plot and table show: the row key, with its unit.
    public var label: String {
        switch key {
        case "latency_us": "latency (µs)"
        case "energy_pj": "energy (pJ)"
        case "sram_bytes": "SRAM capacity (bytes)"
        case "dram_bytes": "DRAM traffic (bytes)"
        case "pes": "processing elements"
        default: key
        }
    }

    public var description: String { name }
}
