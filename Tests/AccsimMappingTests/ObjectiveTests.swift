import AccsimArithmetic
import AccsimHardware
import AccsimModel
import AccsimTestSupport
import AccsimTiming
import Testing

@testable import AccsimMapping

/// The mapper minimises `mapping.objective` on the built schedule: hand-derived choices, and an
/// exhaustive check that the bounded search never misses the best candidate of its space.
@Suite struct ObjectiveTests {
    /// The 4×6×5 GEMM of SmallGEMMTests on the 4×4 WS array (1 KiB buffers, DRAM 16 B/cycle,
    /// latency 10, 16-byte bursts). One tile (99 cycles: bias, input, weights [0,36), compute 51,
    /// store 12) loses to two k-chunks of 4 and 2 channels, whose second loads hide under the
    /// first compute:
    ///
    /// - DMA: bias 20 B → 12 [0,12); input chunk 0 (2·2·4 = 16 B) → 11 [12,23); weights 0
    ///   (4·5 = 20 B) → 12 [23,35); input chunk 1 (8 B) → 11 [35,46); weights 1 (10 B) → 11 [46,57).
    /// - compute 0 [35,60): folds (m 4, k 4, n 4) 4+4+4+2 = 14 and (4, 4, 1) 11 = 25;
    ///   compute 1 waits for its loads (57) and the array (60): [60,86): folds (4,2,4) 12 and
    ///   (4,2,1) 9, + ceil(20/4) = 5 requantizer cycles.
    /// - store 20 B → 12 [86,98). Total 98 < 99; DRAM bytes are equal (each operand read once).
    @Test func latencyPrefersTheSplitWhoseLoadsHide() throws {
        let hardware = MappingFixtures.hardware(objective: .latency)
        let layer = try #require(try MappingFixtures.schedule(SmallGEMMTests.graph(), on: hardware).layers.first)
        let plan = try #require(layer.gemm)
        #expect(plan.tiling == MappingFixtures.tiling(4, 4, 5, of: GEMMShape(m: 4, k: 6, n: 5)))
        let result = layer.result(dma: DMACostModel(dram: hardware.dram))
        #expect(result.timeline.steps.map(\.start) == [0, 12, 23, 35, 46, 35, 60, 86])
        #expect(result.totalCycles == 98)
        #expect(plan.score == MappingScore(cycles: 98, dramBytes: 94, energyPicojoules: 0))
        let whole = try MappingFixtures.layer(
            SmallGEMMTests.graph(), on: hardware,
            tiling: MappingFixtures.tiling(4, 6, 5, of: GEMMShape(m: 4, k: 6, n: 5)))
        #expect(whole.result(dma: DMACostModel(dram: hardware.dram)).totalCycles == 99)
    }

    /// A strided 1×1 conv (ResNet's downsample shape, scaled down): 28×28×8 → 14×14×16, stride 2, on
    /// a 4×4 WS array. M = 196 pixels, K = 8, N = 16.
    ///
    /// - With room for everything (and DRAM that costs nothing) it is one M tile of all 196 pixels,
    ///   8 folds of 4 + 196 + 4 + 2 cycles, not one output row at a time (14 tiles of 8 folds each).
    /// - With a 1 KiB single-buffered accumulator buffer (256 int32) and nT = 4, a tile holds at most
    ///   64 pixels. The space has pixel ranges that end inside an output row (64 = 4 rows + 8); the
    ///   objective picks 56 pixels (4 whole rows), which reads each input row once (the 64-pixel
    ///   tiles re-read the rows they share), inputs-outer so the inputs are read once.
    @Test func strided1x1ConvTilesPixelRanges() throws {
        let graph = MappingFixtures.convGraph(
            height: 28, width: 28, channels: 8, filters: 16, kernel: Size2D(1),
            stride: Size2D(2))
        var roomy = MappingFixtures.hardware(
            input: (64, true), weight: (64, true), output: (64, true), objective: .latency)
        roomy.dram.bandwidthBytesPerCycle = 1 << 16
        roomy.dram.latencyCycles = 0
        let one = try #require(try MappingFixtures.schedule(graph, on: roomy).layers.first?.gemm)
        #expect(one.tiling.mTile == 196 && one.tiling.mTiles == 1)

        var tight = MappingFixtures.hardware(
            input: (64, true), weight: (64, true), output: (1, false), objective: .latency)
        tight.sram.output.banks = 1
        let mapper = Mapper(hardware: tight)
        let layer = try #require(try mapper.schedule(graph).layers.first)
        let plan = try #require(layer.gemm)
        #expect(plan.tiling == MappingFixtures.tiling(56, 8, 4, of: GEMMShape(m: 196, k: 8, n: 16), .inputsOuter))
        #expect(layer.tiles.map(\.m).prefix(5) == [0..<56, 0..<56, 0..<56, 0..<56, 56..<112])
        let lowering = try #require(try GEMMLowering.lower(graph.nodes[0], in: graph))
        let search = mapper.gemmSearch(lowering, layout: plan.layout, spaces: BufferSpace.all(of: tight))
        let pixelCounts = Set(search.candidates().map(\.tiling.mTile))
        #expect(pixelCounts.contains(64) && pixelCounts.contains(49) && pixelCounts.contains(196))
        // Every pixel of every filter is computed exactly once.
        #expect(layer.tiles.reduce(0) { $0 + $1.m.count * $1.n.count * $1.k.count } == 196 * 8 * 16)
    }

