import AccsimArithmetic
import AccsimHardware
import AccsimModel
import AccsimTestSupport
import AccsimTiming
import Testing

/// The per-cycle values entering and leaving the array edges.
struct EdgeEventTests {
    /// Runs `simulator` with a recorder attached.
    static func record(
        _ simulator: SystolicArraySimulator, a: [Int32], b: [Int32], shape: GEMMShape
    ) -> (tile: SteppedTile, events: [ArrayEdgeEvent]) {
        var events: [ArrayEdgeEvent] = []
        let tile = simulator.run(a: a, b: b, shape: shape) { events.append($0) }
        return (tile, events)
    }

    static func event(_ cycle: Int, _ edge: ArrayEdge, _ index: Int, _ value: Int32) -> ArrayEdgeEvent {
        ArrayEdgeEvent(cycle: cycle, edge: edge, index: index, value: value)
    }

    // A = [[1, 2], [3, 4]], B = [[5, 6], [7, 8]], C = [[19, 22], [43, 50]].
    static let a: [Int32] = [1, 2, 3, 4]
    static let b: [Int32] = [5, 6, 7, 8]
    static let square = GEMMShape(m: 2, k: 2, n: 2)

    @Test func weightStationaryTwoByTwo() {
        // Preload, deepest row first: cycle 0 b[1][·], cycle 1 b[0][·]. Stream cycle t = cycle − 2:
        // row j gets a[t − j][j]. Output (i, c) leaves row R − 1 = 1 at t = i + c + 1.
        let run = Self.record(
            SystolicArraySimulator(rows: 2, cols: 2, dataflow: .weightStationary, overflow: .wrap),
            a: Self.a, b: Self.b, shape: Self.square)
        #expect(run.tile.output == [19, 22, 43, 50])
        #expect(run.tile.cycles == TileCycles(preload: 2, stream: 4, drain: 0))
        #expect(
            run.events == [
                Self.event(0, .top, 0, 7), Self.event(0, .top, 1, 8),
                Self.event(1, .top, 0, 5), Self.event(1, .top, 1, 6),
                Self.event(2, .left, 0, 1),
                Self.event(3, .left, 0, 3), Self.event(3, .left, 1, 2), Self.event(3, .bottom, 0, 19),
                Self.event(4, .left, 1, 4), Self.event(4, .bottom, 0, 43), Self.event(4, .bottom, 1, 22),
                Self.event(5, .bottom, 1, 50),
            ])
    }

    @Test func outputStationaryTwoByTwoOnTallerArray() {
        // 3×2 array: PE(r, c) adds a[r][j]·b[j][c] at cycle j + r + c; the last MAC is PE(1, 1) at
        // cycle 3 → compute 4. Drain: row 2 (empty) leaves at cycle 4, row 1 at 5, row 0 at 6.
        let run = Self.record(
            SystolicArraySimulator(rows: 3, cols: 2, dataflow: .outputStationary, overflow: .wrap),
            a: Self.a, b: Self.b, shape: Self.square)
        #expect(run.tile.output == [19, 22, 43, 50])
        #expect(run.tile.cycles == TileCycles(preload: 0, stream: 4, drain: 3))
        #expect(
            run.events == [
                Self.event(0, .left, 0, 1), Self.event(0, .top, 0, 5),
                Self.event(1, .left, 0, 2), Self.event(1, .left, 1, 3),
                Self.event(1, .top, 0, 7), Self.event(1, .top, 1, 6),
                Self.event(2, .left, 1, 4), Self.event(2, .top, 1, 8),
                Self.event(5, .bottom, 0, 43), Self.event(5, .bottom, 1, 50),
                Self.event(6, .bottom, 0, 19), Self.event(6, .bottom, 1, 22),
            ])
    }

    @Test func inputStationaryTwoByTwo() {
        // PE(j, i) holds a[i][j]: preload row 1 = (a[0][1], a[1][1]) = (2, 4), then row 0 = (1, 3).
        // Stream t: row j gets b[j][t − j]. Output (i, f) leaves column i at t = f + i + 1.
        let run = Self.record(
            SystolicArraySimulator(rows: 2, cols: 2, dataflow: .inputStationary, overflow: .wrap),
            a: Self.a, b: Self.b, shape: Self.square)
        #expect(run.tile.output == [19, 22, 43, 50])
        #expect(
            run.events == [
                Self.event(0, .top, 0, 2), Self.event(0, .top, 1, 4),
                Self.event(1, .top, 0, 1), Self.event(1, .top, 1, 3),
                Self.event(2, .left, 0, 5),
                Self.event(3, .left, 0, 6), Self.event(3, .left, 1, 7), Self.event(3, .bottom, 0, 19),
                Self.event(4, .left, 1, 8), Self.event(4, .bottom, 0, 22), Self.event(4, .bottom, 1, 43),
                Self.event(5, .bottom, 1, 50),
            ])
    }

    @Test(arguments: Dataflow.allCases)
    func eventsAreOrderedCompleteAndDoNotChangeTheRun(dataflow: Dataflow) {
        var rng = SeededGenerator(seed: 0xED6E)
        for _ in 0..<25 {
            let rows = rng.int(in: 1...6)
            let cols = rng.int(in: 1...6)
            let shape = dataflow.shape(
                of: FoldDimensions(
                    rows: rng.int(in: 1...rows), cols: rng.int(in: 1...cols), stream: rng.int(in: 1...12)))
            let a = rng.int8s(shape.m * shape.k)
            let b = rng.int8s(shape.k * shape.n)
            let simulator = SystolicArraySimulator(rows: rows, cols: cols, dataflow: dataflow, overflow: .wrap)
            let recorded = Self.record(simulator, a: a, b: b, shape: shape)
            #expect(recorded.tile == simulator.run(a: a, b: b, shape: shape))

            let events = recorded.events
            #expect(zip(events, events.dropFirst()).allSatisfy { $0.cycle <= $1.cycle })
            let count = { (edge: ArrayEdge) in events.filter { $0.edge == edge }.count }
            // Every operand element enters once, every output leaves once.
            #expect(count(.left) + count(.top) == shape.m * shape.k + shape.k * shape.n)
            #expect(count(.bottom) == shape.m * shape.n)
            #expect(events.last?.edge == .bottom)
            #expect(events.last?.cycle == recorded.tile.cycles.total - 1)
            // The outputs leaving the bottom are exactly the results.
            #expect(events.filter { $0.edge == .bottom }.map(\.value).sorted() == recorded.tile.output.sorted())
        }
    }
}
