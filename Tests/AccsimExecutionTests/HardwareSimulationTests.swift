import AccsimArithmetic
import AccsimHardware
import AccsimMapping
import AccsimModel
import AccsimTiming
import Foundation
import Testing

@testable import AccsimExecution

/// Every bundled hardware config, resolved.
private func bundledConfigs() throws -> [(String, HardwareConfig)] {
    let folder = ModelFiles.folder.deletingLastPathComponent().appendingPathComponent("HardwareConfigs")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        .sorted()
    return try files.map { ($0, try HardwareConfigLoader.load(folder.appendingPathComponent($0).path).config) }
}

/// The first `count` samples of a batch `[N, …]`.
private func prefix(_ batch: IntTensor, _ count: Int) -> IntTensor {
    let size = batch.count / batch.shape[0]
    return IntTensor(
        shape: [count] + batch.shape.dropFirst(), elementType: batch.elementType,
        values: Array(batch.values[0..<count * size]))
}

@Suite struct HardwareSimulationTests {
    /// Tiled execution (fold by fold, in schedule order) equals the reference engine bit for bit,
    /// for every example model on every bundled config.
    @Test(arguments: ["digits", "every_op"])
    func tiledExecutionEqualsTheReferenceOnEveryBundledConfig(model: String) throws {
        let graph = try QModelReader.read(path: ModelFiles.path("\(model).q"))
        let inputFile = model == "digits" ? "digits_test_x.npy" : "every_op_input.npy"
        let inputs = prefix(try ModelFiles.tensor(inputFile), 8)
        let batches = [graph.inputs[0]: inputs]
        let configs = try bundledConfigs()
        #expect(configs.count == 9)
        for (file, config) in configs {
            let expected = try GraphExecutor(graph: graph, overflow: config.array.overflow).run(batches: batches)
            let simulation = try HardwareSimulation(graph: graph, hardware: config)
            let tiled = try simulation.run(batches: batches, threads: 2, tiled: .always)
            #expect(tiled == expected, "\(model) on \(file)")
        }
    }

    /// Under saturating accumulators the result follows the hardware's order. An FC layer whose
    /// running sum first saturates, then sees pairs (+16129, −16129) inside each 8-row fold:
    /// - reference (saturate after every product): each pair clamps at Int32.max on + and drops
    ///   16129 on −, ending at Int32.max − 16129 = 2,147,467,518;
    /// - the 8×8 weight-stationary array sums each fold exactly (the pairs cancel) and saturates
    ///   only in the accumulator buffer: Int32.max = 2,147,483,647.
    /// With bias −2,147,483,000 and a unit requantizer to int16: 647 versus −15,482.
    /// Under wrap both orders give the same (wrapped) sum.
    @Test func saturatingAccumulationFollowsTheHardwareOrder() throws {
        let positives = 133_152  // a multiple of 8; 133,152 · 16,129 exceeds Int32.max
        let pairs = 24
        let depth = positives + 2 * pairs
        var weights = [Int32](repeating: 127, count: positives)
        for _ in 0..<pairs { weights += [127, -127] }
        let requantizer = Requantizer(
            multiplier: 1, shift: 0, rounding: .halfUp, zeroPoint: 0, clampMin: -32768, clampMax: 32767)
        let graph = Graph(
            name: "saturation",
            tensors: [
                TensorInfo(name: "x", shape: [1, depth], elementType: .int8),
                TensorInfo(name: "w", shape: [1, depth], elementType: .int8),
                TensorInfo(name: "b", shape: [1], elementType: .int32),
                TensorInfo(name: "y", shape: [1, 1], elementType: .int16),
            ],
            constants: [
                "w": ConstantData(elementType: .int8, values: weights),
                "b": ConstantData(elementType: .int32, values: [-2_147_483_000]),
            ],
            nodes: [
                Node(
                    name: "fc", operation: .fullyConnected(FullyConnectedParameters(requantizer: requantizer)),
                    inputs: ["x", "w", "b"], outputs: ["y"])
            ],
            inputs: ["x"], outputs: ["y"])
        try graph.validate()
        let batch = ["x": IntTensor(shape: [1, depth], elementType: .int8, repeating: 127)]

        var config = HardwareConfig.standard
        config.array.overflow = .saturate
        let reference = try GraphExecutor(graph: graph, overflow: .saturate).run(batches: batch)
        let hardware = try HardwareSimulation(graph: graph, hardware: config).run(batches: batch, tiled: .always)
        #expect(reference["y"]?.values == [-15_482])
        #expect(hardware["y"]?.values == [647])
        // The default (.whenOrderMatters) follows the hardware order because the config saturates.
        #expect(try HardwareSimulation(graph: graph, hardware: config).run(batches: batch)["y"]?.values == [647])

        config.array.overflow = .wrap
        let wrapped = try HardwareSimulation(graph: graph, hardware: config).run(batches: batch, tiled: .always)
        let wrappedReference = try GraphExecutor(graph: graph, overflow: .wrap).run(batches: batch)
        #expect(wrapped == wrappedReference)
    }