    /// Every candidate of the space, built and timed, for random small layers and buffers under
    /// every objective: the search's choice has the least objective value, and it is the first
    /// under the documented tie-breaks.
    @Test func boundedSearchFindsTheBestOfTheWholeSpace() throws {
        var random = SeededGenerator(seed: 0x5eed_0b1e)
        var checked = 0
        for trial in 0..<36 {
            let kernel = [1, 3][random.next(2)]
            let stride = [1, 2][random.next(2)]
            let height = kernel + random.next(9)
            let width = kernel + random.next(9)
            let channels = 1 + random.next(12)
            let filters = 1 + random.next(12)
            let pad = kernel == 3 && random.next(2) == 1 ? 1 : 0
            let graph =
                random.next(5) == 0
                ? MappingFixtures.fullyConnectedGraph(depth: 1 + random.next(200), outputs: 1 + random.next(24))
                : MappingFixtures.convGraph(
                    height: height, width: width, channels: channels, filters: filters,
                    kernel: Size2D(kernel), stride: Size2D(stride),
                    padding: Padding2D(top: pad, bottom: pad, left: pad, right: pad))
            try graph.validate()
            let dataflow = Dataflow.allCases[random.next(3)]
            var hardware = MappingFixtures.hardware(
                rows: [2, 4, 8][random.next(3)], cols: [2, 4, 8][random.next(3)], dataflow: dataflow,
                input: (1 + random.next(2), random.next(3) != 0), weight: (1 + random.next(2), random.next(3) != 0),
                output: (1 + random.next(2), random.next(3) != 0), requantizerLanes: [1, 4][random.next(2)],
                objective: MappingObjective.allCases[trial % 4])
            hardware.convention = random.next(4) == 0 ? .scaleSim : .native
            hardware.energy.macPJ = 0.25
            hardware.energy.sramReadPJPerByte = 1
            hardware.energy.sramWritePJPerByte = 1.5
            hardware.energy.dramPJPerByte = 20
            hardware.dram.latencyCycles = random.next(40)
            let mapper = Mapper(hardware: hardware)
            let chosen: LayerSchedule
            do {
                chosen = try mapper.schedule(graph).layers[0]
            } catch {
                continue  // nothing fits these buffers
            }
            let plan = try #require(chosen.gemm)
            let lowering = try #require(try GEMMLowering.lower(graph.nodes[0], in: graph))
            let spaces = BufferSpace.all(of: hardware)
            let search = mapper.gemmSearch(lowering, layout: plan.layout, spaces: spaces)
            var bestKey: [Double]?
            var bestTiling: GEMMTiling?
            for candidate in search.candidates() {
                let layer = try #require(try mapper.schedule(nodeAt: 0, in: graph, tiling: candidate.tiling))
                let score = try #require(layer.gemm).score
                // The scorer the search uses equals the built layer's score, exactly.
                #expect(search.scorer.score(candidate.tiling) == score, "trial \(trial) \(candidate.tiling)")
                // The bounds are bounds.
                #expect(candidate.bound.cycles <= score.cycles, "trial \(trial) \(candidate.tiling)")
                #expect(candidate.bound.dramBytes == score.dramBytes, "trial \(trial) \(candidate.tiling)")
                #expect(candidate.bound.energyPicojoules <= score.energyPicojoules + 1e-6, "trial \(trial)")
                let key = search.key(score, candidate.tiling)
                if bestKey == nil || key.lexicographicallyPrecedes(bestKey!) {
                    bestKey = key
                    bestTiling = candidate.tiling
                }
            }
            #expect(plan.tiling == bestTiling, "trial \(trial): \(hardware.mapping.objective) \(dataflow)")
            #expect(search.key(plan.score, plan.tiling) == bestKey, "trial \(trial)")
            checked += 1
        }
        #expect(checked >= 30)
    }
}
