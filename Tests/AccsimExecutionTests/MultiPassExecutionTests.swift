import AccsimArithmetic
import AccsimHardware
import AccsimModel
import Testing

@testable import AccsimExecution

/// int16 layers on an 8-bit array run in passes; the data path equals the native 16-bit array and
/// the reference engine bit for bit.
@Suite struct MultiPassExecutionTests {
    /// An FC layer `[1, depth] → [1, 3]` with `activation` inputs and `weight` weights (zero
    /// points 0), int32 bias and a unit requantizer to int16.
    static func graph(depth: Int, activation: ElementType, weight: ElementType, weights: [Int32], bias: [Int32])
        -> Graph
    {
        let requantizer = Requantizer(
            multiplier: 1, shift: 16, rounding: .halfUp, zeroPoint: 0, clampMin: -32768, clampMax: 32767)
        return Graph(
            name: "multipass",
            tensors: [
                TensorInfo(name: "x", shape: [1, depth], elementType: activation),
                TensorInfo(name: "w", shape: [3, depth], elementType: weight),
                TensorInfo(name: "b", shape: [3], elementType: .int32),
                TensorInfo(name: "y", shape: [1, 3], elementType: .int16),
            ],
            constants: [
                "w": ConstantData(elementType: weight, values: weights),
                "b": ConstantData(elementType: .int32, values: bias),
            ],
            nodes: [
                Node(
                    name: "fc", operation: .fullyConnected(FullyConnectedParameters(requantizer: requantizer)),
                    inputs: ["x", "w", "b"], outputs: ["y"])
            ],
            inputs: ["x"], outputs: ["y"])
    }

    static func hardware(input: ElementType, weight: ElementType, overflow: OverflowMode, rows: Int = 4)
        -> HardwareConfig
    {
        var config = HardwareConfig.standard
        config.array.rows = rows
        config.array.cols = 4
        config.array.inputType = input
        config.array.weightType = weight
        config.array.overflow = overflow
        return config
    }

    @Test(arguments: [OverflowMode.wrap, .saturate], [ElementType.int8, .int16])
    func passesEqualTheNativeArrayAndTheReference(overflow: OverflowMode, weight: ElementType) throws {
        // Extreme operands: a depth of 4096 with |x·w| up to 2^30 overflows int32 many times over
        // (wrap) or saturates the accumulator buffer (saturate). A weight-stationary fold sums one
        // product per array row: 4 rows of int16 × int8 (< 4·2^22) or 2 rows of int16 × int16
        // with weights ≥ −32767 (< 2·2^30) never leave int32 inside a fold, so both arrays
        // saturate in the accumulator buffer only and must agree.
        let depth = 4096
        var state: UInt64 = 0xD15EA5E
        func next(_ range: ClosedRange<Int32>) -> Int32 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return range.lowerBound
                + Int32(truncatingIfNeeded: (state >> 33) % UInt64(range.upperBound - range.lowerBound + 1))
        }
        let wMax = weight == .int8 ? Int32(127) : 32767
        let wMin = weight == .int8 ? Int32(-128) : -32767
        let rows = weight == .int8 ? 4 : 2
        let extremes: [Int32] = [-32768, 32767, -1, 0, 255, -256]
        // Row 0 all extreme-positive products, row 1 alternating, row 2 random.
        let weights =
            (0..<depth).map { _ in wMax } + (0..<depth).map { $0 % 2 == 0 ? wMin : wMax }
            + (0..<depth).map { _ in next(wMin...wMax) }
        let graph = Self.graph(
            depth: depth, activation: .int16, weight: weight, weights: weights, bias: [-5, 7, Int32.min])
        try graph.validate()
        let x = IntTensor(
            shape: [3, depth], elementType: .int16,
            values: (0..<depth).map { _ in 32767 } + (0..<depth).map { extremes[$0 % extremes.count] }
                + (0..<depth).map { _ in next(-32768...32767) })
        let batches = ["x": x]
        let passes = try HardwareSimulation(
            graph: graph, hardware: Self.hardware(input: .int8, weight: .int8, overflow: overflow, rows: rows))
        let native = try HardwareSimulation(
            graph: graph, hardware: Self.hardware(input: .int16, weight: .int16, overflow: overflow, rows: rows))
        #expect(passes.slices(graph.nodes[0]) == (activation: 2, weight: weight == .int8 ? 1 : 2))
        #expect(native.slices(graph.nodes[0]) == (activation: 1, weight: 1))
        let a = try passes.run(batches: batches, tiled: .always)
        let b = try native.run(batches: batches, tiled: .always)
        #expect(a == b)
        if overflow == .wrap {
            #expect(a == (try GraphExecutor(graph: graph, overflow: .wrap).run(batches: batches)))
        }
        // The saturating sample 0 ends at the clamp: Int32.max·2^−16 rounds to 32768 → 32767.
        if overflow == .saturate {
            #expect(a["y"]?.values[0] == 32767)
        }
    }

    @Test func int64AccumulatorsAreRefusedOnA32BitArray() throws {
        var graph = Self.graph(
            depth: 4, activation: .int16, weight: .int8, weights: [Int32](repeating: 1, count: 12), bias: [0, 0, 0])
        let requantizer = Requantizer(
            multiplier: 1, shift: 16, rounding: .halfUp, zeroPoint: 0, clampMin: -32768, clampMax: 32767)
        graph.nodes[0].operation = .fullyConnected(
            FullyConnectedParameters(requantizer: requantizer, accumulator: .int64))
        try graph.validate()
        #expect {
            try HardwareSimulation(graph: graph, hardware: Self.hardware(input: .int8, weight: .int8, overflow: .wrap))
        } throws: { error in
            "\(error)".contains(
                "the layer accumulates in int64 (LiteRT int16x8); the array's accumulators are 32-bit (array.accumulator_bits)"
            )
        }
    }
}
