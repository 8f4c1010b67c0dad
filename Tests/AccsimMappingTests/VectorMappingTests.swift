import AccsimArithmetic
import AccsimHardware
import AccsimModel
import AccsimTiming
import Testing

@testable import AccsimMapping

/// Vector-unit layers on the fixture hardware: 8 lanes, buffers 1 KiB double-buffered (512 B per
/// half), DRAM 16 B/cycle, latency 10, 16-byte bursts.
@Suite struct VectorMappingTests {
    /// A graph of one node over int8 tensors named x0, x1, … → y.
    static func graph(_ operation: AccsimModel.Operation, inputs: [[Int]], output: [Int]) -> Graph {
        let names = inputs.indices.map { "x\($0)" }
        return Graph(
            name: "g",
            tensors: zip(names, inputs).map { TensorInfo(name: $0, shape: $1, elementType: .int8) }
                + [TensorInfo(name: "y", shape: output, elementType: .int8)],
            constants: [:], nodes: [Node(name: "op", operation: operation, inputs: names, outputs: ["y"])],
            inputs: names, outputs: ["y"])
    }

    static let add = AccsimModel.Operation.add(
        AddParameters(
            inputs: [AddInputScaling(leftShift: 0, rescale: nil), AddInputScaling(leftShift: 0, rescale: nil)],
            output: MappingFixtures.requantizer))

    static func layer(_ graph: Graph, _ hardware: HardwareConfig = MappingFixtures.hardware()) throws -> (
        LayerSchedule, LayerResult
    ) {
        let schedule = try MappingFixtures.schedule(graph, on: hardware)
        let layer = try #require(schedule.layers.first)
        return (layer, layer.result(dma: DMACostModel(dram: hardware.dram)))
    }

