import AccsimArithmetic
import AccsimExecution
import AccsimImport
import AccsimModel
import AccsimTestSupport
import Foundation
import Testing

/// The int16x8 fixtures (Fixtures/tflite16, written by Scripts/make_tflite_int16_fixtures.py):
/// int16 activations, int8 weights, int64 biases, converted by TensorFlow and run by LiteRT with
/// its optimized and reference kernels.
@Suite("TFLite int16x8")
struct TFLiteInt16Tests {
    static let folder = FixtureDirectory(bundle: .module, subdirectory: "Fixtures/tflite16")

    static var directory: String { folder.path }

    /// (model file, per output the LiteRT result file by kernel variant) from manifest.json.
    static func fixture(_ name: String) throws -> (model: String, input: String, outputs: [[String: String]]) {
        guard let entry = folder.manifestEntries().first(where: { $0["name"] as? String == name }) else {
            throw ModelError(file: name, "no such fixture")
        }
        let outputs = (entry["outputs"] as? [[String: Any]] ?? []).map { $0.compactMapValues { $0 as? String } }
        return (entry["model"] as? String ?? "", entry["input"] as? String ?? "", outputs)
    }

    static func tensor(_ file: String) throws -> IntTensor { try folder.tensor(file) }

    static let imported = ["conv16", "fc16", "pool16", "add16"]
    static let cases: [(String, TFLiteImporter.Options.Kernels)] = imported.flatMap { name in
        TFLiteImporter.Options.Kernels.allCases.map { (name, $0) }
    }

    @Test("every output equals LiteRT's", arguments: cases)
    func equalsLiteRT(name: String, kernels: TFLiteImporter.Options.Kernels) throws {
        let fixture = try Self.fixture(name)
        let graph = try TFLiteImporter.importModel(
            path: Self.directory + "/" + fixture.model, options: .init(kernels: kernels))
        #expect(graph.metadata["tflite_inexact"] == nil)
        let input = try Self.tensor(fixture.input)
        #expect(input.elementType == .int16 && input.shape[0] == 16)
        let reference = try GraphExecutor(graph: graph).run(batch: input, threads: 2)
        let fast = try GraphExecutor(graph: graph, kernels: .fast).run(batch: input, threads: 2)
        #expect(fast == reference)
        #expect(graph.outputs.count == fixture.outputs.count)
        for (k, output) in graph.outputs.enumerated() {
            let expected = try Self.tensor(fixture.outputs[k][kernels.rawValue] ?? "")
            let actual = try #require(reference[output])
            #expect(actual.elementType == .int16 && actual.shape == expected.shape)
            let differing = zip(actual.values, expected.values).filter { $0 != $1 }.count
            #expect(
                differing == 0,
                "\(name) \(kernels) output \(k): \(differing) of \(expected.count) elements differ from LiteRT")
        }
    }

    @Test("conv and FC layers import with int64 accumulators, int64 biases and 16-bit multipliers")
    func int64Layers() throws {
        let fixture = try Self.fixture("conv16")
        let graph = try TFLiteImporter.importModel(path: Self.directory + "/" + fixture.model)
        var layers = 0
        for node in graph.nodes {
            guard case .conv2D(let p) = node.operation else { continue }
            layers += 1
            #expect(p.accumulator == .int64)
            #expect(p.requantizer.rounding == .halfUp)
            #expect(p.requantizer.multipliers.allSatisfy { (1 << 14)...(1 << 15) ~= $0 })
            #expect(graph.tensor(named: node.inputs[2])?.elementType == .int64)
            #expect(graph.tensor(named: node.inputs[0])?.elementType == .int16)
        }
        #expect(layers == 5)
        // The converted graph is a version-2 .q file and reads back equal.
        let bytes = try QModelWriter.encode(graph)
        #expect(bytes[8] == 2)
        #expect(try QModelReader.decode(bytes) == graph)
    }

    @Test(
        "int16 operators accsim does not model are refused by name",
        arguments: [
            ("logistic_tanh16", "not int16 LOGISTIC"), ("fc_softmax16", "not int16 SOFTMAX"),
            ("mean16", "not int16 MEAN"),
        ])
    func refused(name: String, fragment: String) throws {
        let fixture = try Self.fixture(name)
        #expect {
            try TFLiteImporter.importModel(path: Self.directory + "/" + fixture.model)
        } throws: { error in
            "\(error)".contains(fragment)
        }
    }
}
