import AccsimTiming
import Testing

/// Hand-built timelines on a DMA engine with latency 2, 4 B/cycle and 4-byte bursts: a transfer
/// of B bytes takes 2 + ceil(roundUp(B, 4) / 4) cycles (8 B → 4, 16 B → 6, 4 B → 3, 32 B → 10).
@Suite struct TimelineTests {
    static let dma = DMACostModel(latencyCycles: 2, bandwidthBytesPerCycle: 4, burstBytes: 4)

    static func load(_ buffer: BufferKind, _ bytes: Int, after: Int? = nil) -> TimelineStep {
        .transfer(TimelineTransfer(direction: .load, buffer: buffer, bytes: bytes, after: after))
    }

    static func store(_ bytes: Int, after: Int) -> TimelineStep {
        .transfer(TimelineTransfer(direction: .store, buffer: .output, bytes: bytes, after: after))
    }

    static func compute(_ cycles: Int, waitsFor: [Int], unit: ComputeUnit = .array) -> TimelineStep {
        .compute(TimelineCompute(unit: unit, cycles: cycles, waitsFor: waitsFor))
    }

    static func expectIdentity(_ r: TimelineResult, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(
            r.totalCycles == r.prologueCycles + r.computeCycles + r.stalls.total + r.epilogueCycles,
            sourceLocation: sourceLocation)
    }

    @Test func transferCost() {
        #expect(Self.dma.cycles(bytes: 8) == 4)
        #expect(Self.dma.cycles(bytes: 5) == 4)  // rounded up to 8
        #expect(Self.dma.cycles(bytes: 0) == 2)
        let dram = DMACostModel(latencyCycles: 100, bandwidthBytesPerCycle: 16, burstBytes: 64)
        #expect(dram.cycles(bytes: 65) == 100 + 128 / 16)
    }

    /// Double-buffered input and weights, three tiles.
    ///
    ///     0 load input 8    [0, 4)
    ///     1 load weight 16  [4, 10)
    ///     2 load input 8    [10, 14)   tile 1's input, prefetched into the other half
    ///     3 compute 3       [10, 13)   waits 0, 1 → prologue 10
    ///     4 store 4         [14, 17)   after 3; the engine is busy until 14
    ///     5 load weight 16  [17, 23)   tile 1's weight (generation 1: no half to wait for)
    ///     6 compute 3       [23, 26)   waits 2, 5 → stall 23 − 13 = 10, weight (step 5 ended last)
    ///     7 store 4         [26, 29)
    ///     8 load input 8    [29, 33)   tile 2's input reuses half 0: after step 3 (ended at 13)
    ///     9 compute 3       [33, 36)   waits 8 → stall 33 − 26 = 7, input
    ///    10 store 4         [36, 39)
    ///
    /// total 39 = prologue 10 + compute 9 + stalls 17 (weight 10, input 7) + epilogue 3.
    @Test func doubleBufferedStallsByCause() throws {
        let steps: [TimelineStep] = [
            Self.load(.input, 8), Self.load(.weight, 16), Self.load(.input, 8),
            Self.compute(3, waitsFor: [0, 1]), Self.store(4, after: 3),
            Self.load(.weight, 16), Self.compute(3, waitsFor: [2, 5]), Self.store(4, after: 6),
            Self.load(.input, 8, after: 3), Self.compute(3, waitsFor: [8]), Self.store(4, after: 9),
        ]
        let r = try Timeline(dma: Self.dma).run(steps)
        #expect(r.steps.map(\.start) == [0, 4, 10, 10, 14, 17, 23, 26, 29, 33, 36])
        #expect(r.steps.map(\.end) == [4, 10, 14, 13, 17, 23, 26, 29, 33, 36, 39])
        #expect(r.steps[6].stall == 10 && r.steps[6].stallCause == .weight && r.steps[6].waitedFor == 5)
        #expect(r.steps[9].stall == 7 && r.steps[9].stallCause == .input && r.steps[9].waitedFor == 8)
        #expect(r.steps[3].stall == 0 && r.steps[3].stallCause == nil)
        #expect(r.totalCycles == 39)
        #expect(r.prologueCycles == 10)
        #expect(r.computeCycles == 9 && r.arrayCycles == 9 && r.vectorCycles == 0)
        #expect(r.stalls == StallCycles(input: 7, weight: 10))
        #expect(r.epilogueCycles == 3)
        #expect(r.dmaBusyCycles == 4 + 6 + 4 + 3 + 6 + 3 + 4 + 3)
        Self.expectIdentity(r)
    }

