import AccsimArithmetic
import AccsimHardware
import AccsimModel
import AccsimTiming
import Testing

@testable import AccsimMapping

/// A 3×3 conv with padding 1 and stride 2 over a 5×5×3 input with 4 filters on a 4×4 array:
/// OH = OW = (5 + 2 − 3) / 2 + 1 = 3, so M = 9, K = 3·3·3 = 27, N = 4. Buffers 1 KiB
/// double-buffered, requantizer 4 lanes.
///
/// DRAM map: x (75 B) at 0, w (108 B) at 128, b (16 B) at 256, y (36 B) at 320.
///
/// One tile (given) holds everything: the input rows output rows 0..<3 need are −1…5 clipped to 0..<5,
/// 5·5·3 = 75 B; weights 27·4 = 108 B; accumulators 9·4·4 = 144 B. DRAM reads 75 + 108 + 16 = 199.
@Suite struct StridedConvTests {
    struct Expected: Sendable, CustomStringConvertible {
        var dataflow: Dataflow
        var foldCount: Int
        /// The first and last fold's ranges.
        var firstFold: (m: Range<Int>, k: Range<Int>, n: Range<Int>)
        var lastFold: (m: Range<Int>, k: Range<Int>, n: Range<Int>)
        var arrayCycles: Int
        var inputReads: Int
        var weightReads: Int
        var outputTraffic: Int
        var description: String { dataflow.rawValue }
    }

    /// Native fold cycles k + m + n + R − 2 (R = 4); requantizer ceil(36 / 4) = 9 cycles.
    static let cases: [Expected] = [
        // WS: k = 27 on the rows → 7 chunks (6 of 4, one of 3), n = 4 one column chunk, m = 9 streams.
        //   6 × (4+9+4+2 = 19) + (3+9+4+2 = 18) = 132.
        // Input reads Σ m·k = 9·27 = 243; weight reads Σ k·n = 27·4 = 108.
        // Accumulators: 7 folds write 9·4·4 = 144 each = 1008, + 36 outputs = 1044; reads: 6 folds
        // read-modify-write (864) + requantizer 144 + store 36 = 1044.
        Expected(
            dataflow: .weightStationary, foldCount: 7, firstFold: (0..<9, 0..<4, 0..<4),
            lastFold: (0..<9, 24..<27, 0..<4),
            arrayCycles: 132, inputReads: 243, weightReads: 108, outputTraffic: 1044),
        // OS: m = 9 on the rows → [0,4), [4,8), [8,9); n one chunk; k = 27 streams.
        //   2 × (27+4+4+2 = 37) + (27+1+4+2 = 34) = 108.
        // Input reads Σ m·k = 9·27 = 243; weight reads 3 folds × 27·4 = 324.
        // Accumulators: writes 64+64+16 = 144, + 36 = 180; reads 144 + 36 = 180 (no fold reads).
        Expected(
            dataflow: .outputStationary, foldCount: 3, firstFold: (0..<4, 0..<27, 0..<4),
            lastFold: (8..<9, 0..<27, 0..<4),
            arrayCycles: 108, inputReads: 243, weightReads: 324, outputTraffic: 180),
        // IS: k on the rows (7 chunks), m = 9 on the columns ([0,4), [4,8), [8,9)), n = 4 streams.
        //   per 4-wide m chunk 6 × (4+4+4+2 = 14) + (3+4+4+2 = 13) = 97, twice = 194;
        //   the 1-wide chunk 6 × (4+1+4+2 = 11) + (3+1+4+2 = 10) = 76 → 270.
        // Input reads Σ m·k = 243; weight reads Σ k·n = 3 × 27·4 = 324.
        // Accumulators: writes 7 × 144 + 36 = 1044; reads 6 × 144 + 144 + 36 = 1044.
        Expected(
            dataflow: .inputStationary, foldCount: 21, firstFold: (0..<4, 0..<4, 0..<4),
            lastFold: (8..<9, 24..<27, 0..<4),
            arrayCycles: 270, inputReads: 243, weightReads: 324, outputTraffic: 1044),
    ]

    static func graph() -> Graph {
        MappingFixtures.convGraph(
            height: 5, width: 5, channels: 3, filters: 4, kernel: Size2D(3), stride: Size2D(2),
            padding: Padding2D(top: 1, bottom: 1, left: 1, right: 1))
    }

    @Test(arguments: cases)
    func tilingFoldsCyclesAndTraffic(_ expected: Expected) throws {
        let hardware = MappingFixtures.hardware(dataflow: expected.dataflow)
        // The one-tile tiling, given (the search's choice is derived in ObjectiveTests).
        let layer = try MappingFixtures.layer(
            Self.graph(), on: hardware,
            tiling: MappingFixtures.tiling(9, 27, 4, of: GEMMShape(m: 9, k: 27, n: 4)))
        let plan = try #require(layer.gemm)
        #expect(plan.lowering.shape == GEMMShape(m: 9, k: 27, n: 4))
        #expect(
            plan.tiling
                == GEMMTiling(mTile: 9, kTile: 27, nTile: 4, order: .weightsOuter, mTiles: 1, kTiles: 1, nTiles: 1))
        #expect(plan.chosenEstimate.totalBytes == 199)

