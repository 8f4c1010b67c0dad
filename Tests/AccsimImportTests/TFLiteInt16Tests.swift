import AccsimArithmetic
import AccsimExecution
import AccsimHardware
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

    static let imported = [
        "conv16", "fc16", "pool16", "add16", "mean16", "logistic_tanh16", "fc_softmax16", "mixed16", "tanh_probe16",
        "quantize_8to16", "softmax16",
    ]
    /// Every fixture with both kernel variants, and pot16 (power-of-two input scales) with the
    /// reference kernels: the optimized ones are refused (``refusedOptimizedPowerOfTwo()``).
    static let cases: [(String, TFLiteImporter.Options.Kernels)] =
        imported.flatMap { name in TFLiteImporter.Options.Kernels.allCases.map { (name, $0) } } + [
            ("pot16", .reference)
        ]

    @Test("every output equals LiteRT's", arguments: cases)
    func equalsLiteRT(name: String, kernels: TFLiteImporter.Options.Kernels) throws {
        let fixture = try Self.fixture(name)
        let graph = try TFLiteImporter.importModel(
            path: Self.directory + "/" + fixture.model, options: .init(kernels: kernels))
        #expect(graph.metadata["tflite_inexact"] == nil)
        let input = try Self.tensor(fixture.input)
        #expect(input.shape[0] == 16)
        #expect(input.elementType == (name == "quantize_8to16" ? .int8 : .int16))
        let reference = try GraphExecutor(graph: graph).run(batch: input, threads: 2)
        let fast = try GraphExecutor(graph: graph, kernels: .fast).run(batch: input, threads: 2)
        #expect(fast == reference)
        #expect(graph.outputs.count == fixture.outputs.count)
        for (k, output) in graph.outputs.enumerated() {
            let expected = try Self.tensor(fixture.outputs[k][kernels.rawValue] ?? "")
            let actual = try #require(reference[output])
            #expect(actual.elementType == expected.elementType && actual.shape == expected.shape)
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

    @Test("the mixed model runs int16 and int8 layers joined by QUANTIZE in both directions' types")
    func mixedTypes() throws {
        let fixture = try Self.fixture("mixed16")
        let graph = try TFLiteImporter.importModel(path: Self.directory + "/" + fixture.model)
        let types = graph.outputs.map { graph.tensor(named: $0)?.elementType }
        #expect(types == [.int16, .int8, .int8, .int16, .int8])
        let kinds = graph.nodes.map(\.operation.kind)
        #expect(kinds == [.conv2D, .int16Activation, .requantize, .lookupTable, .requantize, .requantize])
        // A version-2 .q file (int16 activation node) that reads back equal.
        let bytes = try QModelWriter.encode(graph)
        #expect(bytes[8] == 2)
        #expect(try QModelReader.decode(bytes) == graph)
    }

    @Test("LiteRT's sigmoid table, read from TANH with a one-entry input grid, equals accsim's")
    func sigmoidTable() throws {
        let fixture = try Self.fixture("tanh_probe16")
        let graph = try TFLiteImporter.importModel(path: Self.directory + "/" + fixture.model)
        guard case .int16Activation(let p) = graph.nodes.first?.operation else {
            Issue.record("tanh_probe16 did not import as int16_activation")
            return
        }
        // Input scale float32(1/48): 1/48 · 12288 = 256 (a little above), doubled 6 times.
        #expect(p.inputMultiplier == 16384 && p.inputLeftShift == 6)
        let probe = try Self.tensor(fixture.outputs[0]["reference"] ?? "")
        let input = try Self.tensor(fixture.input)
        #expect(Array(input.values[0..<256]) == Array(0..<256))
        for i in 0..<255 {
            #expect(Int(probe.values[i]) + 32768 == Int(Int16ActivationParameters.sigmoidTable[i]), "entry \(i)")
        }
        #expect(probe.values[255] == 32767)  // |x| ≥ 255 steps saturates
    }

    @Test("LOGISTIC/TANH with a power-of-two input scale are refused with the optimized kernels, by name")
    func refusedOptimizedPowerOfTwo() throws {
        let fixture = try Self.fixture("pot16")
        #expect {
            try TFLiteImporter.importModel(path: Self.directory + "/" + fixture.model)
        } throws: { error in
            "\(error)".contains("operators[0]") && "\(error)".contains("power-of-two scale")
        }
        // LiteRT's two variants disagree on most of these elements (gemmlowp vs table).
        let differing = (fixture.outputs.indices).map { k in
            (try? Self.tensor(fixture.outputs[k]["optimized"] ?? "")).map { optimized in
                zip(optimized.values, (try? Self.tensor(fixture.outputs[k]["reference"] ?? ""))?.values ?? [])
                    .filter { $0 != $1 }.count
            }
        }
        #expect(differing == [3544, 2545])
    }

    @Test(
        "graphs of int16 vector layers run on the hardware model and still equal LiteRT",
        arguments: ["tanh_probe16", "quantize_8to16", "pot16", "softmax16"])
    func onHardware(name: String) throws {
        let fixture = try Self.fixture(name)
        let graph = try TFLiteImporter.importModel(
            path: Self.directory + "/" + fixture.model, options: .init(kernels: .reference))
        let input = try Self.tensor(fixture.input)
        let simulation = try HardwareSimulation(graph: graph, hardware: .standard)
        let outputs = try simulation.run(batches: [graph.inputs[0]: input], threads: 2, tiled: .always)
        for (k, output) in graph.outputs.enumerated() {
            let expected = try Self.tensor(fixture.outputs[k]["reference"] ?? "")
            #expect(outputs[output]?.values == expected.values, "\(name) output \(k)")
        }
    }
}
