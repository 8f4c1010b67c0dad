import AccsimArithmetic
import AccsimHardware
import AccsimModel
import AccsimTestSupport
import AccsimTiming
import Testing

@testable import AccsimMapping

/// Properties every schedule must have, checked on the repository's example models under a grid
/// of hardware configs, and the DRAM estimate checked against the loads the builder emits.
@Suite struct ScheduleInvariantTests {
    static let root: String = Repository.root.path

    struct Config: Sendable, CustomStringConvertible {
        var dataflow: Dataflow
        var size: Int
        var kib: Int
        var double: Bool
        var convention: TimingConvention
        var description: String {
            "\(size)x\(size) \(dataflow.rawValue) \(kib) KiB \(double ? "double" : "single") \(convention.rawValue)"
        }

        var hardware: HardwareConfig {
            var h = MappingFixtures.hardware(
                rows: size, cols: size, dataflow: dataflow, input: (kib, double),
                weight: (kib, double), output: (kib, !double), requantizerLanes: 8)
            h.convention = convention
            return h
        }
    }

    static let configs: [Config] = Dataflow.allCases.flatMap { dataflow in
        [
            Config(dataflow: dataflow, size: 4, kib: 1, double: true, convention: .native),
            Config(dataflow: dataflow, size: 8, kib: 2, double: false, convention: .native),
            Config(dataflow: dataflow, size: 16, kib: 64, double: true, convention: .scaleSim),
        ]
    }

    @Test(arguments: configs)
    func exampleModelsMapConsistently(_ config: Config) throws {
        for model in ["every_op.q", "digits.q"] {
            let graph = try QModelReader.read(path: Self.root + "/Models/" + model)
            try graph.validate()
            let hardware = config.hardware
            let schedule = try Mapper(hardware: hardware).schedule(graph)
            #expect(schedule.layers.count == graph.nodes.count)
            #expect(schedule.layers.contains { $0.gemm != nil } && schedule.layers.contains { $0.vector != nil })
            var expectedSequence = 0
            for (layer, result) in zip(schedule.layers, schedule.results()) {
                #expect(layer.steps.first.map(\.sequence) ?? expectedSequence == expectedSequence)
                expectedSequence += layer.steps.count
                try Self.check(layer, result, in: graph, schedule: schedule)
            }
        }
    }

