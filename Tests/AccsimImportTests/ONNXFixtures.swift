import AccsimArithmetic
import AccsimExecution
import AccsimImport
import AccsimModel
import AccsimTestSupport
import Foundation
import Testing

/// The committed onnxruntime fixtures (Fixtures/onnx, written by Scripts/make_onnx_fixtures.py):
/// per model the `.onnx` file, the int8/uint8 input `[S, …]` its first QuantizeLinear produces and
/// onnxruntime's output (the last DequantizeLinear's input), both in accsim's NHWC layout.
enum ONNXFixtures {
    struct Fixture: Sendable {
        var name: String
        var model: String
        var input: String
        var output: String
        var form: String
    }

    /// The fixture folder inside the test bundle.
    static let folder = FixtureDirectory(bundle: .module, subdirectory: "Fixtures/onnx")

    /// The fixture directory's path.
    static var directory: String { folder.path }

    /// Every fixture in `manifest.json`.
    static let all: [Fixture] = folder.manifestEntries().map { entry in
        Fixture(
            name: entry["name"] as? String ?? "", model: entry["model"] as? String ?? "",
            input: entry["input"] as? String ?? "", output: entry["output"] as? String ?? "",
            form: entry["form"] as? String ?? "")
    }

    /// Fixture names, for parameterised tests.
    static var names: [String] { all.map(\.name) }

    static func fixture(_ name: String) -> Fixture {
        guard let fixture = all.first(where: { $0.name == name }) else { fatalError("no fixture '\(name)'") }
        return fixture
    }

    /// The path of a fixture file.
    static func path(_ file: String) -> String { folder.path(of: file) }

    /// The bytes of a fixture file.
    static func bytes(_ file: String) throws -> [UInt8] { try folder.bytes(file) }

    /// An integer `.npy` fixture as a tensor.
    static func tensor(_ file: String) throws -> IntTensor { try folder.tensor(file) }

    /// Imports `fixture` under `policy`.
    static func graph(_ fixture: Fixture, _ policy: RequantPolicy) throws -> (Graph, ONNXImporter.Report) {
        try ONNXImporter.importModel(path: path(fixture.model), options: .init(policy: policy))
    }

    /// Runs `graph` on the fixture's input; its single output. The fast kernels run too and must
    /// give the reference kernels' bits.
    static func run(_ graph: Graph, _ fixture: Fixture) throws -> IntTensor {
        let input = try tensor(fixture.input)
        let results = try GraphExecutor(graph: graph).run(batch: input, threads: 2)
        let fast = try GraphExecutor(graph: graph, kernels: .fast).run(batch: input, threads: 2)
        #expect(fast == results, "\(fixture.model): the fast kernels differ from the reference kernels")
        return results[graph.outputs[0]]!
    }

    /// Elements of `actual` that differ from `expected`, and the largest difference.
    static func compare(_ actual: IntTensor, _ expected: IntTensor) -> (differing: Int, largest: Int32) {
        var differing = 0
        var largest: Int32 = 0
        for (a, e) in zip(actual.values, expected.values) where a != e {
            differing += 1
            largest = max(largest, abs(a - e))
        }
        return (differing, largest)
    }
}
