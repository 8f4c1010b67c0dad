import AccsimArithmetic
import AccsimHardware
import AccsimImport
import AccsimJSON
import AccsimModel
import AccsimSweep
import Foundation

/// A sweep as the command line or a sweep file states it, turned into a ``SweepPlan``: models
/// loaded and hashed, input data checked against them, the base config resolved and every varied
/// key checked against it.
struct SweepDefinition {
    var models: [(file: String, input: String?, labels: String?)]
    var hw: String?
    var overrides: [String]
    var dimensions: [SweepDimension]
    var adaptRequant: Bool

    init(command: SweepRunCommand) throws {
        if let path = command.sweepFile {
            let file = try SweepFile.read(path: path)
            models = file.models.map { ($0.file, $0.input, $0.labels) }
            hw = file.hw
            overrides = file.overrides
            dimensions = file.dimensions
            adaptRequant = file.adaptRequant
        } else {
            models = command.models.map { ($0, command.input, command.labels) }
            hw = command.hw
            overrides = command.overrides
            dimensions = try command.vary.map(SweepDimension.parseVary) + command.zip.map(SweepDimension.parseZip)
            adaptRequant = command.adaptRequant
        }
    }

    /// Loads everything and builds the plan; bad files and arguments are errors (status 2).
    func plan() throws -> SweepPlan {
        let base = try baseConfig()
        let space = try SweepSpace(modelCount: models.count, dimensions: dimensions)
        let tree = try JSONWriter().value(of: base)
        try space.checkKeys(against: tree)
        var loaded: [SweepModel] = []
        var seen: [String: String] = [:]
        for entry in models {
            let graph = try ModelFile.load(entry.file)
            var model = SweepModel(file: entry.file, graph: graph)
            if let other = seen[model.contentHash] {
                throw CLIError("\(entry.file) holds the same model as \(other): give each model once")
            }
            seen[model.contentHash] = entry.file
            model.data = try entry.input.map {
                try Self.loadData(graph: graph, model: entry.file, input: $0, labels: entry.labels)
            }
            loaded.append(model)
        }
        return SweepPlan(models: loaded, base: base, space: space, adaptRequantizers: adaptRequant)
    }

    /// The base config: the --hw file (or the defaults) with the fixed overrides.
    private func baseConfig() throws -> HardwareConfig {
        if let hw {
            return try HardwareFile.load(hw, overrides: overrides).config
        }
        return try HardwareConfigLoader.resolve(bytes: Array("{}".utf8), defaultName: "default", overrides: overrides)
    }

    /// The input batch (and labels) for `graph`, checked against its inputs (and its output).
    static func loadData(graph: Graph, model: String, input: String, labels: String?) throws -> SweepInputData {
        let batches = try ModelInputs.batch(npy: input, for: graph, model: model)
        let samples: Int
        do {
            samples = try ModelInputs.check(batches, for: graph)
        } catch {
            throw ModelError(file: input, "does not fit model '\(model)': \(error.message)")
        }
        let labelValues = try labels.map { labels in
            guard let output = graph.tensor(named: graph.outputs[0]), output.shape.count == 2 else {
                throw CLIError(
                    "--labels needs a model output shaped [N, classes]; '\(graph.outputs[0])' of '\(model)' is not")
            }
            return try ModelInputs.labels(npy: labels, samples: samples)
        }
        return SweepInputData(batches: batches, labels: labelValues)
    }
}