    /// Every layer's cycles add up: total = prologue + compute + stalls + epilogue, and the
    /// totals are the sums of the layers.
    @Test func cycleBreakdownAddsUp() throws {
        let graph = try QModelReader.read(path: ModelFiles.path("every_op.q"))
        for (file, config) in try bundledConfigs() {
            let simulation = try HardwareSimulation(graph: graph, hardware: config)
            let layers = simulation.performance
            for (layer, p) in zip(graph.nodes, layers) {
                #expect(
                    p.cycles.total == p.cycles.prologue + p.cycles.compute + p.cycles.stall.total + p.cycles.epilogue,
                    "\(layer.name) on \(file)")
                #expect(
                    p.cycles.compute == p.cycles.array + p.cycles.requantizer + p.cycles.vector,
                    "\(layer.name) on \(file)")
                #expect(p.macs == graph.macs(of: layer), "\(layer.name) on \(file)")
                #expect(p.utilization >= 0 && p.utilization <= 1)
                #expect(p.mappingEfficiency >= 0 && p.mappingEfficiency <= 1)
            }
            let total = LayerPerformance.total(layers, hardware: config)
            #expect(total.cycles.total == layers.reduce(0) { $0 + $1.cycles.total })
            #expect(total.dram.readBytes == layers.reduce(0) { $0 + $1.dram.readBytes })
            #expect(total.macs == graph.totalMACs)
            #expect((total.energyPicojoules != nil) == config.energy.isEnabled)
        }
    }

    /// A layer whose smallest tile cannot fit is an error naming the layer and the buffer: a 1×1
    /// conv over a 600-pixel-wide row needs at least one whole input row (600 B) in a buffer half,
    /// but a double-buffered 1 KiB input buffer holds 512 B per half.
    @Test func impossibleMappingNamesLayerAndBuffer() throws {
        let requantizer = Requantizer(multiplier: 1, shift: 0, rounding: .halfUp)
        let graph = Graph(
            name: "wide",
            tensors: [
                TensorInfo(name: "x", shape: [1, 1, 600, 1], elementType: .int8),
                TensorInfo(name: "w", shape: [1, 1, 1, 1], elementType: .int8),
                TensorInfo(name: "y", shape: [1, 1, 600, 1], elementType: .int8),
            ],
            constants: ["w": ConstantData(elementType: .int8, values: [1])],
            nodes: [
                Node(
                    name: "wide_conv", operation: .conv2D(Conv2DParameters(requantizer: requantizer)),
                    inputs: ["x", "w"], outputs: ["y"])
            ],
            inputs: ["x"], outputs: ["y"])
        try graph.validate()
        var config = HardwareConfig.standard
        config.sram.input.kib = 1
        config.sram.input.banks = 1
        do {
            _ = try HardwareSimulation(graph: graph, hardware: config)
            Issue.record("expected a mapping error")
        } catch {
            #expect(error.node == "wide_conv")
            #expect(
                error.message.contains("input buffer") || error.message.contains("sram.input"),
                "message: \(error.message)")
            #expect(error.message.contains("600"), "message: \(error.message)")
        }
    }
}

