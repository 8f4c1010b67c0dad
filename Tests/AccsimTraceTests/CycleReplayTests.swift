import AccsimChecksum
import AccsimExecution
import AccsimModel
import AccsimTrace
import AccsimTracing
import Testing

/// The cycle level is enough to check an RTL array: from the values entering the array's edges
/// alone (and the fold records that say which GEMM block each fold is), a replay rebuilds every
/// fold's operands, recomputes the partial sums, checks them against the values leaving the
/// bottom edge, accumulates them like the accumulator buffer and arrives at the layer's int32
/// accumulators — whose CRC the layer-end record carries.
///
/// The replay uses only the trace and docs/timing.md's register timing, not the simulator.
@Suite struct CycleReplayTests {
    @Test(arguments: [
        ("digits", "HardwareConfigs/8x8.json"), ("digits", "HardwareConfigs/16x16-os.json"),
        ("digits", "HardwareConfigs/16x16-is.json"),
        ("every_op", "HardwareConfigs/8x8.json"), ("every_op", "HardwareConfigs/16x16-os.json"),
    ])
    func accumulatorsFollowFromTheArrayEdges(model: String, config: String) throws {
        let input = model == "digits" ? "digits_test_x.npy" : "every_op_input.npy"
        let (simulation, batches, _) = try TraceFixtures.model(model, input: input, config: config)
        let bytes = try TraceFixtures.trace(simulation, batches, options: TraceOptions(level: .cycle))
        let (header, records) = try TraceFixtures.records(bytes)
        let replayed = try Self.replay(header: header, records: records)
        var checked = 0
        for record in records {
            guard case .layerEnd(let end) = record, let crc = end.accumulatorCRC else { continue }
            let layer = try #require(replayed[end.layer], "layer \(end.layer) has no folds")
            #expect(
                layer.mismatchedOutputs == 0,
                "layer \(end.layer): bottom-edge values that differ from the replayed partial sums")
            #expect(layer.crc == crc, "layer \(end.layer) on \(config): replayed accumulators differ")
            checked += 1
        }
        #expect(checked == simulation.schedule.layers.filter { $0.gemm != nil }.count)
        #expect(checked > 0)
    }

    struct ReplayedLayer {
        var crc: UInt32
        var mismatchedOutputs: Int
    }

    /// Replays every layer's folds from the edge events.
    static func replay(header: TraceHeader, records: [TraceRecord]) throws -> [Int: ReplayedLayer] {
        let rows = header.array.rows
        let saturate = header.overflow == "saturate"
        func add(_ x: Int32, _ y: Int32) -> Int32 {
            guard saturate else { return x &+ y }
            return Int32(clamping: Int64(x) + Int64(y))
        }
        // Group the edge events by fold.
        var folds: [(fold: FoldRecord, edges: [EdgeRecord])] = []
        for record in records {
            switch record {
            case .fold(let fold): folds.append((fold, []))
            case .edge(let edge): folds[folds.count - 1].edges.append(edge)
            default: break
            }
        }
        var result: [Int: ReplayedLayer] = [:]
        for layer in Set(folds.map(\.fold.layer)).sorted() {
            let layerFolds = folds.filter { $0.fold.layer == layer }
            let groupColumns = layerFolds.map(\.fold.n.upperBound).max() ?? 0
            let channels = groupColumns * ((layerFolds.map(\.fold.group).max() ?? 0) + 1)
            let pixels = layerFolds.map(\.fold.m.upperBound).max() ?? 0
            var accumulators = [Int32](repeating: 0, count: pixels * channels)
            var mismatches = 0
            for (fold, edges) in layerFolds {
                let (m, k, n) = (fold.m.count, fold.k.count, fold.n.count)
                var a = [Int32](repeating: 0, count: m * k)
                var b = [Int32](repeating: 0, count: k * n)
                var outputs: [(row: Int, column: Int, value: Int32)] = []
                var stream = 0  // output stationary: cycles of the compute phase = last operand cycle + 1
                for edge in edges where edge.edge != .bottom { stream = max(stream, edge.cycle - fold.cycle + 1) }
                for edge in edges {
                    let t = edge.cycle - fold.cycle
                    let x = edge.index
                    switch (header.array.dataflow, edge.edge) {
                    case ("weight_stationary", .top): b[(k - 1 - t) * n + x] = edge.value
                    case ("weight_stationary", .left): a[(t - k - x) * k + x] = edge.value
                    case ("weight_stationary", .bottom): outputs.append((t - k - x - rows + 1, x, edge.value))
                    case ("input_stationary", .top): a[x * k + (k - 1 - t)] = edge.value
                    case ("input_stationary", .left): b[x * n + (t - k - x)] = edge.value
                    case ("input_stationary", .bottom): outputs.append((x, t - k - x - rows + 1, edge.value))
                    case ("output_stationary", .top): b[(t - x) * n + x] = edge.value
                    case ("output_stationary", .left): a[x * k + (t - x)] = edge.value
                    case ("output_stationary", .bottom):
                        // The compute phase is k + m + n − 2 cycles; row r leaves R − 1 − r cycles into the drain.
                        outputs.append((rows - 1 - (t - (k + m + n - 2)), x, edge.value))
                    default: Issue.record("unexpected edge \(edge) for \(header.array.dataflow)")
                    }
                }
                _ = stream
                // The fold's partial sums, as the PEs add them (increasing j, from 0).
                var partial = [Int32](repeating: 0, count: m * n)
                for i in 0..<m {
                    for c in 0..<n {
                        var sum: Int32 = 0
                        for j in 0..<k { sum = add(sum, a[i * k + j] &* b[j * n + c]) }
                        partial[i * n + c] = sum
                    }
                }
                if outputs.count != m * n { mismatches += abs(m * n - outputs.count) }
                for output in outputs where partial[output.row * n + output.column] != output.value { mismatches += 1 }
                for i in 0..<m {
                    for c in 0..<n {
                        let index =
                            (fold.m.lowerBound + i) * channels + fold.group * groupColumns + fold.n.lowerBound + c
                        accumulators[index] = add(accumulators[index], partial[i * n + c])
                    }
                }
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(accumulators.count * 4)
            for value in accumulators {
                let bits = UInt32(bitPattern: value)
                bytes += [UInt8(bits & 0xFF), UInt8(bits >> 8 & 0xFF), UInt8(bits >> 16 & 0xFF), UInt8(bits >> 24)]
            }
            result[layer] = ReplayedLayer(crc: CRC32.checksum(bytes), mismatchedOutputs: mismatches)
        }
        return result
    }

    /// Every operand read from SRAM is the value that enters the array in the same cycle: within
    /// one compute step an address always carries the same value, and a fold reads each weight
    /// once.
    @Test(arguments: [
        ("digits", "HardwareConfigs/8x8.json"), ("digits", "HardwareConfigs/16x16-os.json"),
        ("digits", "HardwareConfigs/16x16-is.json"),
        ("every_op", "HardwareConfigs/8x8.json"),
    ])
    func sramReadsCarryTheOperandsEnteringTheArray(model: String, config: String) throws {
        let input = model == "digits" ? "digits_test_x.npy" : "every_op_input.npy"
        let (simulation, batches, _) = try TraceFixtures.model(model, input: input, config: config)
        let (_, records) = try TraceFixtures.records(
            try TraceFixtures.trace(simulation, batches, options: TraceOptions(level: .cycle)))
        var values: [String: Int32] = [:]
        var step = -1
        var foldWeightReads = 0
        var currentFold: FoldRecord?
        var pairs = 0
        func closeFold() {
            if let fold = currentFold { #expect(foldWeightReads == fold.k.count * fold.n.count, "fold \(fold)") }
        }
        for (index, record) in records.enumerated() {
            switch record {
            case .compute(let r):
                step = r.sequence
                values = [:]
            case .fold(let fold):
                closeFold()
                currentFold = fold
                foldWeightReads = 0
            case .sram(let access) where !access.isWrite && access.buffer != .output:
                guard case .edge(let edge) = records[index - 1], edge.cycle == access.cycle else {
                    Issue.record("SRAM read without the edge event it feeds: \(access)")
                    continue
                }
                let key = "\(step)/\(access.buffer.name)/\(access.address)"
                if let known = values[key] { #expect(known == edge.value, "\(key)") }
                values[key] = edge.value
                if access.buffer == .weight { foldWeightReads += 1 }
                pairs += 1
            default:
                break
            }
        }
        closeFold()
        #expect(pairs > 1000)
    }
}
