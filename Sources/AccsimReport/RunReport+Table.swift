import AccsimMapping

extension RunReport {
    /// How many predictions the table lists before summarising the rest.
    public static let tablePredictionLimit = 20

    /// The human-readable report: a header, the per-layer table and the outputs summary.
    public func renderTable() -> String {
        var out = "model     \(model.name) (\(model.file))\n"
        if let hardware {
            let array = hardware.config.array
            out +=
                "hardware  \(hardware.name) (\(hardware.file)): \(array.rows)x\(array.cols) \(array.dataflow.rawValue), \(hardware.config.clockMHz) MHz, \(hardware.config.convention.rawValue) cycles, config \(hardware.configHash)\n"
        }
        out += "samples   \(samples) (\(inputSource))\n\n"
        out += hardware == nil ? modelTable() : performanceTable()
        if let performance = totals.performance {
            out +=
                "\nper inference: \(groupedDigits(performance.cycles.total)) cycles = \(formatFixed(performance.latencyMicroseconds, digits: 2)) µs"
            out +=
                ", utilization \(formatPercent(performance.utilization)), mapping efficiency \(formatPercent(performance.mappingEfficiency))"
            if let energy = performance.energyPicojoules {
                out += ", energy \(formatFixed(energy / 1_000_000, digits: 3)) µJ"
            }
            out +=
                "\nstalls    input \(groupedDigits(performance.cycles.stall.input)), weight \(groupedDigits(performance.cycles.stall.weight)), output \(groupedDigits(performance.cycles.stall.output)), vector \(groupedDigits(performance.cycles.stall.vector)) cycles"
            out +=
                "\nDRAM      read \(groupedDigits(performance.dram.readBytes)) B, written \(groupedDigits(performance.dram.writeBytes)) B\n"
        }
        for output in outputs {
            out +=
                "\noutput    \(output.name) \(output.type)[\(output.shape.map(String.init).joined(separator: ","))] crc32 \(output.crc32)\n"
            if let predictions = output.predictions {
                let shown = predictions.prefix(Self.tablePredictionLimit).map(String.init).joined(separator: " ")
                let rest = output.predictionCount - min(output.predictionCount, Self.tablePredictionLimit)
                out += "argmax    \(shown)" + (rest > 0 ? " … (\(rest) more; --format json lists all)" : "") + "\n"
            }
        }
        if let accuracy {
            out += "top-1     \(accuracy.correct)/\(accuracy.total) = \(formatPercent(accuracy.top1))\n"
        }
        return out
    }

    /// Layers without hardware: shapes, MACs and parameters.
    private func modelTable() -> String {
        var table = TextTable(
            headers: ["#", "layer", "op", "output", "MACs", "params B"],
            alignments: [.right, .left, .left, .left, .right, .right])
        for layer in layers {
            table.append([
                String(layer.index), layer.name, layer.op, Self.shape(layer),
                groupedDigits(layer.macs), groupedDigits(layer.parameterBytes),
            ])
        }
        table.append(["", "total", "", "", groupedDigits(totals.macs), groupedDigits(totals.parameterBytes)])
        return table.render()
    }

    /// Layers on the hardware: cycles, stalls, utilization and DRAM traffic per inference.
    private func performanceTable() -> String {
        var table = TextTable(
            headers: [
                "#", "layer", "op", "output", "MACs", "cycles", "compute", "stall", "util", "DRAM rd B", "DRAM wr B",
            ],
            alignments: [.right, .left, .left, .left, .right, .right, .right, .right, .right, .right, .right])
        func row(_ index: String, _ name: String, _ op: String, _ shape: String, _ macs: Int, _ p: LayerPerformance?)
            -> [String]
        {
            guard let p else { return [index, name, op, shape, groupedDigits(macs), "", "", "", "", "", ""] }
            return [
                index, name, op, shape, groupedDigits(macs), groupedDigits(p.cycles.total),
                groupedDigits(p.cycles.compute),
                groupedDigits(p.cycles.stall.total), formatPercent(p.utilization),
                groupedDigits(p.dram.readBytes), groupedDigits(p.dram.writeBytes),
            ]
        }
        for layer in layers {
            table.append(
                row(String(layer.index), layer.name, layer.op, Self.shape(layer), layer.macs, layer.performance))
        }
        table.append(row("", "total", "", "", totals.macs, totals.performance))
        return table.render()
    }

    private static func shape(_ layer: LayerSummary) -> String {
        layer.outputType + "[" + layer.outputShape.map(String.init).joined(separator: ",") + "]"
    }
}

/// A fraction as a percentage with two decimals, computed in integers so it never depends on
/// floating-point formatting: 0.97222 → "97.22%".
func formatPercent(_ fraction: Double) -> String {
    formatFixed(fraction * 100, digits: 2) + "%"
}

/// `value` with `digits` decimals, rounded half away from zero, without locale or `printf`.
func formatFixed(_ value: Double, digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int64((abs(value) * scale).rounded(.toNearestOrAwayFromZero))
    let unit = Int64(scale)
    let whole = scaled / unit
    var fraction = String(scaled % unit)
    while fraction.count < digits { fraction = "0" + fraction }
    return (value < 0 && scaled != 0 ? "-" : "") + String(whole) + (digits > 0 ? "." + fraction : "")
}
