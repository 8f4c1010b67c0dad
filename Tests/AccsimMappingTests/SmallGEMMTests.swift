import AccsimArithmetic
import AccsimHardware
import AccsimModel
import AccsimTiming
import Testing

@testable import AccsimMapping

/// A 4×6×5 GEMM on a 4×4 array: a 1×1 conv over a 2×2×6 input with 5 filters, so
/// M = OH·OW = 4, K = 1·1·6 = 6, N = 5. Buffers 1 KiB double-buffered (512 B per half), requantizer
/// 4 lanes, DRAM 16 B/cycle, latency 10, 16-byte bursts.
///
/// DRAM map (64-byte aligned, tensor order): x (24 B) at 0, w (30 B) at 64, b (5 × 4 = 20 B) at
/// 128, y (20 B) at 192.
///
/// Tiling (given, not searched: this suite derives one tile's folds, cycles and traffic): the whole
/// GEMM in one tile (input 2 rows · 2 · 6 = 24 B, weights 6·5 = 30 B, accumulators 4·5·4 = 80 B,
/// all ≤ 512), reading each operand once: 24 + 30 + 20 (bias) = 74 B under either loop order.
/// What the search picks for this layer is derived in `ObjectiveTests`.
@Suite struct SmallGEMMTests {
    struct Expected: Sendable, CustomStringConvertible {
        var dataflow: Dataflow
        /// Each fold's (m, k, n) ranges and total cycles, in order.
        var folds: [(m: Range<Int>, k: Range<Int>, n: Range<Int>, cycles: Int)]
        var inputReads: Int
        var weightReads: Int
        var outputReads: Int
        var outputWrites: Int
        var description: String { dataflow.rawValue }
    }

    /// Native cycles per fold (docs/timing.md): every dataflow totals k + m + n + R − 2 with the
    /// fold's used m, k, n and R = 4. The requantizer adds ceil(4·5 / 4) = 5 cycles.
    static let cases: [Expected] = [
        // WS: k on the rows (chunks [0,4), [4,6)), n on the columns ([0,4), [4,5)), m = 4 streams;
        // columns outer, rows inner.
        //   (4,4,4): 4+4+4+2 = 14; (4,2,4): 2+4+4+2 = 12; (4,4,1): 4+4+1+2 = 11; (4,2,1): 2+4+1+2 = 9 → 46.
        // Input reads Σ m·k = 16+8+16+8 = 48; weight reads Σ k·n = 16+8+4+2 = 30.
        // Accumulators: writes Σ m·n·4 = 64+64+16+16 = 160, + 20 int8 outputs = 180; reads: the
        // second row chunk of each column chunk read-modify-writes (64 + 16 = 80), the requantizer
        // reads 20·4 = 80, the store reads 20 → 180.
        Expected(
            dataflow: .weightStationary,
            folds: [
                (0..<4, 0..<4, 0..<4, 14), (0..<4, 4..<6, 0..<4, 12), (0..<4, 0..<4, 4..<5, 11),
                (0..<4, 4..<6, 4..<5, 9),
            ],
            inputReads: 48, weightReads: 30, outputReads: 180, outputWrites: 180),
        // OS: m on the rows (one chunk of 4), n on the columns ([0,4), [4,5)), k = 6 streams.
        //   (4,6,4): 6+4+4+2 = 16; (4,6,1): 6+4+1+2 = 13 → 29.
        // Input reads Σ m·k = 24+24 = 48; weight reads Σ k·n = 24+6 = 30.
        // Accumulators: writes 64 + 16 + 20 = 100; no fold reads (each starts its reduction):
        // 80 (requantizer) + 20 (store) = 100.
        Expected(
            dataflow: .outputStationary,
            folds: [(0..<4, 0..<6, 0..<4, 16), (0..<4, 0..<6, 4..<5, 13)],
            inputReads: 48, weightReads: 30, outputReads: 100, outputWrites: 100),
        // IS: k on the rows ([0,4), [4,6)), m on the columns (one chunk of 4), n = 5 streams.
        //   (4,4,5): 4+4+5+2 = 15; (4,2,5): 2+4+5+2 = 13 → 28.
        // Input reads Σ m·k = 16+8 = 24; weight reads Σ k·n = 20+10 = 30.
        // Accumulators: writes 80 + 80 + 20 = 180; reads 80 (second fold) + 80 + 20 = 180.
        Expected(
            dataflow: .inputStationary,
            folds: [(0..<4, 0..<4, 0..<5, 15), (0..<4, 4..<6, 0..<5, 13)],
            inputReads: 24, weightReads: 30, outputReads: 180, outputWrites: 180),
    ]

