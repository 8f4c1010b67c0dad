import AccsimMapping
import Foundation

extension RunReport {
    /// The CSV columns, in order (docs/report-format.md): the layer's own, then every counter of
    /// ``LayerPerformance/counters`` that has a CSV column. Hardware columns are empty without `--hw`.
    public static let csvColumns =
        ["index", "name", "op", "macs", "parameter_bytes"] + csvCounters.compactMap(\.csvColumn)

    private static let csvCounters = LayerPerformance.counters.filter { $0.csvColumn != nil }

    /// One header line and one line per layer; fields never contain commas (names with commas or
    /// quotes are quoted per RFC 4180).
    public func renderCSV() -> String {
        var out = Self.csvColumns.joined(separator: ",") + "\n"
        for layer in layers {
            var fields = [
                String(layer.index), Self.quoted(layer.name), layer.op, String(layer.macs),
                String(layer.parameterBytes),
            ]
            if let p = layer.performance {
                fields += Self.csvCounters.map { $0.value(p).text }
            } else {
                fields += Array(repeating: "", count: Self.csvCounters.count)
            }
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    private static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
