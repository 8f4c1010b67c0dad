import AccsimHardware
import AccsimImport
import AccsimModel
import Foundation

/// Loads the model a command names, by file extension: accsim `.q`, TFLite `.tflite` (LiteRT's
/// optimized-kernel semantics), or a SCALE-Sim topology `.csv`.
enum ModelLoading {
    static func load(_ path: String, tfliteKernels: TFLiteImporter.Options.Kernels = .optimized) throws -> Graph {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "tflite":
            return try TFLiteImporter.importModel(path: path, options: .init(kernels: tfliteKernels))
        case "csv":
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ModelError(file: path, "cannot read the file")
            }
            return try ScaleSimTopology.parse(String(decoding: data, as: UTF8.self), file: path)
        default:
            return try QModelReader.read(path: path)
        }
    }
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
