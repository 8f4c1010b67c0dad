extension RunReport {
    /// How many predictions the table lists before summarising the rest.
    static let tablePredictionLimit = 20

    /// The human-readable report: a header, the per-layer table and the outputs summary.
    public func renderTable() -> String {
        var out = "model     \(model.name) (\(model.file))\n"
        if let hardware {
            out += "hardware  \(hardware.name) (\(hardware.file)), config \(hardware.configHash)\n"
        }
        out += "samples   \(samples) (\(inputSource))\n\n"
        var table = TextTable(
            headers: ["#", "layer", "op", "output", "MACs", "params B"],
            alignments: [.right, .left, .left, .left, .right, .right])
        for layer in layers {
            table.append([
                String(layer.index), layer.name, layer.op,
                layer.outputType + "[" + layer.outputShape.map(String.init).joined(separator: ",") + "]",
                groupedDigits(layer.macs), groupedDigits(layer.parameterBytes),
            ])
        }
        table.append(["", "total", "", "", groupedDigits(totals.macs), groupedDigits(totals.parameterBytes)])
        out += table.render()
        for output in outputs {
            out += "\noutput    \(output.name) \(output.type)[\(output.shape.map(String.init).joined(separator: ","))] crc32 \(output.crc32)\n"
            if let predictions = output.predictions {
                let shown = predictions.prefix(Self.tablePredictionLimit).map(String.init).joined(separator: " ")
                let rest = predictions.count - min(predictions.count, Self.tablePredictionLimit)
                out += "argmax    \(shown)" + (rest > 0 ? " … (\(rest) more; --format json lists all)" : "") + "\n"
            }
        }
        if let accuracy {
            out += "top-1     \(accuracy.correct)/\(accuracy.total) = \(formatPercent(accuracy.top1))\n"
        }
        return out
    }
}

/// A fraction as a percentage with two decimals, computed in integers so it never depends on
/// floating-point formatting: 0.97222 → "97.22%".
func formatPercent(_ fraction: Double) -> String {
    let hundredths = Int((fraction * 10000).rounded())
    let whole = hundredths / 100
    let part = hundredths % 100
    return "\(whole).\(part < 10 ? "0" : "")\(part)%"
}