    static func check(_ layer: LayerSchedule, _ result: LayerResult, in graph: Graph, schedule: Schedule) throws {
        let context = Comment(rawValue: "layer \(layer.name)")
        // The cycle identities.
        #expect(
            result.totalCycles == result.prologueCycles + result.computeCycles + result.stalls.total
                + result.epilogueCycles, context)
        #expect(result.computeCycles == result.arrayCycles + result.requantizerCycles + result.vectorCycles, context)
        if !layer.steps.isEmpty {
            #expect(result.totalCycles == result.timeline.steps.map(\.end).max(), context)
        }
        // Dependencies name earlier steps of the right kind.
        for (index, step) in layer.steps.enumerated() {
            #expect(step.sequence == (layer.steps.first?.sequence ?? 0) + index, context)
            if let transfer = step.transfer {
                if let after = transfer.after {
                    let target = try #require(layer.stepIndex(ofSequence: after))
                    #expect(target < index && layer.steps[target].compute != nil, context)
                }
                // Inside its half of its buffer.
                let config: BufferConfig? =
                    switch transfer.buffer {
                    case .input: schedule.hardware.sram.input
                    case .weight: schedule.hardware.sram.weight
                    case .output: schedule.hardware.sram.output
                    case .parameters: nil
                    }
                if let config {
                    let half = config.doubleBuffered ? config.bytes / 2 : config.bytes
                    #expect(transfer.sramAddress >= transfer.half * half, context)
                    #expect(transfer.sramAddress + transfer.bytes <= (transfer.half + 1) * half, context)
                    #expect(transfer.bank == transfer.sramAddress / config.bankBytesPerCycle % config.banks, context)
                }
                #expect(transfer.bytes > 0, context)
            }
            if let compute = step.compute {
                for wait in compute.waitsFor {
                    let target = try #require(layer.stepIndex(ofSequence: wait))
                    #expect(target < index && layer.steps[target].transfer != nil, context)
                }
            }
        }
        let output = try #require(graph.tensor(named: graph.nodes[layer.nodeIndex].outputs[0]))
        let outputBytes = VectorPlanner.perSample(output) * output.elementType.byteWidth
        switch layer.work {
        case .idle:
            #expect(layer.steps.isEmpty, context)
        case .vector:
            #expect(result.traffic.dramWriteBytes == outputBytes, context)
        case .gemm(let plan):
            // Every output byte stored exactly once; every MAC computed once; loads as estimated.
            #expect(result.traffic.dramOutputWriteBytes == outputBytes, context)
            #expect(result.traffic.macs == plan.lowering.macs, context)
            #expect(layer.tiles.reduce(0) { $0 + $1.m.count * $1.k.count * $1.n.count } == plan.lowering.macs, context)
            #expect(result.traffic.dramInputReadBytes == plan.chosenEstimate.inputBytes, context)
            #expect(result.traffic.dramWeightReadBytes == plan.chosenEstimate.weightBytes, context)
            #expect(result.traffic.dramBiasReadBytes == plan.chosenEstimate.biasBytes, context)
            #expect(
                result.traffic.requantizerOps == plan.lowering.groups * plan.lowering.shape.m * plan.lowering.shape.n,
                context)
            for tile in layer.tiles {
                let folds = tile.folds
                #expect(folds.count == tile.foldCount, context)
                #expect(
                    folds.reduce(0) { $0 + $1.m.count * $1.k.count * $1.n.count } == tile.m.count * tile.k.count
                        * tile.n.count, context)
                #expect(
                    folds.allSatisfy {
                        tile.m.contains($0.m.lowerBound) && tile.k.contains($0.k.lowerBound)
                            && tile.n.contains($0.n.lowerBound)
                    }, context)
            }
            if schedule.hardware.convention == .scaleSim {
                // SCALE-Sim's compute cycles, whatever the tiling: every fold once, its stream whole, minus
                // the one cycle SCALE-Sim 3.0.0 leaves off per layer (per depthwise channel).
                let model = ArrayTimingModel(config: schedule.hardware)
                let expected = plan.lowering.groups * (model.scaleSimLayerCycles(plan.lowering.shape).total - 1)
                #expect(result.arrayCycles == expected, context)
            } else {
                for tile in layer.tiles { #expect(tile.folds.allSatisfy { plan.cycles(of: $0) != nil }, context) }
                let arrayCycles = layer.tiles.reduce(0) { sum, tile in
                    sum + tile.folds.reduce(0) { $0 + (plan.cycles(of: $1)?.total ?? 0) }
                }
                #expect(arrayCycles == result.arrayCycles, context)
            }
        }
    }

    /// For a grouped, strided conv, every tiling (every pixel count per M tile, so tiles that start
    /// and end inside output rows too), under both orders, loads exactly the bytes
    /// ``TilingSearch/estimate(_:m:kUnits:n:memo:)`` predicts.
    @Test func estimatesEqualTheLoadsOfEveryTiling() throws {
        let graph = MappingFixtures.convGraph(
            height: 9, width: 7, channels: 6, filters: 10, kernel: Size2D(3),
            stride: Size2D(2), padding: Padding2D(top: 1, bottom: 0, left: 1, right: 1), groups: 2)
        try graph.validate()
        let lowering = try #require(try GEMMLowering.lower(graph.nodes[0], in: graph))
        let layout = FoldLayout(dataflow: .weightStationary, rows: 4, cols: 4)
        let spaces = BufferSpace.all(of: HardwareConfig.standard)
        let search = TilingSearch(
            lowering: lowering, layout: layout, input: spaces.input, weight: spaces.weight, output: spaces.output)
        for pixels in 1...lowering.shape.m {
            for channels in tileCandidates(extent: lowering.kUnits, unit: 1) {
                for filters in tileCandidates(extent: lowering.shape.n, unit: 1) {
                    for order in LoopOrder.allCases {
                        let tiling = GEMMTiling(
                            mTile: pixels, kTile: channels * lowering.kUnit, nTile: filters, order: order,
                            mTiles: ceilDiv(lowering.shape.m, pixels), kTiles: ceilDiv(lowering.kUnits, channels),
                            nTiles: ceilDiv(lowering.shape.n, filters))
                        let items = GEMMItemBuilder(
                            lowering: lowering, tiling: tiling, layout: layout, memory: DRAMMemoryMap(graph: graph),
                            requantizerLanes: 8, foldCycles: { _ in .zero }
                        ).build().items
                        let loads = items.flatMap(\.loads)
                        let estimate = search.estimate(order, m: pixels, kUnits: channels, n: filters)
                        let context = Comment(
                            rawValue: "pixels \(pixels) channels \(channels) filters \(filters) \(order)")
                        #expect(
                            loads.filter { $0.buffer == .input }.reduce(0) { $0 + $1.pattern.bytes }
                                == estimate.inputBytes, context)
                        #expect(
                            loads.filter { $0.buffer == .weight }.reduce(0) { $0 + $1.pattern.bytes }
                                == estimate.weightBytes, context)
                        // OH = (9 + 1 − 3) / 2 + 1 = 4, OW = (7 + 2 − 3) / 2 + 1 = 4: 4·4·10 output bytes.
                        let stored: Int = items.flatMap(\.stores).reduce(0) { $0 + $1.pattern.bytes }
                        #expect(stored == 160, context)
                    }
                }
            }
        }
    }
}