    /// Single-buffered output: the second tile's compute writes the only output half, so it waits
    /// for the first tile's store.
    ///
    ///     0 load input 8   [0, 4)
    ///     1 load input 8   [4, 8)    tile 1's input (double-buffered input)
    ///     2 compute 2      [4, 6)    waits 0 → prologue 4
    ///     3 store 32       [8, 18)   after 2; the engine is busy until 8
    ///     4 compute 2      [18, 20)  waits 1 (ended 8) and 3 (ended 18) → stall 12, output
    ///     5 store 32       [20, 30)
    ///
    /// total 30 = prologue 4 + compute 4 + stalls 12 (output) + epilogue 10.
    @Test func singleBufferedOutputStallsOnTheStore() throws {
        let steps: [TimelineStep] = [
            Self.load(.input, 8), Self.load(.input, 8), Self.compute(2, waitsFor: [0]), Self.store(32, after: 2),
            Self.compute(2, waitsFor: [1, 3]), Self.store(32, after: 4),
        ]
        let r = try Timeline(dma: Self.dma).run(steps)
        #expect(r.steps.map(\.start) == [0, 4, 4, 8, 18, 20])
        #expect(r.steps[4].stallCause == .output && r.steps[4].waitedFor == 3)
        #expect(r.totalCycles == 30 && r.prologueCycles == 4 && r.computeCycles == 4 && r.epilogueCycles == 10)
        #expect(r.stalls == StallCycles(output: 12))
        Self.expectIdentity(r)
    }

    /// Single-buffered input: the next load waits for the compute that uses the only half.
    ///
    ///     0 load input 8   [0, 4)
    ///     1 compute 5      [4, 9)    prologue 4
    ///     2 load input 8   [9, 13)   after 1 (single-buffered)
    ///     3 store 4        [13, 16)  after 1, behind the load on the engine
    ///     4 compute 5      [13, 18)  waits 2 → stall 4, input
    ///     5 store 4        [18, 21)
    ///
    /// total 21 = 4 + 10 + 4 + 3.
    @Test func singleBufferedInputSerialisesLoadsAndComputes() throws {
        let steps: [TimelineStep] = [
            Self.load(.input, 8), Self.compute(5, waitsFor: [0]), Self.load(.input, 8, after: 1),
            Self.store(4, after: 1), Self.compute(5, waitsFor: [2]), Self.store(4, after: 4),
        ]
        let r = try Timeline(dma: Self.dma).run(steps)
        #expect(r.steps.map(\.start) == [0, 4, 9, 13, 13, 18])
        #expect(r.stalls == StallCycles(input: 4))
        #expect(r.totalCycles == 21 && r.prologueCycles == 4 && r.computeCycles == 10 && r.epilogueCycles == 3)
        Self.expectIdentity(r)
    }

    /// A vector-unit step that waits is a `vector` stall, whatever it waited for; the step still
    /// names the transfer.
    ///
    ///     0 load input 8   [0, 4)
    ///     1 load input 16  [4, 10)
    ///     2 vector 1       [4, 5)    prologue 4
    ///     3 store 4        [10, 13)
    ///     4 vector 1       [10, 11)  waits 1 → stall 5, vector
    ///     5 store 4        [13, 16)
    @Test func vectorUnitStallsAreVector() throws {
        let steps: [TimelineStep] = [
            Self.load(.input, 8), Self.load(.input, 16), Self.compute(1, waitsFor: [0], unit: .vector),
            Self.store(4, after: 2), Self.compute(1, waitsFor: [1], unit: .vector), Self.store(4, after: 4),
        ]
        let r = try Timeline(dma: Self.dma).run(steps)
        #expect(r.steps[4].stall == 5 && r.steps[4].stallCause == .vector && r.steps[4].waitedFor == 1)
        #expect(r.stalls == StallCycles(vector: 5))
        #expect(r.vectorCycles == 2 && r.arrayCycles == 0)
        #expect(r.totalCycles == 16 && r.prologueCycles == 4 && r.epilogueCycles == 5)
        Self.expectIdentity(r)
    }

    @Test func emptyAndComputeOnlyTimelines() throws {
        let empty = try Timeline(dma: Self.dma).run([])
        #expect(empty == .empty)
        let transfersOnly = try Timeline(dma: Self.dma).run([Self.load(.input, 8)])
        #expect(
            transfersOnly.totalCycles == 4 && transfersOnly.prologueCycles == 4 && transfersOnly.epilogueCycles == 0)
        Self.expectIdentity(transfersOnly)
    }

    @Test func forwardDependenciesAreRejected() {
        #expect(throws: TimelineError.self) {
            try Timeline(dma: Self.dma).run([Self.compute(1, waitsFor: [1]), Self.load(.input, 8)])
        }
        #expect(throws: TimelineError.self) {
            try Timeline(dma: Self.dma).run([
                Self.load(.input, 8), Self.compute(1, waitsFor: [0]), Self.store(4, after: 0),
            ])
        }
    }
}
