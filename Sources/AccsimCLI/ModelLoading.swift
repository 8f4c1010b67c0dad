import AccsimHardware
import AccsimImport
import AccsimModel
import ArgumentParser
import Foundation

/// How foreign models are imported (the options `accsim import` and `accsim run` share).
struct ImportSettings {
    /// LiteRT kernels whose semantics a TFLite import reproduces.
    var tfliteKernels: TFLiteImporter.Options.Kernels = .optimized
    /// How an ONNX import turns float scales into requantizers.
    var requantPolicy: RequantPolicy = .default
}

/// Loads the model a command names, by file extension: accsim `.q`, TFLite `.tflite`, quantized
/// ONNX `.onnx`, or a SCALE-Sim topology `.csv`. Returns the graph and what the import has to say
/// (ONNX: the worst requantizer approximation and onnxruntime agreement).
enum ModelLoading {
    static func load(_ path: String, settings: ImportSettings = ImportSettings()) throws -> Graph {
        try loadWithNotes(path, settings: settings).graph
    }

    static func loadWithNotes(_ path: String, settings: ImportSettings = ImportSettings()) throws -> (graph: Graph, notes: [String]) {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "tflite":
            let graph = try TFLiteImporter.importModel(path: path, options: .init(kernels: settings.tfliteKernels))
            let notes = graph.metadata["tflite_inexact"].map { ["not bit-exact with LiteRT's optimized kernels: \($0)"] } ?? []
            return (graph, notes)
        case "onnx":
            let (graph, report) = try ONNXImporter.importModel(path: path, options: .init(policy: settings.requantPolicy))
            var notes = [
                "requantizers: \(report.requantizers) under \(report.policy.description); worst relative scale error \(String(format: "%.3g", report.worstRelativeError))",
            ]
            if let differing = report.differingInputs {
                notes.append("inputs on which the integer requantizers differ from onnxruntime's float32 arithmetic: \(differing)")
            }
            if report.foldedChannels > 0 {
                notes.append("single shift: worst relative rounding error of a rescaled channel's weights \(String(format: "%.3g", report.worstWeightRoundingError))")
            }
            return (graph, notes + report.notes)
        case "csv":
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ModelError(file: path, "cannot read the file")
            }
            return (try ScaleSimTopology.parse(String(decoding: data, as: UTF8.self), file: path), [])
        default:
            return (try QModelReader.read(path: path), [])
        }
    }
}

/// `--requant` values: `fixed-point`, `fixed-point:BITS`, `single-shift`.
struct RequantPolicyArgument: ExpressibleByArgument {
    var policy: RequantPolicy

    init?(argument: String) {
        if argument == "single-shift" {
            policy = .singleShift
        } else if argument == "fixed-point" {
            policy = .default
        } else if argument.hasPrefix("fixed-point:"), let bits = Int(argument.dropFirst("fixed-point:".count)), (1...32).contains(bits) {
            policy = .fixedPoint(bits: bits)
        } else {
            return nil
        }
    }

    static var defaultCompletionKind: CompletionKind { .list(["fixed-point", "fixed-point:16", "single-shift"]) }
}

/// Loads the hardware a command names: accsim JSON configs (a path or a bundled name) or a
/// SCALE-Sim `.cfg` (which selects SCALE-Sim's cycle convention), then the `--set` overrides.
enum HardwareLoading {
    static func load(_ pathOrName: String, overrides: [String]) throws -> ResolvedHardware {
        guard pathOrName.lowercased().hasSuffix(".cfg") else {
            return try HardwareConfigLoader.load(pathOrName, overrides: overrides)
        }
        guard let data = FileManager.default.contents(atPath: pathOrName) else {
            throw HardwareConfigError(file: pathOrName, "cannot read the file")
        }
        var config = try ScaleSimConfig.parse(String(decoding: data, as: UTF8.self), file: pathOrName)
        config = try HardwareConfigLoader.apply(overrides: overrides, to: config)
        return ResolvedHardware(name: config.name, file: pathOrName, config: config)
    }
}
