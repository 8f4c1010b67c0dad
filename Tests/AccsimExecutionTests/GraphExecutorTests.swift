import AccsimArithmetic
import AccsimModel
import AccsimTestSupport
import Foundation
import Testing

@testable import AccsimExecution

/// Files of the repository's Models/ folder.
enum ModelFiles {
    static let folder = Repository.root.appendingPathComponent("Models")

    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    static func tensor(_ name: String) throws -> IntTensor {
        let array = try NPYFile.read(path: path(name))
        guard let tensor = array.intTensor() else {
            Issue.record("\(name) is not an integer array")
            return IntTensor(shape: [0], elementType: .int8, values: [])
        }
        return tensor
    }
}

@Suite struct GraphExecutorTests {
    /// The digits CNN on its 360 held-out inputs gives exactly the int8 logits of the quantization
    /// script's independent NumPy integer reference.
    @Test func digitsLogitsEqualTheQuantizationScript() throws {
        let graph = try QModelReader.read(path: ModelFiles.path("digits.q"))
        let inputs = try ModelFiles.tensor("digits_test_x.npy")
        let expected = try ModelFiles.tensor("digits_expected_logits.npy")
        let outputs = try GraphExecutor(graph: graph).run(batch: inputs, threads: 2)
        let logits = try #require(outputs["logits"])
        #expect(logits.shape == [360, 10])
        #expect(logits.values == expected.values)
        let predictions = Classification.argmax(logits)
        let expectedPredictions = try ModelFiles.tensor("digits_expected_predictions.npy")
        #expect(predictions == expectedPredictions.values.map(Int.init))
    }

    /// A hand-built model using every operation equals the NumPy oracle (Scripts/intref.py).
    @Test func everyOpModelEqualsTheNumPyOracle() throws {
        let graph = try QModelReader.read(path: ModelFiles.path("every_op.q"))
        let kinds = Set(graph.nodes.map(\.operation.kind))
        // LiteRT's int16 LOGISTIC/TANH and SOFTMAX kernels have LiteRT itself as their oracle (the
        // int16 fixtures of TFLiteInt16Tests); every other operation is in every_op.q.
        let liteRTOracle: Set<AccsimModel.Operation.Kind> = [.int16Activation, .int16Softmax]
        let covered = Set(AccsimModel.Operation.Kind.allCases).subtracting(liteRTOracle)
        #expect(kinds == covered, "missing: \(covered.subtracting(kinds))")
        let roundings = Set(graph.nodes.compactMap(\.operation.outputRequantizer?.rounding))
        #expect(roundings.count >= 5)
        let inputs = try ModelFiles.tensor("every_op_input.npy")
        let expected = try ModelFiles.tensor("every_op_expected.npy")
        let outputs = try GraphExecutor(graph: graph).run(batch: inputs, threads: 2)
        let result = try #require(outputs[graph.outputs[0]])
        #expect(result.shape == expected.shape)
        #expect(result.values == expected.values)
    }

    @Test func resultsDoNotDependOnTheThreadCount() throws {
        let graph = try QModelReader.read(path: ModelFiles.path("digits.q"))
        let inputs = try ModelFiles.tensor("digits_test_x.npy")
        let engine = GraphExecutor(graph: graph)
        let one = try engine.run(batch: inputs, threads: 1)
        let three = try engine.run(batch: inputs, threads: 3)
        #expect(one == three)
    }

    @Test func observerSeesEveryNodeInOrder() throws {
        let graph = try QModelReader.read(path: ModelFiles.path("digits.q"))
        let inputs = try ModelFiles.tensor("digits_test_x.npy")
        let sample = IntTensor(shape: [1, 8, 8, 1], elementType: .int8, values: Array(inputs.values[0..<64]))
        nonisolated(unsafe) var seen: [(Int, [Int])] = []
        _ = GraphExecutor(graph: graph).runSample(["input": sample]) { index, tensor in
            seen.append((index, tensor.shape))
        }
        #expect(seen.map(\.0) == Array(graph.nodes.indices))
        #expect(seen.map(\.1) == graph.nodes.map { graph.tensor(named: $0.outputs[0])?.shape ?? [] })
    }

    @Test func wrongBatchShapeIsABadInputError() throws {
        let graph = try QModelReader.read(path: ModelFiles.path("digits.q"))
        let wrong = IntTensor(shape: [2, 8, 8], elementType: .int8, repeating: 0)
        #expect(
            throws: ExecutionError(
                "input batch has shape [2, 8, 8] but the model input 'input' expects [N] + [8, 8, 1]", isBadInput: true)
        ) {
            _ = try GraphExecutor(graph: graph).run(batch: wrong)
        }
    }
}
