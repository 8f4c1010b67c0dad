import AccsimArithmetic
import AccsimHardware
import AccsimModel
import AccsimSweep
import AccsimTestSupport
import Foundation

/// Shared fixtures: the bundled digits model, a slice of its test set, the 8×8 config.
enum SweepFixtures {
    static func path(_ relative: String) -> String { Repository.path(relative) }

    /// The 8×8 bundled config.
    static func base() throws -> HardwareConfig {
        try HardwareConfigLoader.load(path("HardwareConfigs/8x8.json")).config
    }

    /// Models/digits.q with the first `samples` test images and labels (nil: timing only).
    static func digits(samples: Int? = 24) throws -> SweepModel {
        let file = path("Models/digits.q")
        let graph = try QModelReader.read(path: file)
        var data: SweepInputData?
        if let samples {
            let x = try NPYFile.read(path: path("Models/digits_test_x.npy")).intTensor()!
            let y = try NPYFile.read(path: path("Models/digits_test_y.npy")).intTensor()!
            let size = x.count / x.shape[0]
            let batch = IntTensor(
                shape: [samples] + x.shape.dropFirst(), elementType: x.elementType,
                values: Array(x.values[0..<samples * size]))
            data = SweepInputData(batches: [graph.inputs[0]: batch], labels: y.values[0..<samples].map(Int.init))
        }
        return SweepModel(file: "Models/digits.q", graph: graph, data: data)
    }

    /// A plan over digits with the given `--vary` arguments.
    static func plan(_ vary: [String], zip: [String] = [], samples: Int? = 24, adapt: Bool = false) throws -> SweepPlan
    {
        let dimensions = try vary.map(SweepDimension.parseVary) + zip.map(SweepDimension.parseZip)
        let space = try SweepSpace(modelCount: 1, dimensions: dimensions)
        return SweepPlan(
            models: [try digits(samples: samples)], base: try base(), space: space, adaptRequantizers: adapt)
    }

    /// Runs `plan` and returns its rows as JSONL lines.
    static func run(_ plan: SweepPlan, jobs: Int = 1, shard: SweepShard = .all, done: [String: String] = [:]) throws
        -> (lines: [String], statistics: SweepRunner.Statistics)
    {
        let collector = LineCollector()
        let statistics = try SweepRunner(plan: plan, jobs: jobs).run(shard: shard, done: done) { row in
            collector.append(String(decoding: row.jsonLine().dropLast(), as: UTF8.self))
        }
        return (collector.lines, statistics)
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL { try Repository.temporaryDirectory(prefix: "sweep") }
}

/// Collects lines from the runner's emit callback.
final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []

    func append(_ line: String) {
        lock.lock()
        storage.append(line)
        lock.unlock()
    }

    var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}