/// Under `convention = scale_sim` a layer's array cycles follow SCALE-Sim's per-fold formula with
/// the full array: the 4×6×5 GEMM (a 1×1 conv over a 2×2×6 input with 5 filters) on a 4×4 array —
/// WS: folds ceil(K/R)·ceil(N/C) = 2·2, each 2R + C + T − 2 = 8 + 4 + 4 − 2 = 14 → 56;
/// OS: folds ceil(M/R)·ceil(N/C) = 1·2, each T + R + C − 2 = 6 + 4 + 4 − 2 = 12 → 24;
/// IS: folds ceil(K/R)·ceil(M/C) = 2·1, each 2R + C + T − 2 = 8 + 4 + 5 − 2 = 15 → 30.
/// The native model gives 46, 29 and 28 for the same folds (docs/timing.md).
@Suite struct ScaleSimConventionTests {
    static func graph() -> Graph {
        let requantizer = Requantizer(multiplier: 1, shift: 4, rounding: .halfUp)
        return Graph(
            name: "gemm4x6x5",
            tensors: [
                TensorInfo(name: "x", shape: [1, 2, 2, 6], elementType: .int8),
                TensorInfo(name: "w", shape: [5, 1, 1, 6], elementType: .int8),
                TensorInfo(name: "y", shape: [1, 2, 2, 5], elementType: .int8),
            ],
            constants: ["w": ConstantData(elementType: .int8, values: (0..<30).map { Int32($0 % 7) - 3 })],
            nodes: [
                Node(
                    name: "gemm", operation: .conv2D(Conv2DParameters(requantizer: requantizer)), inputs: ["x", "w"],
                    outputs: ["y"])
            ],
            inputs: ["x"], outputs: ["y"])
    }

    @Test(arguments: [
        (Dataflow.weightStationary, 55, 46), (.outputStationary, 23, 29), (.inputStationary, 29, 28),
    ])
    func arrayCyclesFollowTheConvention(dataflow: Dataflow, scaleSim: Int, native: Int) throws {
        var config = HardwareConfig.standard
        config.array.rows = 4
        config.array.cols = 4
        config.array.dataflow = dataflow
        config.convention = .scaleSim
        let scaled = try HardwareSimulation(graph: Self.graph(), hardware: config).performance[0]
        #expect(scaled.cycles.array == scaleSim)
        // SCALE-Sim 3.0.0 counts folds × per-fold − 1 (the index of the layer's last cycle).
        #expect(
            scaled.cycles.array == ArrayTimingModel(config: config).scaleSimLayerCycles(GEMMShape(m: 4, k: 6, n: 5))
                .total - 1)
        config.convention = .native
        let nativeRun = try HardwareSimulation(graph: Self.graph(), hardware: config).performance[0]
        #expect(nativeRun.cycles.array == native)
    }
}

@Suite struct OperandTypeTests {
    /// The array multiplies `array.input_type` activations: an int8 model on a uint8×int8 array is
    /// an error naming the layer and the config key.
    @Test func activationTypeMustMatchTheArray() throws {
        let graph = try QModelReader.read(path: ModelFiles.path("digits.q"))
        var config = HardwareConfig.standard
        config.array.inputType = .uint8
        do {
            _ = try HardwareSimulation(graph: graph, hardware: config)
            Issue.record("expected an operand type error")
        } catch {
            #expect(error.node == "conv1")
            #expect(
                error.message
                    == "activations 'input' are int8 but the array multiplies uint8 activations (array.input_type)")
        }
    }
}
