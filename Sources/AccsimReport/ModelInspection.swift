import AccsimArithmetic
import AccsimModel
import Foundation

/// The text `accsim inspect` prints: model metadata, inputs and outputs, and one row per layer
/// with its op, output shape, quantization, requantizer, MACs and parameter bytes.
public struct ModelInspection: Sendable {
    public let graph: Graph
    public let file: String

    public init(graph: Graph, file: String) {
        self.graph = graph
        self.file = file
    }

    public func render() -> String {
        var out = "model     \(graph.name) (\(file))\n"
        for key in graph.metadata.keys.sorted() {
            out += "  \(key): \(graph.metadata[key] ?? "")\n"
        }
        for name in graph.inputs {
            out += "input     \(describe(tensor: name))\n"
        }
        for name in graph.outputs {
            out += "output    \(describe(tensor: name))\n"
        }
        for note in Self.frameworkSemanticsNotes(graph) {
            out += "note      \(note)\n"
        }
        out += "\n"
        var table = TextTable(
            headers: ["#", "layer", "op", "output", "quantization", "requantizer", "MACs", "params B"],
            alignments: [.right, .left, .left, .left, .left, .left, .right, .right])
        for (index, node) in graph.nodes.enumerated() {
            let info = graph.tensor(named: node.outputs[0])
            table.append([
                String(index), node.name, node.operation.kind.rawValue,
                info.map { "\($0.elementType.rawValue)[\($0.shape.map(String.init).joined(separator: ","))]" } ?? "?",
                info?.quantization.map(Self.describe(quantization:)) ?? "-",
                node.operation.outputRequantizer.map(Self.describe(requantizer:)) ?? "-",
                groupedDigits(graph.macs(of: node)),
                groupedDigits(graph.parameterBytes(of: node)),
            ])
        }
        table.append([
            "", "total", "", "", "", "", groupedDigits(graph.totalMACs), groupedDigits(graph.totalParameterBytes),
        ])
        out += table.render()
        return out
    }

    private func describe(tensor name: String) -> String {
        guard let info = graph.tensor(named: name) else { return name }
        let quant = info.quantization.map { " " + Self.describe(quantization: $0) } ?? ""
        var text = "\(name) \(info.elementType.rawValue)[\(info.shape.map(String.init).joined(separator: ","))]\(quant)"
        if let layout = info.layout { text += ", framework layout \(layout.rawValue)" }
        if let f = info.floatInput {
            let op = f.operation == .multiply ? "×" : "÷"
            text += "; float input: float32 x \(op) \(Self.shortDouble(f.factor)), \(f.rounding.rawValue), clamp"
        }
        return text
    }

    /// What a model needs that integer hardware does not do (printed by inspect and run): layers
    /// in Aidge's running-mean average pooling.
    public static func frameworkSemanticsNotes(_ graph: Graph) -> [String] {
        let pools = graph.nodes.filter { node in
            if case .avgPool(let p) = node.operation { return p.usesRunningMean }
            return false
        }.map(\.name)
        if pools.isEmpty { return [] }
        return [
            "\(pools.joined(separator: ", ")): average pooling as aidge_backend_cpu does it (aidge_running_mean: "
                + "running mean in double, not integer hardware; --adapt-requant on a hardware config divides exactly)"
        ]
    }

    static func describe(quantization q: Quantization) -> String {
        if q.scales.count == 1 {
            return "s=\(shortDouble(q.scales[0])) zp=\(q.zeroPoints[0])"
        }
        return "per-channel ×\(q.scales.count)"
    }

    static func describe(requantizer r: Requantizer) -> String {
        let clamp = "[\(r.clampMin),\(r.clampMax)]"
        if r.isPerChannel {
            return "\(r.rounding.rawValue) ×\(r.channelCount) zp=\(r.zeroPoint) \(clamp)"
        }
        return "\(r.rounding.rawValue) M=\(r.multipliers[0]) n=\(r.shifts[0]) zp=\(r.zeroPoint) \(clamp)"
    }

    /// A scale with six significant digits (`%.6g`).
    static func shortDouble(_ value: Double) -> String {
        String(format: "%.6g", value)
    }
}
