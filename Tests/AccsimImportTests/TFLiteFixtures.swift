import AccsimArithmetic
import AccsimExecution
import AccsimImport
import AccsimModel
import AccsimTestSupport
import Foundation
import Testing

/// The committed LiteRT fixtures (Fixtures/tflite, written by Scripts/make_tflite_fixtures.py):
/// per model the `.tflite` file, the int8 inputs `[S, …]` and LiteRT's outputs for both resolvers.
enum TFLiteFixtures {
    struct Fixture: Sendable {
        var name: String
        var model: String
        var input: String
        /// Per subgraph output: the file of LiteRT's result for each kernel variant.
        var outputs: [[String: String]]
    }

    /// The fixture folder inside the test bundle.
    static let folder = FixtureDirectory(bundle: .module, subdirectory: "Fixtures/tflite")

    /// The fixture directory's path.
    static var directory: String { folder.path }

    /// Every fixture in `manifest.json`.
    static let all: [Fixture] = folder.manifestEntries().map { entry in
        let outputs = (entry["outputs"] as? [[String: Any]] ?? []).map { output in
            output.compactMapValues { $0 as? String }
        }
        return Fixture(
            name: entry["name"] as? String ?? "", model: entry["model"] as? String ?? "",
            input: entry["input"] as? String ?? "", outputs: outputs)
    }

    /// Fixture names, for parameterised tests.
    static var names: [String] { all.map(\.name) }

    static func fixture(_ name: String) -> Fixture {
        guard let fixture = all.first(where: { $0.name == name }) else { fatalError("no fixture '\(name)'") }
        return fixture
    }

    /// The bytes of a fixture file.
    static func bytes(_ file: String) throws -> [UInt8] { try folder.bytes(file) }

    /// An int8 `.npy` fixture as a tensor.
    static func tensor(_ file: String) throws -> IntTensor { try folder.tensor(file) }

    /// Imports `fixture` for `kernels`.
    static func graph(_ fixture: Fixture, _ kernels: TFLiteImporter.Options.Kernels) throws -> Graph {
        try TFLiteImporter.importModel(path: directory + "/" + fixture.model, options: .init(kernels: kernels))
    }

    /// Runs `graph` on the fixture's inputs; the outputs in subgraph order.
    static func run(_ graph: Graph, _ fixture: Fixture) throws -> [IntTensor] {
        let input = try tensor(fixture.input)
        let results = try GraphExecutor(graph: graph).run(batch: input, threads: 2)
        let fast = try GraphExecutor(graph: graph, kernels: .fast).run(batch: input, threads: 2)
        #expect(fast == results, "\(fixture.model): the fast kernels differ from the reference kernels")
        return graph.outputs.map { results[$0]! }
    }

    /// LiteRT's outputs for `kernels`, in subgraph order.
    static func expected(_ fixture: Fixture, _ kernels: TFLiteImporter.Options.Kernels) throws -> [IntTensor] {
        var tensors: [IntTensor] = []
        for output in fixture.outputs {
            guard let file = output[kernels.rawValue] else {
                throw ModelError(file: fixture.name, "no \(kernels.rawValue) output")
            }
            tensors.append(try tensor(file))
        }
        return tensors
    }
}