    static func graph() -> Graph {
        MappingFixtures.convGraph(height: 2, width: 2, channels: 6, filters: 5, kernel: Size2D(1))
    }

    @Test(arguments: cases)
    func tilingFoldsCyclesAndTraffic(_ expected: Expected) throws {
        let hardware = MappingFixtures.hardware(dataflow: expected.dataflow)
        let layer = try MappingFixtures.layer(
            Self.graph(), on: hardware,
            tiling: MappingFixtures.tiling(4, 6, 5, of: GEMMShape(m: 4, k: 6, n: 5)))
        let plan = try #require(layer.gemm)

        #expect(plan.lowering.shape == GEMMShape(m: 4, k: 6, n: 5))
        #expect(
            plan.tiling
                == GEMMTiling(mTile: 4, kTile: 6, nTile: 5, order: .weightsOuter, mTiles: 1, kTiles: 1, nTiles: 1))
        #expect(plan.estimate(.weightsOuter)?.totalBytes == 74)
        #expect(plan.estimate(.inputsOuter)?.totalBytes == 74)

        // Steps: bias, input, weight, compute, store.
        #expect(layer.steps.map(\.sequence) == [0, 1, 2, 3, 4])
        let transfers = layer.transfers
        #expect(transfers.map(\.buffer) == [.parameters, .input, .weight, .output])
        #expect(transfers.map(\.dramAddress) == [128, 0, 64, 192])
        #expect(transfers.map(\.bytes) == [20, 24, 30, 20])
        #expect(transfers.allSatisfy { $0.pattern.count == 1 })
        #expect(transfers.map(\.sramAddress) == [0, 0, 0, 0])
        #expect(transfers.map(\.bank) == [0, 0, 0, 0])

        let tile = try #require(layer.tiles.first)
        #expect(tile.m == 0..<4 && tile.k == 0..<6 && tile.n == 0..<5 && tile.isFirstChunk && tile.isLastChunk)
        let folds = tile.folds
        #expect(folds.map(\.m) == expected.folds.map(\.m))
        #expect(folds.map(\.k) == expected.folds.map(\.k))
        #expect(folds.map(\.n) == expected.folds.map(\.n))
        #expect(folds.map { plan.cycles(of: $0)?.total } == expected.folds.map(\.cycles))

        let compute = try #require(layer.computeSteps.first)
        let arrayCycles = expected.folds.reduce(0) { $0 + $1.cycles }
        #expect(compute.arrayCycles == arrayCycles)
        #expect(compute.requantizerCycles == 5)
        #expect(compute.cycles == arrayCycles + 5)
        #expect(compute.waitsFor == [0, 1, 2])

        let traffic = layer.traffic
        #expect(traffic.dramInputReadBytes == 24)
        #expect(traffic.dramWeightReadBytes == 30)
        #expect(traffic.dramBiasReadBytes == 20)
        #expect(traffic.dramReadBytes == 74)
        #expect(traffic.dramWriteBytes == 20)
        #expect(traffic.dramPartialSumReadBytes == 0 && traffic.dramPartialSumWriteBytes == 0)
        #expect(traffic.input == BufferTraffic(reads: expected.inputReads, writes: 24))
        #expect(traffic.weight == BufferTraffic(reads: expected.weightReads, writes: 30))
        #expect(traffic.output == BufferTraffic(reads: expected.outputReads, writes: expected.outputWrites))
        #expect(traffic.macs == 120)
        #expect(traffic.requantizerOps == 20)

        // Timeline: every transfer rounds up to 32 B → 10 + 32/16 = 12 cycles. Bias [0,12), input
        // [12,24), weight [24,36), compute from 36, store after it.
        let result = layer.result(dma: DMACostModel(dram: hardware.dram))
        let compute0 = 36
        #expect(result.timeline.steps.map(\.start) == [0, 12, 24, compute0, compute0 + compute.cycles])
        #expect(result.totalCycles == compute0 + compute.cycles + 12)
        #expect(result.prologueCycles == 36)
        #expect(result.computeCycles == compute.cycles)
        #expect(result.stalls == .zero)
        #expect(result.epilogueCycles == 12)
        #expect(result.arrayCycles == arrayCycles && result.requantizerCycles == 5 && result.vectorCycles == 0)
    }
}