    /// 24 + 24 elements in one chunk: x0 at 0, x1 at 64, y at 128. The second input lands after the
    /// first in the input buffer (address 24, bank 24 / 8 mod 8 = 3). ceil(24 / 8) · 1 = 3 cycles.
    /// Timeline: 24 B → 32 B → 12 cycles per transfer: loads [0,12), [12,24), compute [24,27),
    /// store [27,39).
    @Test func addOfTwoInputs() throws {
        let (layer, result) = try Self.layer(
            Self.graph(Self.add, inputs: [[1, 1, 3, 8], [1, 1, 3, 8]], output: [1, 1, 3, 8]))
        let plan = try #require(layer.vector)
        #expect(plan.opClass == .add && plan.work == 24 && plan.chunks == 1 && plan.unchunkedCycles == 3)
        #expect(layer.transfers.map(\.dramAddress) == [0, 64, 128])
        #expect(layer.transfers.map(\.sramAddress) == [0, 24, 0])
        #expect(layer.transfers.map(\.bank) == [0, 3, 0])
        #expect(layer.computeSteps.map(\.vectorCycles) == [3])
        #expect(result.timeline.steps.map(\.start) == [0, 12, 24, 27])
        #expect(
            result.totalCycles == 39 && result.prologueCycles == 24 && result.computeCycles == 3
                && result.epilogueCycles == 12)
        #expect(result.traffic.input == BufferTraffic(reads: 48, writes: 48))
        #expect(result.traffic.output == BufferTraffic(reads: 24, writes: 24))
        #expect(result.traffic.vectorOps == 24)
    }

    /// 2,048 + 2,048 elements: a chunk holds 512 / 2 = 256 of each (a multiple of the 8 lanes) →
    /// 8 chunks of 32 cycles. Transfers of 256 B take 10 + 16 = 26 cycles, three per chunk (78)
    /// against 32 cycles of compute: the vector unit waits, and every wait is a `vector` stall.
    @Test func largeAddIsChunkedAndDMABound() throws {
        let shape = [1, 16, 16, 8]
        let (layer, result) = try Self.layer(Self.graph(Self.add, inputs: [shape, shape], output: shape))
        #expect(layer.vector?.chunks == 8)
        #expect(layer.computeSteps.map(\.vectorCycles) == Array(repeating: 32, count: 8))
        let loads = layer.transfers.filter { $0.direction == .load }
        #expect(loads.prefix(4).map(\.sramAddress) == [0, 256, 512, 768])
        let t = result.traffic
        #expect(t.dramReadBytes == 4096 && t.dramWriteBytes == 2048)
        #expect(t.input == BufferTraffic(reads: 4096, writes: 4096))
        #expect(t.output == BufferTraffic(reads: 2048, writes: 2048))
        #expect(result.computeCycles == 256 && result.vectorCycles == 256)
        #expect(result.stalls.vector > 0 && result.stalls.input == 0 && result.stalls.output == 0)
        #expect(
            result.totalCycles == result.prologueCycles + result.computeCycles + result.stalls.total
                + result.epilogueCycles)
        // The engine is never idle once started except while waiting for a half: 24 transfers of 26 cycles.
        #expect(result.timeline.dmaBusyCycles == 24 * 26)
    }

    /// 2×2 max pool, stride 2, over 8×8×16 (1,024 B) → 4×4×16. Four output rows need all 8 input
    /// rows (1,024 B > 512); three need rows 0..<6 (768 B); two need 4 rows (512 B) → 2 chunks.
    /// Work per chunk 2·4·16 outputs × 4 taps = 512 → 64 cycles. x at 0, y at 1,024.
    @Test func maxPoolChunksWholeOutputRows() throws {
        let pool = AccsimModel.Operation.maxPool(MaxPoolParameters(window: Size2D(2), stride: Size2D(2)))
        let (layer, result) = try Self.layer(Self.graph(pool, inputs: [[1, 8, 8, 16]], output: [1, 4, 4, 16]))
        let plan = try #require(layer.vector)
        #expect(plan.opClass == .pool && plan.work == 1024 && plan.chunks == 2)
        let loads = layer.transfers.filter { $0.direction == .load }
        #expect(loads.map(\.dramAddress) == [0, 512] && loads.map(\.bytes) == [512, 512])
        let stores = layer.transfers.filter { $0.direction == .store }
        #expect(stores.map(\.dramAddress) == [1024, 1152] && stores.map(\.bytes) == [128, 128])
        #expect(layer.computeSteps.map(\.vectorCycles) == [64, 64])
        #expect(result.traffic.vectorOps == 1024)
    }

    /// Mean over 4×4 positions of 8 channels: one chunk, 128 input elements → 16 cycles.
    @Test func meanReadsEveryPosition() throws {
        let mean = AccsimModel.Operation.mean(MeanParameters(requantizer: MappingFixtures.requantizer))
        let (layer, _) = try Self.layer(Self.graph(mean, inputs: [[1, 4, 4, 8]], output: [1, 1, 1, 8]))
        #expect(layer.vector?.work == 128)
        #expect(layer.transfers.map(\.bytes) == [128, 8])
        #expect(layer.transfers.first?.pattern == .contiguous(128))
        #expect(layer.computeSteps.map(\.vectorCycles) == [16])
    }

    /// Concat of 2×2×3 and 2×2×5 along channels: each input is copied into its column slice of
    /// the 2×2×8 output (x0 at 0, x1 at 64, y at 128): stores of 4 rows × 3 B at 128 and 4 rows ×
    /// 5 B at 131, 8 B apart. Cycles ceil(12 / 8) = 2 and ceil(20 / 8) = 3.
    @Test func concatCopiesEachInputIntoItsSlice() throws {
        let concat = AccsimModel.Operation.concat(ConcatParameters(axis: 3, inputRequantizers: [nil, nil]))
        let (layer, _) = try Self.layer(
            Self.graph(concat, inputs: [[1, 2, 2, 3], [1, 2, 2, 5]], output: [1, 2, 2, 8]))
        let stores = layer.transfers.filter { $0.direction == .store }
        #expect(stores.map(\.dramAddress) == [128, 131])
        #expect(
            stores.map(\.pattern) == [
                DMAPattern(count: 4, chunkBytes: 3, strideBytes: 8),
                DMAPattern(count: 4, chunkBytes: 5, strideBytes: 8),
            ])
        #expect(layer.computeSteps.compactMap(\.chunk).map(\.part) == [0, 1])
        #expect(layer.computeSteps.map(\.vectorCycles) == [2, 3])
    }

    /// Pad 2×2×1 by one row and column on each side → 4×4×1: one chunk loads the 4 input bytes and
    /// stores 16; 16 output elements → 2 cycles.
    @Test func padStoresWholeOutputRows() throws {
        let pad = AccsimModel.Operation.pad(PadParameters(padding: [[0, 0], [1, 1], [1, 1], [0, 0]], value: 0))
        let (layer, _) = try Self.layer(Self.graph(pad, inputs: [[1, 2, 2, 1]], output: [1, 4, 4, 1]))
        #expect(layer.transfers.map(\.bytes) == [4, 16])
        #expect(layer.transfers.map(\.dramAddress) == [0, 64])
        #expect(layer.computeSteps.map(\.vectorCycles) == [2])
    }

    /// Each operation uses its own cycles_per_op entry: 16 elements = 2 lane-wide operations, so a
    /// layer takes 2 · cycles_per_op (add 2, pool 3, lookup_table 4, softmax 5, requantize 6,
    /// copy 7; leaky_relu and clamp use requantize).
    @Test func operationClassesUseTheirCyclesPerOp() throws {
        var hardware = MappingFixtures.hardware()
        hardware.vectorUnit.cyclesPerOp.add = 2
        hardware.vectorUnit.cyclesPerOp.pool = 3
        hardware.vectorUnit.cyclesPerOp.lookupTable = 4
        hardware.vectorUnit.cyclesPerOp.softmax = 5
        hardware.vectorUnit.cyclesPerOp.requantize = 6
        hardware.vectorUnit.cyclesPerOp.copy = 7
        let shape = [1, 16]
        let cases: [(AccsimModel.Operation, Int, VectorOpClass)] = [
            (Self.add, 4, .add),
            (.lookupTable(LookupTableParameters(table: (0..<256).map { Int32($0) - 128 })), 8, .lookupTable),
            (.softmax(SoftmaxParameters.softmaxParameters(betaTimesInputScale: 0.1)), 10, .softmax),
            (.requantize(MappingFixtures.requantizer), 12, .requantize),
            (.leakyRelu(LeakyReluParameters(slopeMultiplier: 1, slopeShift: 3, rounding: .halfUp)), 12, .requantize),
            (.clamp(ClampParameters(min: 0, max: 127)), 12, .requantize),
            (.pad(PadParameters(padding: [[0, 0], [0, 0]], value: 0)), 14, .copy),
        ]
        for (operation, cycles, opClass) in cases {
            let inputs = operation.kind == .add ? [shape, shape] : [shape]
            let (layer, result) = try Self.layer(Self.graph(operation, inputs: inputs, output: shape), hardware)
            #expect(layer.vector?.opClass == opClass, "\(operation.kind)")
            #expect(result.vectorCycles == cycles, "\(operation.kind)")
        }
        // Mean over 2×2 positions of 4 channels: 16 input elements → 2 · 3.
        let mean = AccsimModel.Operation.mean(MeanParameters(requantizer: MappingFixtures.requantizer))
        let (layer, result) = try Self.layer(Self.graph(mean, inputs: [[1, 2, 2, 4]], output: [1, 1, 1, 4]), hardware)
        #expect(layer.vector?.opClass == .pool)
        #expect(result.vectorCycles == 6)
    }

    /// LiteRT's int16 LOGISTIC/TANH and SOFTMAX run on the vector unit like their int8
    /// counterparts: 16 elements = 2 lane-wide operations of lookup_table (4) and softmax (5)
    /// cycles; each int16 element moves 2 bytes (a load and a store of 32 B).
    @Test func int16ActivationsUseTheirInt8Classes() throws {
        var hardware = MappingFixtures.hardware()
        hardware.vectorUnit.cyclesPerOp.lookupTable = 4
        hardware.vectorUnit.cyclesPerOp.softmax = 5
        let q15 = Quantization(scale: 1.0 / 32768, zeroPoint: 0)
        let cases: [(AccsimModel.Operation, Int, VectorOpClass)] = [
            (
                .int16Activation(Int16ActivationParameters(function: .tanh, inputMultiplier: 0, inputLeftShift: 0)), 8,
                .lookupTable
            ),
            (.int16Softmax(Int16SoftmaxParameters.litert(inputScale: 0.01, beta: 1)), 10, .softmax),
        ]
        for (operation, cycles, opClass) in cases {
            var graph = Self.graph(operation, inputs: [[1, 16]], output: [1, 16])
            graph.tensors = graph.tensors.map {
                TensorInfo(name: $0.name, shape: $0.shape, elementType: .int16, quantization: q15)
            }
            try graph.validate()
            let (layer, result) = try Self.layer(graph, hardware)
            #expect(layer.vector?.opClass == opClass, "\(operation.kind)")
            #expect(result.vectorCycles == cycles, "\(operation.kind)")
            #expect(layer.transfers.map(\.bytes) == [32, 32], "\(operation.kind)")
        }
    }
}
