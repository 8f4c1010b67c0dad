import AccsimJSON

extension TraceHeader {
    /// The header as the dump's leading comment lines (`# key: value`).
    public var textLines: [String] {
        var lines = [
            "# accsim trace format \(formatVersion), written by accsim \(accsimVersion)",
            "# level: \(level.rawValue)",
            "# traced_layers: \(tracedLayers?.description ?? "all")",
            "# cycle_window: \(cycleWindow?.description ?? "all")",
            "# sample: \(sample)",
            "# model: \(TextField.name(model.name)) hash=\(model.hash)",
            "# hardware: \(TextField.name(hardware.name)) hash=\(hardware.hash)",
            "# array: \(array.rows)x\(array.cols) \(array.dataflow) convention=\(array.convention) clock_mhz=\(clockMHz)",
            "# element_bits: input=\(elementWidths.input) weight=\(elementWidths.weight) accumulator=\(elementWidths.accumulator) output=\(elementWidths.output)",
            "# overflow: \(overflow) rounding: \(rounding.isEmpty ? "-" : rounding.joined(separator: ","))",
            "# total_cycles: \(totalCycles)",
        ]
        for layer in layers {
            lines.append(
                "# layer L\(layer.index) name=\(TextField.name(layer.name)) op=\(layer.op) start=\(layer.startCycle) cycles=\(layer.cycles) rounding=\(layer.rounding ?? "-")"
            )
        }
        let config =
            (try? JSONWriter(style: .compact).serialize(hardware.config)).map { String(decoding: $0, as: UTF8.self) }
            ?? "?"
        lines.append("# hardware_config: \(config)")
        return lines
    }
}
