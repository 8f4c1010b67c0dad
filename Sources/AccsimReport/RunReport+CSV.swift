import Foundation

extension RunReport {
    /// The CSV columns, in order (docs/report-format.md). Hardware columns are empty without `--hw`.
    public static let csvColumns = [
        "index", "name", "op", "macs", "parameter_bytes", "cycles_total", "cycles_compute", "cycles_stall",
        "stall_input", "stall_weight", "stall_output", "stall_vector", "utilization", "mapping_efficiency",
        "sram_input_read_bytes", "sram_input_write_bytes", "sram_weight_read_bytes", "sram_weight_write_bytes",
        "sram_output_read_bytes", "sram_output_write_bytes", "dram_read_bytes", "dram_write_bytes",
        "requantizer_ops", "vector_ops", "latency_us", "energy_pj",
    ]

    /// One header line and one line per layer; fields never contain commas (names with commas or
    /// quotes are quoted per RFC 4180).
    public func renderCSV() -> String {
        var out = Self.csvColumns.joined(separator: ",") + "\n"
        for layer in layers {
            var fields = [String(layer.index), Self.quoted(layer.name), layer.op, String(layer.macs), String(layer.parameterBytes)]
            if let p = layer.performance {
                fields += [
                    p.cycles.total, p.cycles.compute, p.cycles.stall.total, p.cycles.stall.input, p.cycles.stall.weight,
                    p.cycles.stall.output, p.cycles.stall.vector,
                ].map(String.init)
                fields += [String(p.utilization), String(p.mappingEfficiency)]
                fields += [
                    p.sram.input.readBytes, p.sram.input.writeBytes, p.sram.weight.readBytes, p.sram.weight.writeBytes,
                    p.sram.output.readBytes, p.sram.output.writeBytes, p.dram.readBytes, p.dram.writeBytes,
                    p.requantizerOps, p.vectorOps,
                ].map(String.init)
                fields += [String(p.latencyMicroseconds), p.energyPicojoules.map { String($0) } ?? ""]
            } else {
                fields += Array(repeating: "", count: Self.csvColumns.count - 5)
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
