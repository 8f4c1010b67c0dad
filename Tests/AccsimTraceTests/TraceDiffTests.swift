import AccsimTrace
import Testing

/// Diff finds the right first event on crafted differences, in each mode.
@Suite struct TraceDiffTests {
    /// A base stream: a layer of DMA, compute, requant and edge events.
    static let base: [TraceRecord] = {
        var records: [TraceRecord] = [.layerBegin(LayerBeginRecord(cycle: 0, layer: 0, name: "conv", op: "conv2d"))]
        for step in 0..<20 {
            records.append(
                .dma(
                    DMARecord(
                        cycle: step * 50, layer: 0, sequence: step * 3, direction: .load, buffer: .input, tensor: "x",
                        dramAddress: step * 64, chunkCount: 1, chunkBytes: 64, strideBytes: 64, sramAddress: 0,
                        bank: 0, half: step % 2, after: nil, completion: step * 50 + 20)))
            records.append(
                .compute(
                    ComputeRecord(
                        cycle: step * 50 + 20, layer: 0, sequence: step * 3 + 1, end: step * 50 + 45, stall: 0,
                        stallCause: .none, work: .vector(.init(chunk: step, part: 0, work: 8, outputElements: 8)))))
            for index in 0..<4 {
                records.append(
                    .edge(
                        EdgeRecord(
                            cycle: step * 50 + 21 + index, layer: 0, edge: .left, index: index,
                            value: Int32(step * 4 + index))))
            }
        }
        records.append(
            .layerEnd(
                LayerEndRecord(
                    cycle: 1000, layer: 0, outputCRC: 1, accumulatorCRC: nil, counters: LayerCounters(values: [1000]))))
        return records
    }()

    static func reader(_ records: [TraceRecord]) throws -> TraceReader {
        let writer = try TraceWriter(
            header: TraceFixtures.header(), options: TraceWriterOptions(chunkBytes: 128, background: false))
        for record in records { writer.append(record) }
        return try TraceReader(bytes: try #require(try writer.finish().bytes), name: "t")
    }

    static func diff(_ a: [TraceRecord], _ b: [TraceRecord], _ mode: TraceDiffMode) throws -> TraceDiffResult {
        TraceDiff.diff(try reader(a), try reader(b), mode: mode, context: 2)
    }

    /// Every record shifted by `delta` cycles from position `from` on.
    static func shifted(_ records: [TraceRecord], by delta: Int, from: Int) -> [TraceRecord] {
        records.enumerated().map { index, record in
            guard index >= from else { return record }
            switch record {
            case .dma(var r):
                r.cycle += delta
                r.completion += delta
                return .dma(r)
            case .compute(var r):
                r.cycle += delta
                r.end += delta
                return .compute(r)
            case .edge(var r):
                r.cycle += delta
                return .edge(r)
            case .layerEnd(var r):
                r.cycle += delta
                return .layerEnd(r)
            default: return record
            }
        }
    }

    @Test(arguments: [TraceDiffMode.exact, .orderOnly, .cycleTolerance(3)])
    func identicalTracesAgree(mode: TraceDiffMode) throws {
        let result = try Self.diff(Self.base, Self.base, mode)
        #expect(result.isSame)
        #expect(result.eventsCompared == Self.base.count)
        #expect(result.headerDifferences.isEmpty)
    }

    /// A changed value is found at its position in every mode, with the context before it.
    @Test(arguments: [TraceDiffMode.exact, .orderOnly, .cycleTolerance(100)])
    func changedValueIsFoundInEveryMode(mode: TraceDiffMode) throws {
        var changed = Self.base
        let position = 57
        guard case .edge(var edge) = changed[position] else {
            Issue.record("position \(position) is not an edge")
            return
        }
        edge.value += 1
        changed[position] = .edge(edge)
        let divergence = try #require(try Self.diff(Self.base, changed, mode).divergence)
        #expect(divergence.index == position)
        #expect(divergence.reason.contains("left[") && divergence.reason.contains("vs"))
        #expect(divergence.context.map(\.index) == [position - 2, position - 1])
    }

    /// Cycle shifts: exact mode stops at the first shifted event; order-only ignores them; a
    /// tolerance accepts shifts up to N and reports the first one beyond.
    @Test func cycleShiftsPerMode() throws {
        let small = Self.shifted(Self.base, by: 2, from: 30)
        #expect(try Self.diff(Self.base, small, .exact).divergence?.index == 30)
        #expect(try Self.diff(Self.base, small, .orderOnly).isSame)
        #expect(try Self.diff(Self.base, small, .cycleTolerance(2)).isSame)
        let tolerance = try #require(try Self.diff(Self.base, small, .cycleTolerance(1)).divergence)
        #expect(tolerance.index == 30)
        #expect(tolerance.reason.contains("differs by 2 cycles"))
        let large = Self.shifted(small, by: 5, from: 80)
        #expect(try Self.diff(Self.base, large, .cycleTolerance(3)).divergence?.index == 80)
        #expect(try Self.diff(Self.base, large, .orderOnly).isSame)
    }

    /// Two events swapped: found in every mode, order-only included.
    @Test(arguments: [TraceDiffMode.exact, .orderOnly, .cycleTolerance(50)])
    func swappedEventsAreFound(mode: TraceDiffMode) throws {
        var swapped = Self.base
        swapped.swapAt(44, 45)
        #expect(try Self.diff(Self.base, swapped, mode).divergence?.index == 44)
    }

    /// One trace ends early: the divergence is where it ends.
    @Test func shorterTraceEndsTheComparison() throws {
        let short = Array(Self.base.prefix(70))
        let divergence = try #require(try Self.diff(Self.base, short, .orderOnly).divergence)
        #expect(divergence.index == 70)
        #expect(divergence.b == nil)
        #expect(divergence.reason == "the second trace ends here")
    }

    /// A missing event: the divergence is at the first event after the gap.
    @Test func missingEventIsFound() throws {
        var missing = Self.base
        missing.remove(at: 33)
        #expect(try Self.diff(Self.base, missing, .orderOnly).divergence?.index == 33)
    }
}
