import AccsimHardware
import AccsimModel
import Foundation

/// Loading any model file accsim reads, through one function that picks the reader: the
/// content decides first (the `.q` magic `ACCSIMQ\u{1A}`, the TFLite file identifier `TFL3`),
/// then the extension (`.onnx`, a SCALE-Sim topology `.csv`); anything else is read as `.q`, whose
/// reader names what is wrong.
public enum ModelFile {
    /// The formats accsim reads.
    public enum Format: String, Sendable, Hashable {
        case qModel = "q"
        case tflite
        case onnx
        case scaleSimTopology = "scalesim-topology"
    }

    /// How foreign models are imported (the options `accsim import` and `accsim run` share).
    public struct Settings: Sendable, Hashable {
        /// LiteRT kernels whose semantics a TFLite import reproduces.
        public var tfliteKernels: TFLiteImporter.Options.Kernels
        /// How an ONNX import turns float scales into requantizers.
        public var requantPolicy: RequantPolicy

        /// Settings as given (defaults: LiteRT's optimized kernels, the default requantizer policy).
        public init(tfliteKernels: TFLiteImporter.Options.Kernels = .optimized, requantPolicy: RequantPolicy = .default)
        {
            self.tfliteKernels = tfliteKernels
            self.requantPolicy = requantPolicy
        }
    }

    /// A loaded model: the validated graph and what the import has to say about it (for ONNX the
    /// worst requantizer approximation and onnxruntime agreement; for TFLite where it is not
    /// bit-exact with LiteRT's optimized kernels).
    public struct Loaded: Sendable {
        public var graph: Graph
        public var format: Format
        public var notes: [String]
    }

    /// The format of the file at `path`: by content, then by extension.
    public static func format(of path: String) -> Format {
        if let prefix = FileHandle(forReadingAtPath: path).map({ handle in
            defer { try? handle.close() }
            return [UInt8]((try? handle.read(upToCount: 8)) ?? Data())
        }) {
            if prefix == QModelFormat.magic { return .qModel }
            if prefix.count == 8 && Array(prefix[4..<8]) == Array("TFL3".utf8) { return .tflite }
        }
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "tflite": return .tflite
        case "onnx": return .onnx
        case "csv": return .scaleSimTopology
        default: return .qModel
        }
    }

    /// The graph in the file at `path`.
    public static func load(_ path: String, settings: Settings = Settings()) throws(ModelError) -> Graph {
        try loadWithNotes(path, settings: settings).graph
    }

    /// The graph in the file at `path`, with the import's notes.
    public static func loadWithNotes(_ path: String, settings: Settings = Settings()) throws(ModelError) -> Loaded {
        let format = format(of: path)
        switch format {
        case .tflite:
            let graph = try TFLiteImporter.importModel(path: path, options: .init(kernels: settings.tfliteKernels))
            let notes = graph.metadata["tflite_inexact"].map {
                ["not bit-exact with LiteRT's optimized kernels: \($0)"]
            }
            return Loaded(graph: graph, format: format, notes: notes ?? [])
        case .onnx:
            let (graph, report) = try ONNXImporter.importModel(
                path: path, options: .init(policy: settings.requantPolicy))
            let worst = String(format: "%.3g", report.worstRelativeError)
            var notes = [
                "requantizers: \(report.requantizers) under \(report.policy.description); worst relative scale error \(worst)"
            ]
            if let differing = report.differingInputs {
                notes.append(
                    "inputs on which the integer requantizers differ from onnxruntime's float32 arithmetic: \(differing)"
                )
            }
            if report.foldedChannels > 0 {
                let error = String(format: "%.3g", report.worstWeightRoundingError)
                notes.append("single shift: worst relative rounding error of a rescaled channel's weights \(error)")
            }
            return Loaded(graph: graph, format: format, notes: notes + report.notes)
        case .scaleSimTopology:
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ModelError(file: path, "cannot read the file")
            }
            let graph = try ScaleSimTopology.parse(String(decoding: data, as: UTF8.self), file: path)
            return Loaded(graph: graph, format: format, notes: [])
        case .qModel:
            return Loaded(graph: try QModelReader.read(path: path), format: format, notes: [])
        }
    }
}

/// Loading the hardware a command names: accsim JSON configs (a path or a bundled name) or a
/// SCALE-Sim `.cfg` (which selects SCALE-Sim's cycle convention), then the `--set` overrides.
public enum HardwareFile {
    /// The resolved hardware of `pathOrName` with `overrides` (`key.path=value`) applied. A `.cfg`'s
    /// keys accsim accepts but does not model are reported once through `note` (stderr by default).
    public static func load(
        _ pathOrName: String, overrides: [String],
        note: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    ) throws(HardwareConfigError) -> ResolvedHardware {
        guard pathOrName.lowercased().hasSuffix(".cfg") else {
            return try HardwareConfigLoader.load(pathOrName, overrides: overrides)
        }
        guard let data = FileManager.default.contents(atPath: pathOrName) else {
            throw HardwareConfigError(file: pathOrName, "cannot read the file")
        }
        let parsed = try ScaleSimConfig.parseDetailed(String(decoding: data, as: UTF8.self), file: pathOrName)
        if let text = parsed.note { note("accsim: \(pathOrName): " + text) }
        var config = parsed.config
        config = try HardwareConfigLoader.apply(overrides: overrides, to: config)
        return ResolvedHardware(name: config.name, file: pathOrName, config: config)
    }
}
