import AccsimArithmetic
import AccsimExecution
import AccsimHardware
import AccsimJSON
import AccsimMapping
import AccsimModel
import AccsimSweep
import Testing

@Suite("Sweep runner: determinism, shards, invalid points, data reuse")
struct SweepRunnerTests {
    static let vary = [
        "array.rows=4,8,16", "array.dataflow=weight_stationary,output_stationary", "sram.weight.kib=8:32:*2",
    ]

    @Test func rowsAreIdenticalWithOneOrTwoJobs() throws {
        let plan = try SweepFixtures.plan(Self.vary)
        let one = try SweepFixtures.run(plan, jobs: 1)
        let two = try SweepFixtures.run(plan, jobs: 2)
        #expect(one.lines.count == 18)
        #expect(one.lines == two.lines)
        let indices = one.lines.map { try? JSONParser().parse($0)["index"]?.intValue }
        #expect(indices == (0..<18).map { Int64($0) })
    }

    @Test func anyShardSplitGivesTheSameRows() throws {
        let plan = try SweepFixtures.plan(Self.vary, samples: 8)
        let whole = try SweepFixtures.run(plan, jobs: 2).lines
        for count in [2, 3, 5] {
            var files: [(name: String, file: SweepResultsFile)] = []
            var total = 0
            for index in 1...count {
                let shard = try SweepShard(index: index, count: count)
                let lines = try SweepFixtures.run(plan, jobs: index % 2 + 1, shard: shard).lines
                total += lines.count
                let bytes = Array(lines.map { $0 + "\n" }.joined().utf8)
                files.append(
                    ("shard\(index)", try SweepResultsFile.parse(bytes, format: .jsonl, name: "shard\(index)")))
            }
            #expect(total == whole.count)
            let merged = try SweepMerge.merge(files)
            #expect(merged.duplicates == 0)
            #expect(merged.records.map(\.line) == whole, "\(count) shards")
        }
    }

    @Test func invalidPointsBecomeRows() throws {
        let plan = try SweepFixtures.plan(["array.rows=0,8", "array.input_type=int8,uint8"], samples: nil)
        let (lines, statistics) = try SweepFixtures.run(plan, jobs: 2)
        let rows = try lines.map { try JSONParser().parse($0) }
        #expect(rows.count == 4)
        #expect(statistics.invalid == 3)
        #expect(rows.map { $0["status"]?.stringValue } == ["invalid", "invalid", "ok", "invalid"])
        #expect(rows[0]["error"]?.stringValue?.contains("array.rows") == true)
        #expect(rows[3]["error"]?.stringValue?.contains("array.input_type") == true)
        #expect(rows[3]["cycles"] == nil)
        #expect(rows[2]["cycles"]?.intValue ?? 0 > 0)
        // Invalid configs still get distinct, stable ids.
        #expect(Set(rows.compactMap { $0["id"]?.stringValue }).count == 4)
        #expect(try SweepFixtures.run(plan).lines == lines)
    }

    @Test func impossibleMappingsAreInvalidPoints() throws {
        // The smallest tile of this conv, one output row of one filter from one input channel,
        // needs 3 input rows of 514 bytes: more than half of a 1 KiB double-buffered input buffer.
        var builder = GraphBuilder(name: "wide", seed: 1)
        let x = builder.input("x", shape: [1, 4, 512, 4])
        let y = builder.conv(
            x, name: "conv", filters: 4, kernel: Size2D(3), stride: Size2D(1),
            padding: Padding2D(top: 1, bottom: 1, left: 1, right: 1))
        let graph = builder.build(outputs: [y])
        let model = SweepModel(file: "wide.q", graph: graph)
        let space = try SweepSpace(modelCount: 1, dimensions: [try SweepDimension.parseVary("sram.input.kib=1,64")])
        let plan = SweepPlan(models: [model], base: try SweepFixtures.base(), space: space)
        let rows = try SweepFixtures.run(plan).lines.map { try JSONParser().parse($0) }
        #expect(rows.map { $0["status"]?.stringValue } == ["invalid", "ok"])
        #expect(rows[0]["error"]?.stringValue?.contains("conv") == true, "\(rows[0]["error"]?.stringValue ?? "")")
    }

    @Test func requantizersThatDoNotFitAreInvalidUnlessAdapted() throws {
        let strict = try SweepFixtures.plan(["requantizer.multiplier_bits=32,16"], samples: 8)
        let rows = try SweepFixtures.run(strict).lines.map { try JSONParser().parse($0) }
        #expect(rows.map { $0["status"]?.stringValue } == ["ok", "invalid"])
        #expect(rows[1]["error"]?.stringValue?.contains("--adapt-requant") == true)
        let adapted = try SweepFixtures.plan(["requantizer.multiplier_bits=32,16,8"], samples: 8, adapt: true)
        let (lines, statistics) = try SweepFixtures.run(adapted, jobs: 2)
        let adaptedRows = try lines.map { try JSONParser().parse($0) }
        #expect(adaptedRows.allSatisfy { $0["status"]?.stringValue == "ok" })
        #expect(statistics.dataComputations == 3)
        #expect(Set(adaptedRows.compactMap { $0["data_key"]?.stringValue }).count == 3)
    }

