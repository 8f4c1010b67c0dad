import AccsimArithmetic
import AccsimModel
import Testing

@testable import AccsimExecution

/// The engine with `kernels: .fast` against the same engine on the reference kernels (the oracle):
/// every layer's output of whole models, bit for bit, for one and several threads.
@Suite struct FastEngineTests {
    /// Runs `graph` on `inputs` sample by sample, recording every node's output.
    static func layerOutputs(_ engine: GraphExecutor, _ inputs: [String: IntTensor]) -> [Int: IntTensor] {
        nonisolated(unsafe) var outputs: [Int: IntTensor] = [:]
        _ = engine.runSample(inputs) { index, tensor in outputs[index] = tensor }
        return outputs
    }

    /// The first sample of a `[N, …]` batch as a `[1, …]` tensor.
    static func firstSample(_ batch: IntTensor) -> IntTensor {
        let size = batch.count / batch.shape[0]
        return IntTensor(
            shape: [1] + batch.shape.dropFirst(), elementType: batch.elementType, values: Array(batch.values[0..<size]))
    }

    @Test(arguments: [("digits.q", "digits_test_x.npy"), ("every_op.q", "every_op_input.npy")])
    func everyLayerOfTheExampleModelsEqualsTheReference(model: String, input: String) throws {
        let graph = try QModelReader.read(path: ModelFiles.path(model))
        let sample = Self.firstSample(try ModelFiles.tensor(input))
        let inputs = [graph.inputs[0]: sample]
        let expected = Self.layerOutputs(GraphExecutor(graph: graph, kernels: .reference), inputs)
        let fast = Self.layerOutputs(GraphExecutor(graph: graph, kernels: .fast), inputs)
        #expect(expected.count == graph.nodes.count)
        for index in graph.nodes.indices {
            #expect(fast[index] == expected[index], "\(model): layer \(index) '\(graph.nodes[index].name)'")
        }
    }

    @Test func wholeBatchesEqualTheReferenceForEveryThreadCount() throws {
        let graph = try QModelReader.read(path: ModelFiles.path("digits.q"))
        let inputs = try ModelFiles.tensor("digits_test_x.npy")
        let expected = try GraphExecutor(graph: graph, kernels: .reference).run(batch: inputs, threads: 1)
        let fast = GraphExecutor(graph: graph, kernels: .fast)
        for threads in [1, 2, 3] {
            #expect(try fast.run(batch: inputs, threads: threads) == expected, "\(threads) threads")
        }
    }

    /// A ResNet-18 at 32×32 (every layer of the real network: 7×7/2 stem, max pooling, 3×3 and 1×1/2
    /// convolutions, residual adds, global average pooling, a 1000-way FC), seeded random weights;
    /// one sample spreads its kernels over the threads, so this checks the tiled split as well.
    @Test func resnet18EqualsTheReferenceLayerByLayer() throws {
        let graph = SyntheticModels.resnet18(seed: 4, resolution: 32)
        try graph.validate()
        var random = SeededGenerator(seed: 11)
        let image = IntTensor(
            shape: [1, 32, 32, 3], elementType: .int8,
            values: (0..<(32 * 32 * 3)).map { _ in Int32.random(in: -128...127, using: &random) })
        let inputs = [graph.inputs[0]: image]
        let expected = Self.layerOutputs(GraphExecutor(graph: graph, kernels: .reference), inputs)
        let fast = Self.layerOutputs(GraphExecutor(graph: graph, kernels: .fast), inputs)
        for index in graph.nodes.indices {
            #expect(fast[index] == expected[index], "layer \(index) '\(graph.nodes[index].name)'")
        }
        // The comparison means something only if the layers carry varied data.
        for index in graph.nodes.indices where graph.nodes[index].operation.kind == .conv2D {
            let values = try #require(expected[index]).values
            #expect(Set(values).count > 10, "layer \(index) '\(graph.nodes[index].name)' is nearly constant")
        }
        let logits = try #require(expected[graph.nodes.count - 1])
        #expect(Set(logits.values).count > 10, "the logits are nearly constant")
        let twoThreads = try GraphExecutor(graph: graph, kernels: .fast).run(batch: image, threads: 2)
        #expect(twoThreads[graph.outputs[0]] == logits)
    }

    /// Saturating accumulators keep the reference kernels for convolutions (the order of the
    /// additions matters there); the results still match.
    @Test func saturatingAccumulatorsMatchTheReference() throws {
        let graph = try QModelReader.read(path: ModelFiles.path("every_op.q"))
        let inputs = try ModelFiles.tensor("every_op_input.npy")
        let expected = try GraphExecutor(graph: graph, overflow: .saturate, kernels: .reference).run(
            batch: inputs, threads: 1)
        let fast = try GraphExecutor(graph: graph, overflow: .saturate, kernels: .fast).run(batch: inputs, threads: 2)
        #expect(fast == expected)
    }
}
