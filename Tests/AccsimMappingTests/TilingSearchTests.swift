import AccsimArithmetic
import AccsimHardware
import AccsimModel
import AccsimTiming
import Testing

@testable import AccsimMapping

@Suite struct TilingSearchTests {
    @Test func candidatesHalveDownToTheArrayDimension() {
        #expect(tileCandidates(extent: 6, unit: 4) == [6, 4, 1])
        #expect(tileCandidates(extent: 6, unit: 1) == [6, 3, 2, 1])
        #expect(tileCandidates(extent: 100, unit: 8) == [100, 56, 32, 16, 8, 1])
        #expect(tileCandidates(extent: 1024, unit: 8) == [1024, 512, 256, 128, 64, 32, 16, 8, 1])
        #expect(tileCandidates(extent: 5, unit: 8) == [5, 1])
        #expect(tileCandidates(extent: 1, unit: 4) == [1])
    }

    /// FC D = 1024 → O = 16 on the default 8×8 WS array; input buffer 1 KiB double-buffered (512 B
    /// per half), weight buffer 4 KiB double-buffered (2048 per half).
    ///
    /// The input half caps kT at 512 < 1024, so k must be chunked. With M = 1 the weights are
    /// always read once (one m-tile); the input is read once only if it survives the n loop, i.e.
    /// nT = 16 (nn = 1), which caps kT at 2048 / 16 = 128. Reads: 1024 + 16·1024 + 16·4 = 17,472
    /// under both orders. This test derives the tiling kT = 128 (8 tiles) by hand; the search
    /// (`dram_bytes`) reads the same 17,472 bytes and, on the cycle tie-break, is at least as fast.
    @Test func smallInputBufferForcesReductionChunks() throws {
        let hardware = MappingFixtures.hardware(
            rows: 8, cols: 8, input: (1, true), weight: (4, true), output: (1, true))
        let graph = MappingFixtures.fullyConnectedGraph(depth: 1024, outputs: 16)
        let searched = try #require(try MappingFixtures.schedule(graph, on: hardware).layers.first)
        #expect(searched.traffic.dramReadBytes == 17_472)
        #expect(searched.result(dma: DMACostModel(dram: hardware.dram)).totalCycles <= 6_073)
        let layer = try MappingFixtures.layer(
            graph, on: hardware,
            tiling: MappingFixtures.tiling(1, 128, 16, of: GEMMShape(m: 1, k: 1024, n: 16)))
        let plan = try #require(layer.gemm)
        #expect(
            plan.tiling
                == GEMMTiling(mTile: 1, kTile: 128, nTile: 16, order: .weightsOuter, mTiles: 1, kTiles: 8, nTiles: 1))
        #expect(
            plan.estimate(.weightsOuter)
                == DRAMReadEstimate(order: .weightsOuter, inputBytes: 1024, weightBytes: 16_384, biasBytes: 64))
        #expect(plan.estimate(.inputsOuter)?.totalBytes == 17_472)

        // Eight tiles, k = [128i, 128i + 128); each loads 128 input bytes and a 16 × 128 weight
        // slice (16 rows of 128 B, 1024 apart). DRAM map: x at 0, w at 1024, b at 17,408, y at 17,472.
        let tiles = layer.tiles
        #expect(tiles.map(\.k) == (0..<8).map { 128 * $0..<128 * $0 + 128 })
        let inputs = layer.transfers.filter { $0.buffer == .input }
        #expect(inputs.map(\.dramAddress) == (0..<8).map { 128 * $0 })
        let weights = layer.transfers.filter { $0.buffer == .weight }
        #expect(weights.map(\.dramAddress) == (0..<8).map { 1024 + 128 * $0 })
        #expect(weights.allSatisfy { $0.pattern == DMAPattern(count: 16, chunkBytes: 128, strideBytes: 1024) })
        // Double-buffered: generations alternate halves (0, 512 for the input; 0, 2048 for weights).
        #expect(inputs.map(\.sramAddress) == [0, 512, 0, 512, 0, 512, 0, 512])
        #expect(weights.map(\.half) == [0, 1, 0, 1, 0, 1, 0, 1])
        #expect(layer.transfers.last?.dramAddress == 17_472 && layer.transfers.last?.bytes == 16)

        // Per tile: k = 128 on the 8 rows (16 chunks) × n = 16 on the 8 columns (2 chunks) = 32 folds
        // of (m 1, k 8, n 8): 8 + 1 + 8 + 8 − 2 = 23 cycles → 736 per tile; the last adds
        // ceil(16 / 4) = 4 requantizer cycles.
        #expect(layer.computeSteps.map(\.cycles) == [736, 736, 736, 736, 736, 736, 736, 740])
        // Accumulators: 256 folds write 1·8·4 = 32 B (8,192) and all but the first row chunk of
        // tile 0 (2 folds) read them first (8,128); the requantizer reads 64 and writes 16; the
        // store reads 16.
        let traffic = layer.traffic
        #expect(traffic.output == BufferTraffic(reads: 8_128 + 64 + 16, writes: 8_192 + 16))
        #expect(traffic.dramPartialSumWriteBytes == 0)

        // Timeline: bias 64 B (10 + 4 = 14), input 128 B (10 + 8 = 18), weight 2048 B (10 + 128 =
        // 138) → first compute at 170. Each later tile's loads (156 cycles) start when the tile two
        // back has finished (double-buffered) and hide under the 736-cycle computes: no stalls.
        // Store 16 B: 11 cycles. Total 170 + 5,892 + 11.
        let result = layer.result(dma: DMACostModel(dram: hardware.dram))
        #expect(result.prologueCycles == 170)
        #expect(result.computeCycles == 5_892)
        #expect(result.stalls == .zero)
        #expect(result.epilogueCycles == 11)
        #expect(result.totalCycles == 6_073)
    }

    /// A 3×3 conv (pad 1, stride 2) over 5×40×3 with 4 filters on a 4×4 WS array: OH = 3,
    /// OW = 20, M = 60, K = 27, N = 4. Input buffer 1 KiB double (512 per half), output 2 KiB
    /// double (1024 per half).
    ///
    /// All three output rows need input rows 0..<5: 5·40 = 200 B per channel, so at most 2
    /// channels fit; two output rows need rows 0..<4 and 3..<5 (720 B of halo-duplicated input over
    /// all channels, worse than 600). This test takes mT = 60, kT = 2 channels · 9 = 18, nT = 4, two
    /// k-chunks, reading 600 + 108 + 16 = 724 under both orders.
    /// DRAM map: x (600 B) at 0, w (108 B) at 640, b at 768, y (240 B) at 832.
    @Test func channelChunksAreStridedTransfers() throws {
        let hardware = MappingFixtures.hardware(input: (1, true), weight: (1, true), output: (2, true))
        let graph = MappingFixtures.convGraph(
            height: 5, width: 40, channels: 3, filters: 4, kernel: Size2D(3),
            stride: Size2D(2), padding: Padding2D(top: 1, bottom: 1, left: 1, right: 1))
        let layer = try MappingFixtures.layer(
            graph, on: hardware,
            tiling: MappingFixtures.tiling(60, 18, 4, of: GEMMShape(m: 60, k: 27, n: 4)))
        let plan = try #require(layer.gemm)
        #expect(
            plan.tiling
                == GEMMTiling(mTile: 60, kTile: 18, nTile: 4, order: .weightsOuter, mTiles: 1, kTiles: 2, nTiles: 1))
        #expect(plan.estimates.map(\.totalBytes) == [724, 724])
        #expect(layer.tiles.map(\.k) == [0..<18, 18..<27])

        // Input chunk 0: channels 0–1 of 200 pixels (2 of every 3 bytes); chunk 1: channel 2.
        let inputs = layer.transfers.filter { $0.buffer == .input }
        #expect(inputs.map(\.dramAddress) == [0, 2])
        #expect(
            inputs.map(\.pattern) == [
                DMAPattern(count: 200, chunkBytes: 2, strideBytes: 3),
                DMAPattern(count: 200, chunkBytes: 1, strideBytes: 3),
            ])
        #expect(inputs.map(\.sramAddress) == [0, 512])
        // Weights: 4 filters × 9 taps, the chunk's channels out of 3.
        let weights = layer.transfers.filter { $0.buffer == .weight }
        #expect(weights.map(\.dramAddress) == [640, 642])
        #expect(
            weights.map(\.pattern) == [
                DMAPattern(count: 36, chunkBytes: 2, strideBytes: 3),
                DMAPattern(count: 36, chunkBytes: 1, strideBytes: 3),
            ])
        // One store of the whole output after the second chunk.
        let stores = layer.transfers.filter { $0.direction == .store }
        #expect(stores.map(\.dramAddress) == [832] && stores.map(\.bytes) == [240])

        // WS folds: chunk 0 k = [0,4) … [16,18) (5 folds), chunk 1 [18,22), [22,26), [26,27).
        // (m 60, k 4, n 4) = 4+60+4+2 = 70, k 2 → 68, k 1 → 67: 4·70 + 68 = 348, 2·70 + 67 = 207,
        // plus ceil(240 / 4) = 60 requantizer cycles on the last chunk.
        #expect(layer.tiles.map { $0.folds.count } == [5, 3])
        #expect(layer.computeSteps.map(\.arrayCycles) == [348, 207])
        #expect(layer.computeSteps.map(\.requantizerCycles) == [0, 60])
        // Accumulators: 8 folds × 60·4·4 = 960 B written, all but the very first read back.
        let traffic = layer.traffic
        #expect(traffic.output == BufferTraffic(reads: 7 * 960 + 960 + 240, writes: 8 * 960 + 240))
        #expect(traffic.input == BufferTraffic(reads: 60 * 27, writes: 600))
        #expect(traffic.weight == BufferTraffic(reads: 27 * 4, writes: 108))
    }

    /// The same layer under two buffer configs flips the loop order: a 3×3 conv (pad 1) over
    /// 32×48×1 with 128 filters on the default 8×8 WS array. K = 9 (one input channel: no
    /// k-chunking), weights 9·128 = 1,152 B, bias 512 B. With one k-chunk,
    /// weights-outer reads the weights once and the inputs once per n-tile (when there are
    /// several m-tiles); inputs-outer reads the inputs once and the weights once per m-tile (when
    /// there are several n-tiles).
    static func flipGraph() -> Graph {
        MappingFixtures.convGraph(
            height: 32, width: 48, channels: 1, filters: 128, kernel: Size2D(3),
            padding: Padding2D(top: 1, bottom: 1, left: 1, right: 1))
    }

    /// Tiny weight buffer (1 KiB, 512 per half), objective `dram_bytes`: nT ≤ 512 / 9. The input half
    /// (1 KiB) holds the 21 input rows (1,008 B) of 20 output rows (960 pixels), not all 32 rows
    /// (1,536 B): two m-tiles, rows 0..<21 and 19..<32 = 34 rows = 1,632 B. With several n-tiles,
    /// weights-outer reads the inputs once per n-tile, inputs-outer the weights once per m-tile:
    /// inputs-outer 1,632 + 2 · 1,152 = 3,936 is the least any tiling reads. Among the tilings that
    /// tie on it, the fewest cycles win: nT = 8 (one column fold per tile) with mT = 960.
    @Test func tinyWeightBufferPicksInputsOuter() throws {
        let hardware = MappingFixtures.hardware(
            rows: 8, cols: 8, input: (2, true), weight: (1, true), output: (256, true))
        let layer = try #require(try MappingFixtures.schedule(Self.flipGraph(), on: hardware).layers.first)
        let plan = try #require(layer.gemm)
        #expect(
            plan.tiling
                == GEMMTiling(mTile: 960, kTile: 9, nTile: 8, order: .inputsOuter, mTiles: 2, kTiles: 1, nTiles: 16))
        #expect(
            plan.estimate(.weightsOuter)
                == DRAMReadEstimate(order: .weightsOuter, inputBytes: 16 * 1_632, weightBytes: 1_152, biasBytes: 512))
        #expect(
            plan.estimate(.inputsOuter)
                == DRAMReadEstimate(order: .inputsOuter, inputBytes: 1_632, weightBytes: 2_304, biasBytes: 512))
        #expect(layer.loadedBytes(.input) == 1_632)
        #expect(layer.loadedBytes(.weight) == 2_304)
        // inputs-outer: m-tile 0 with n-tiles 0…3, then m-tile 1.
        #expect(layer.tiles.map(\.mIndex) == [Int](repeating: 0, count: 16) + [Int](repeating: 1, count: 16))
        #expect(layer.tiles.map(\.nIndex) == Array(0..<16) + Array(0..<16))
    }

    /// Tiny input buffer (1 KiB, 512 per half): at most 10 input rows (480 B) → 8 output rows per
    /// tile (nm = 4), reading 9 + 10 + 10 + 9 = 38 rows = 1,824 B. The weight half (1 KiB) holds
    /// 113 filters and the accumulators 85 beside 8 output rows; rounded down to the 8 columns,
    /// nT = 80 (tiles 80 and 48: 10 + 6 n-folds, as many as 2 × 64), nn = 2.
    /// weights-outer: 2 · 1,824 + 1,152 = 4,800; inputs-outer: 1,824 + 4 · 1,152 = 6,432 → weights-outer.
    @Test func tinyInputBufferPicksWeightsOuter() throws {
        let hardware = MappingFixtures.hardware(
            rows: 8, cols: 8, input: (1, true), weight: (2, true), output: (256, true))
        let layer = try #require(try MappingFixtures.schedule(Self.flipGraph(), on: hardware).layers.first)
        let plan = try #require(layer.gemm)
        #expect(
            plan.tiling
                == GEMMTiling(mTile: 384, kTile: 9, nTile: 80, order: .weightsOuter, mTiles: 4, kTiles: 1, nTiles: 2))
        #expect(
            plan.estimate(.weightsOuter)
                == DRAMReadEstimate(order: .weightsOuter, inputBytes: 3_648, weightBytes: 1_152, biasBytes: 512))
        #expect(
            plan.estimate(.inputsOuter)
                == DRAMReadEstimate(order: .inputsOuter, inputBytes: 1_824, weightBytes: 4_608, biasBytes: 512))
        #expect(layer.loadedBytes(.input) == 3_648)
        #expect(layer.loadedBytes(.weight) == 1_152)
        #expect(layer.tiles.map(\.nIndex) == [0, 0, 0, 0, 1, 1, 1, 1])
    }
}
