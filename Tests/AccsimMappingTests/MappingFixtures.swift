import AccsimArithmetic
import AccsimHardware
import AccsimModel
import AccsimTiming
import Testing

@testable import AccsimMapping

/// Small graphs and hardware configs for the mapping tests.
enum MappingFixtures {
    /// A per-tensor requantizer that validates for any int8 output.
    static let requantizer = Requantizer(multiplier: 1, shift: 0, rounding: .halfUp)

    /// Tensor constants of `count` int8 values.
    static func int8(_ count: Int) -> ConstantData {
        ConstantData(elementType: .int8, values: (0..<count).map { Int32($0 % 7) - 3 })
    }

    /// One conv2d layer named `name` over an input `[1, height, width, channels]` with `filters`
    /// filters of `kernel`, with an int32 bias. Tensors in order: x, w, b, y.
    static func convGraph(
        name: String = "conv", height: Int, width: Int, channels: Int, filters: Int, kernel: Size2D,
        stride: Size2D = Size2D(1), padding: Padding2D = .zero, groups: Int = 1
    ) -> Graph {
        let oh = slidingWindowOutputExtent(
            input: height, padBefore: padding.top, padAfter: padding.bottom,
            kernel: kernel.height, stride: stride.height, dilation: 1)!
        let ow = slidingWindowOutputExtent(
            input: width, padBefore: padding.left, padAfter: padding.right,
            kernel: kernel.width, stride: stride.width, dilation: 1)!
        let weightCount = filters * kernel.height * kernel.width * (channels / groups)
        return Graph(
            name: "g",
            tensors: [
                TensorInfo(name: "x", shape: [1, height, width, channels], elementType: .int8),
                TensorInfo(
                    name: "w", shape: [filters, kernel.height, kernel.width, channels / groups], elementType: .int8),
                TensorInfo(name: "b", shape: [filters], elementType: .int32),
                TensorInfo(name: "y", shape: [1, oh, ow, filters], elementType: .int8),
            ],
            constants: [
                "w": int8(weightCount),
                "b": ConstantData(elementType: .int32, values: [Int32](repeating: 1, count: filters)),
            ],
            nodes: [
                Node(
                    name: name,
                    operation: .conv2D(
                        Conv2DParameters(stride: stride, padding: padding, groups: groups, requantizer: requantizer)),
                    inputs: ["x", "w", "b"], outputs: ["y"])
            ],
            inputs: ["x"], outputs: ["y"])
    }

    /// One fully connected layer `[1, depth] → [1, outputs]` with an int32 bias.
    static func fullyConnectedGraph(depth: Int, outputs: Int) -> Graph {
        Graph(
            name: "g",
            tensors: [
                TensorInfo(name: "x", shape: [1, depth], elementType: .int8),
                TensorInfo(name: "w", shape: [outputs, depth], elementType: .int8),
                TensorInfo(name: "b", shape: [outputs], elementType: .int32),
                TensorInfo(name: "y", shape: [1, outputs], elementType: .int8),
            ],
            constants: [
                "w": int8(outputs * depth),
                "b": ConstantData(elementType: .int32, values: [Int32](repeating: 1, count: outputs)),
            ],
            nodes: [
                Node(
                    name: "fc", operation: .fullyConnected(FullyConnectedParameters(requantizer: requantizer)),
                    inputs: ["x", "w", "b"], outputs: ["y"])
            ],
            inputs: ["x"], outputs: ["y"])
    }

    /// A hardware config: `rows × cols` array, the given buffers (KiB, double-buffered), a
    /// requantizer of `requantizerLanes` lanes and a DRAM of 16 B/cycle, 10 cycles latency,
    /// 16-byte bursts. The hand-derived tiling tests state the DRAM bytes they expect, so the
    /// fixtures minimise `dram_bytes` unless a test asks for another objective.
    static func hardware(
        rows: Int = 4, cols: Int = 4, dataflow: Dataflow = .weightStationary,
        input: (kib: Int, double: Bool) = (1, true), weight: (kib: Int, double: Bool) = (1, true),
        output: (kib: Int, double: Bool) = (1, true), requantizerLanes: Int = 4,
        objective: MappingObjective = .dramBytes
    ) -> HardwareConfig {
        var config = HardwareConfig.standard
        config.mapping.objective = objective
        config.array.rows = rows
        config.array.cols = cols
        config.array.dataflow = dataflow
        config.sram.input.kib = input.kib
        config.sram.input.doubleBuffered = input.double
        config.sram.weight.kib = weight.kib
        config.sram.weight.doubleBuffered = weight.double
        config.sram.output.kib = output.kib
        config.sram.output.doubleBuffered = output.double
        config.requantizer.lanes = requantizerLanes
        config.dram.bandwidthBytesPerCycle = 16
        config.dram.latencyCycles = 10
        config.dram.burstBytes = 16
        return config
    }

    /// Maps `graph` (after validating it) with AccsimTiming's analytic fold cycles.
    static func schedule(_ graph: Graph, on hardware: HardwareConfig) throws -> Schedule {
        try graph.validate()
        return try Mapper(hardware: hardware).schedule(graph)
    }

    /// The first node of `graph` mapped with `tiling` rather than the searched one.
    static func layer(_ graph: Graph, on hardware: HardwareConfig, tiling: GEMMTiling) throws -> LayerSchedule {
        try graph.validate()
        return try #require(try Mapper(hardware: hardware).schedule(nodeAt: 0, in: graph, tiling: tiling))
    }

    /// The tiling with `m`, `k`, `n` elements per tile of a GEMM of `shape`, in `order`.
    static func tiling(_ m: Int, _ k: Int, _ n: Int, of shape: GEMMShape, _ order: LoopOrder = .weightsOuter)
        -> GEMMTiling
    {
        GEMMTiling(
            mTile: m, kTile: k, nTile: n, order: order, mTiles: ceilDiv(shape.m, m), kTiles: ceilDiv(shape.k, k),
            nTiles: ceilDiv(shape.n, n))
    }
}

extension LayerSchedule {
    /// The array steps' tiles, in order.
    var tiles: [GEMMTile] { computeSteps.compactMap(\.tile) }

    /// Bytes loaded into `buffer`.
    func loadedBytes(_ buffer: BufferKind) -> Int {
        transfers.filter { $0.direction == .load && $0.buffer == buffer }.reduce(0) { $0 + $1.bytes }
    }
}
