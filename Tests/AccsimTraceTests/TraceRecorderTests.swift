import AccsimArithmetic
import AccsimExecution
import AccsimMapping
import AccsimModel
import AccsimTrace
import AccsimTracing
import Testing

/// The recorder turns a run of the example model into records that agree with the schedule,
/// the timeline and the data path.
@Suite struct TraceRecorderTests {
    /// Layer level: one begin and one end per layer, global cycles = cumulative layer cycles,
    /// output CRCs equal to the reference engine's, counters equal to the layer results.
    @Test func layerRecordsAreCheckpoints() throws {
        let (simulation, batches, _) = try TraceFixtures.digits()
        let (header, records) = try TraceFixtures.records(
            try TraceFixtures.trace(simulation, batches, options: TraceOptions(level: .layer)))
        let layers = simulation.schedule.layers.count
        #expect(records.count == 2 * layers)
        #expect(header.layers.count == layers)
        #expect(header.totalCycles == simulation.results.reduce(0) { $0 + $1.totalCycles })

        // The reference engine's per-layer outputs for sample 0.
        let inputs = try simulation.sample(0, of: batches)
        var expected: [Int: IntTensor] = [:]
        _ = GraphExecutor(graph: simulation.graph).runSample(inputs) { index, tensor in expected[index] = tensor }
        var start = 0
        for layer in 0..<layers {
            guard case .layerBegin(let begin) = records[2 * layer], case .layerEnd(let end) = records[2 * layer + 1]
            else {
                Issue.record("layer \(layer): records out of order")
                continue
            }
            let result = simulation.results[layer]
            #expect(begin.cycle == start && header.layers[layer].startCycle == start)
            #expect(end.cycle == start + result.totalCycles)
            #expect(end.outputCRC == TensorChecksum.crc32(try #require(expected[layer])))
            #expect(end.counters["total_cycles"] == result.totalCycles)
            #expect(end.counters["macs"] == result.traffic.macs)
            #expect(end.counters["dram_read_bytes"] == result.traffic.dramReadBytes)
            #expect((end.accumulatorCRC != nil) == (simulation.schedule.layers[layer].gemm != nil))
            start += result.totalCycles
        }
    }

    /// Tile level: every transfer and compute step of the schedule, in order, with the
    /// timeline's cycles offset by the layer start.
    @Test func tileRecordsFollowTheSchedule() throws {
        let (simulation, batches, _) = try TraceFixtures.digits()
        let (_, records) = try TraceFixtures.records(
            try TraceFixtures.trace(simulation, batches, options: TraceOptions(level: .tile)))
        var index = 0
        var start = 0
        for (position, layer) in simulation.schedule.layers.enumerated() {
            index += 1  // layer-begin
            for (step, timing) in zip(layer.steps, simulation.results[position].timeline.steps) {
                switch (step.action, records[index]) {
                case (.transfer(let transfer), .dma(let r)):
                    #expect(
                        r.sequence == step.sequence && r.bytes == transfer.bytes
                            && r.dramAddress == transfer.dramAddress)
                    #expect(r.cycle == start + timing.start && r.completion == start + timing.end)
                case (.compute(let compute), .compute(let r)):
                    #expect(
                        r.sequence == step.sequence && r.cycle == start + timing.start && r.end == start + timing.end)
                    if case .array(let tile) = r.work { #expect(tile.folds == compute.tile?.foldCount) }
                default:
                    Issue.record("layer \(position) step \(step.sequence): \(records[index].kind) does not match")
                }
                index += 1
            }
            index += 1  // layer-end
            start += simulation.results[position].totalCycles
        }
        #expect(index == records.count)
    }

    /// Requant level: one record per output of every conv/FC layer; each output equals the
    /// reference output, each step is consistent (input = acc + bias, saturate flag), and every
    /// record lies in its compute step's requantizer phase.
    @Test func requantRecordsCoverEveryOutput() throws {
        let (simulation, batches, _) = try TraceFixtures.digits()
        let (_, records) = try TraceFixtures.records(
            try TraceFixtures.trace(simulation, batches, options: TraceOptions(level: .requant)))
        let inputs = try simulation.sample(0, of: batches)
        var expected: [Int: IntTensor] = [:]
        _ = GraphExecutor(graph: simulation.graph).runSample(inputs) { index, tensor in expected[index] = tensor }
        var seen: [Int: Int] = [:]
        var phase: Range<Int>?
        for record in records {
            switch record {
            case .compute(let r):
                if case .array(let tile) = r.work { phase = r.end - tile.requantizerCycles..<r.end }
            case .requant(let r):
                seen[r.layer, default: 0] += 1
                let output = try #require(expected[r.layer])
                let channels = output.shape.last ?? 1
                #expect(r.output == output.values[r.row * channels + r.channel])
                #expect(r.input == r.accumulator &+ (r.bias ?? 0))
                #expect(r.saturated == (Int64(r.output) != r.beforeSaturation))
                #expect(phase?.contains(r.cycle) == true)
            default:
                break
            }
        }
        for (index, layer) in simulation.schedule.layers.enumerated() where layer.gemm != nil {
            #expect(seen[index] == expected[index]?.count)
        }
        #expect(
            seen.keys.sorted()
                == simulation.schedule.layers.indices.filter { simulation.schedule.layers[$0].gemm != nil })
    }

    /// The same run twice gives byte-identical files, at every level.
    @Test(arguments: TraceLevel.allCases)
    func sameRunGivesIdenticalBytes(level: TraceLevel) throws {
        let (simulation, batches, _) = try TraceFixtures.digits()
        let options = TraceOptions(level: level, layers: level == .cycle ? TraceLayerSet([0]) : nil)
        let first = try TraceFixtures.trace(simulation, batches, options: options)
        let second = try TraceFixtures.trace(simulation, batches, options: options)
        #expect(first == second)
    }

    /// Layer and cycle selections: finer records only for the chosen layers, cycle records only
    /// inside the window; layer records always.
    @Test func selectionsBoundTheTrace() throws {
        let (simulation, batches, _) = try TraceFixtures.digits()
        let conv2Start = TraceRecorder(simulation: simulation, hardwareName: "", accsimVersion: "").layerStartCycles[2]
        let window = CycleWindow(from: conv2Start + 1000, to: conv2Start + 1200)  // inside conv2's compute
        let (header, records) = try TraceFixtures.records(
            try TraceFixtures.trace(
                simulation, batches,
                options: TraceOptions(level: .cycle, layers: TraceLayerSet([2, 4]), cycles: window)))
        #expect(header.tracedLayers == TraceLayerSet([2, 4]))
        #expect(header.cycleWindow == window)
        #expect(records.filter { $0.kind == .layerEnd }.count == simulation.schedule.layers.count)
        for record in records where record.kind != .layerBegin && record.kind != .layerEnd {
            #expect([2, 4].contains(record.layer))
        }
        let cycleRecords = records.filter { $0.kind == .edge || $0.kind == .sram }
        #expect(!cycleRecords.isEmpty)
        #expect(cycleRecords.allSatisfy { window.contains($0.cycle) })
        #expect(records.contains { $0.kind == .requant && $0.layer == 4 })
    }

    /// A sample outside the batch is a bad-input error.
    @Test func sampleOutsideTheBatchIsAnError() throws {
        let (simulation, batches, _) = try TraceFixtures.digits()
        #expect(throws: ExecutionError.self) {
            try TraceRecorder(simulation: simulation, hardwareName: "", accsimVersion: "").write(
                batches: batches, options: TraceOptions(sample: 5), to: nil)
        }
    }
}