        #expect(layer.transfers.map(\.dramAddress) == [256, 0, 128, 320])
        #expect(layer.transfers.map(\.bytes) == [16, 75, 108, 36])

        let tile = try #require(layer.tiles.first)
        let folds = tile.folds
        #expect(folds.count == expected.foldCount)
        #expect(tile.foldCount == expected.foldCount)
        #expect(
            folds.first?.m == expected.firstFold.m && folds.first?.k == expected.firstFold.k
                && folds.first?.n == expected.firstFold.n)
        #expect(
            folds.last?.m == expected.lastFold.m && folds.last?.k == expected.lastFold.k
                && folds.last?.n == expected.lastFold.n)
        #expect(folds.reduce(0) { $0 + (plan.cycles(of: $1)?.total ?? 0) } == expected.arrayCycles)

        let compute = try #require(layer.computeSteps.first)
        #expect(compute.arrayCycles == expected.arrayCycles)
        #expect(compute.requantizerCycles == 9)

        let traffic = layer.traffic
        #expect(traffic.dramReadBytes == 199 && traffic.dramWriteBytes == 36)
        #expect(traffic.input == BufferTraffic(reads: expected.inputReads, writes: 75))
        #expect(traffic.weight == BufferTraffic(reads: expected.weightReads, writes: 108))
        #expect(traffic.output == BufferTraffic(reads: expected.outputTraffic, writes: expected.outputTraffic))
        #expect(traffic.macs == 9 * 27 * 4)
    }

    /// Output rows 0, 1, 2 read input rows −1…1, 1…3, 3…5, clipped to the 5-row image.
    @Test func haloRowsAreClippedToTheImage() {
        guard case .conv2D(let g) = try? GEMMLowering.lower(Self.graph().nodes[0], in: Self.graph())?.source else {
            Issue.record("not a conv")
            return
        }
        #expect(g.inputRows(forOutputRows: 0..<1) == 0..<2)
        #expect(g.inputRows(forOutputRows: 1..<2) == 1..<4)
        #expect(g.inputRows(forOutputRows: 2..<3) == 3..<5)
        #expect(g.inputRows(forOutputRows: 0..<3) == 0..<5)
        #expect(g.maxInputRows(rowsPerTile: 1) == 3)
        // 2 + 3 + 2 rows with one output row per tile; the halo row 3 is read twice.
        #expect(g.totalInputRows(rowsPerTile: 1) == 7)
        // Two output rows per tile: rows 0..<2 read 0..<4, row 2 reads 3..<5.
        #expect(g.totalInputRows(rowsPerTile: 2) == 4 + 2)
    }

    /// With one output row per tile, each input load covers exactly its clipped halo rows
    /// (5 · 3 = 15 bytes per row): rows 0..<2 at 0 (30 B), 1..<4 at 15 (45 B), 3..<5 at 45 (30 B).
    @Test func rowTilesLoadTheirHaloRows() throws {
        let graph = Self.graph()
        let lowering = try #require(try GEMMLowering.lower(graph.nodes[0], in: graph))
        let tiling = GEMMTiling(mTile: 3, kTile: 27, nTile: 4, order: .weightsOuter, mTiles: 3, kTiles: 1, nTiles: 1)
        let builder = GEMMItemBuilder(
            lowering: lowering, tiling: tiling, layout: FoldLayout(dataflow: .weightStationary, rows: 4, cols: 4),
            memory: DRAMMemoryMap(graph: graph), requantizerLanes: 4, foldCycles: { _ in .zero })
        let items = builder.build().items
        let inputs = items.flatMap(\.loads).filter { $0.buffer == .input }
        #expect(inputs.map(\.dramAddress) == [0, 15, 45])
        #expect(inputs.map(\.pattern.bytes) == [30, 45, 30])
        // The weight tile is loaded once (one n-tile, one k-chunk); outputs are stored per tile of
        // 3 pixels × 4 channels at 320, 332, 344.
        #expect(items.flatMap(\.loads).filter { $0.buffer == .weight }.count == 1)
        #expect(items.flatMap(\.stores).map(\.dramAddress) == [320, 332, 344])
        let search = TilingSearch(
            lowering: lowering, layout: FoldLayout(dataflow: .weightStationary, rows: 4, cols: 4),
            input: BufferSpace(kind: .input, config: HardwareConfig.standard.sram.input),
            weight: BufferSpace(kind: .weight, config: HardwareConfig.standard.sram.weight),
            output: BufferSpace(kind: .output, config: HardwareConfig.standard.sram.output))
        #expect(search.estimate(.weightsOuter, m: 3, kUnits: 3, n: 4).inputBytes == 105)
    }
}