    @Test func outputsAreComputedOncePerArithmeticKey() throws {
        // Timing-only keys share one computation under wrap.
        let wrap = try SweepFixtures.plan(["array.rows=4,8,16", "dram.bandwidth_bytes_per_cycle=4,16"], samples: 8)
        let (lines, statistics) = try SweepFixtures.run(wrap, jobs: 2)
        #expect(statistics.dataComputations == 1)
        let keys = try lines.map { try JSONParser().parse($0)["data_key"]?.stringValue }
        #expect(Set(keys).count == 1)
        // Under saturate the reduction order is part of the key: the rows of a WS array cut k.
        let saturate = try SweepFixtures.plan(["array.rows=4,8", "dram.bandwidth_bytes_per_cycle=4,16"], samples: 8)
        var base = saturate
        base.base.array.overflow = .saturate
        let saturated = try SweepFixtures.run(base, jobs: 2)
        #expect(saturated.statistics.dataComputations == 2)
        let rows = try saturated.lines.map { try JSONParser().parse($0) }
        #expect(rows[0]["data_key"] == rows[1]["data_key"])
        #expect(rows[0]["data_key"] != rows[2]["data_key"])
    }

    @Test func sharedOutputsEqualAFreshComputationAtEveryPoint() throws {
        var plan = try SweepFixtures.plan(
            ["array.overflow=wrap,saturate", "array.rows=4,16", "requantizer.multiplier_bits=32,16"], samples: 12,
            adapt: true)
        plan.base.array.dataflow = .weightStationary
        let rows = try SweepFixtures.run(plan, jobs: 2).lines.map { try JSONParser().parse($0) }
        let model = plan.models[0]
        for (index, row) in rows.enumerated() {
            let point = plan.space.point(at: index)
            let config = try HardwareConfigLoader.apply(overrides: point.overrides, to: plan.base)
            let fitting = RequantizerFitting(capability: config.requantizer)
            let graph = fitting.adapt(model.graph).graph
            let simulation = try HardwareSimulation(graph: graph, hardware: config)
            let outputs = try simulation.run(batches: model.data!.batches, tiled: .always)
            let crc = TensorChecksum.crc32Hex(outputs[graph.outputs[0]]!)
            #expect(row["output_crc32"]?.stringValue == crc, "point \(index): \(point.overrides)")
            #expect(row["config_hash"]?.stringValue == config.hash)
        }
    }

    @Test func timingAndInvalidPointsMatchHardwareSimulation() throws {
        let plan = try SweepFixtures.plan(
            [
                "array.input_type=int8,uint8", "array.dataflow=weight_stationary,output_stationary,input_stationary",
                "sram.input.kib=1,8", "convention=native,scale_sim",
            ],
            samples: nil)
        let rows = try SweepFixtures.run(plan, jobs: 2).lines.map { try JSONParser().parse($0) }
        #expect(rows.count == 24)
        for (index, row) in rows.enumerated() {
            let config = try HardwareConfigLoader.apply(overrides: plan.space.point(at: index).overrides, to: plan.base)
            do {
                let simulation = try HardwareSimulation(graph: plan.models[0].graph, hardware: config)
                let total = LayerPerformance.total(simulation.performance, hardware: config)
                let expected = SweepRow.Metrics(total: total, hardware: config)
                #expect(row["status"]?.stringValue == "ok")
                #expect(row["cycles"]?.intValue == Int64(expected.cycles))
                #expect(row["stall_cycles"]?.intValue == Int64(expected.stallCycles))
                #expect(row["dram_bytes"]?.intValue == Int64(expected.dramReadBytes + expected.dramWriteBytes))
                #expect(row["energy_pj"]?.doubleValue == expected.energyPicojoules)
                #expect(row["utilization"]?.doubleValue == expected.utilization)
            } catch {
                #expect(row["status"]?.stringValue == "invalid")
                #expect(row["error"]?.stringValue == error.description)
            }
        }
        #expect(rows.contains { $0["status"]?.stringValue == "invalid" })
    }

    @Test func idsDependOnModelContentAndResolvedConfig() throws {
        let plan = try SweepFixtures.plan(["array.rows=8,16"], samples: nil)
        let rows = try SweepFixtures.run(plan).lines.map { try JSONParser().parse($0) }
        let config = try HardwareConfigLoader.apply(overrides: ["array.rows=16"], to: plan.base)
        #expect(
            rows[1]["id"]?.stringValue
                == SweepHash.pointID(modelHash: plan.models[0].contentHash, configHash: config.hash))
        // A point equal to the base config has the base config's hash.
        #expect(rows[0]["config_hash"]?.stringValue == plan.base.hash)
    }
}

@Suite("Sweep runner: a bounded reorder buffer")
struct SweepRunnerWindowTests {
    /// More points than the reorder window of three workers (3 × 64): rows in grid order, equal to
    /// one worker's, and a start slot skips exactly the points before it.
    @Test func manyMorePointsThanTheWindow() throws {
        let plan = try SweepFixtures.plan(
            ["array.rows=1:25:+1", "array.cols=4,8,16,32,64,128,256,512,1024,2048"], samples: nil)
        #expect(plan.space.pointCount == 250)
        let one = try SweepFixtures.run(plan, jobs: 1)
        let three = try SweepFixtures.run(plan, jobs: 3)
        #expect(one.lines == three.lines)
        #expect(one.lines.count == 250)
        let collector = LineCollector()
        let statistics = try SweepRunner(plan: plan, jobs: 3).run(startSlot: 200) { row in
            collector.append(String(decoding: row.jsonLine().dropLast(), as: UTF8.self))
        }
        #expect(collector.lines == Array(one.lines[200...]))
        #expect(statistics.skipped == 200 && statistics.evaluated == 50)
    }
}
