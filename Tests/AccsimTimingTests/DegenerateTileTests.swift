import AccsimArithmetic
import AccsimHardware
import AccsimModel
import AccsimTestSupport
import AccsimTiming
import Testing

/// Smallest arrays and tiles: a 1×1 array, a reduction of 1, a single output row.
struct DegenerateTileTests {
    /// Checks the analytic count, the stepped count and the stepped result of one tile.
    static func check(_ dataflow: Dataflow, rows: Int, cols: Int, _ shape: GEMMShape, expected: TileCycles) {
        let model = ArrayTimingModel(rows: rows, cols: cols, dataflow: dataflow)
        #expect(model.tileCycles(shape) == expected, "analytic \(dataflow.rawValue) \(shape)")
        var rng = SeededGenerator(seed: UInt64(shape.macs))
        let run = steppedRun(
            SystolicArraySimulator(rows: rows, cols: cols, dataflow: dataflow, overflow: .wrap),
            shape: shape, rng: &rng)
        #expect(run.tile.cycles == expected, "stepped \(dataflow.rawValue) \(shape)")
        #expect(run.tile.output == referenceGEMM(a: run.a, b: run.b, shape: shape))
    }

    @Test func oneByOneArraySingleMAC() {
        let one = GEMMShape(m: 1, k: 1, n: 1)
        // WS/IS: 1 preload cycle; the only output leaves row 0 at stream cycle 0 + 0 + 1 − 1 = 0.
        Self.check(.weightStationary, rows: 1, cols: 1, one, expected: TileCycles(preload: 1, stream: 1, drain: 0))
        Self.check(.inputStationary, rows: 1, cols: 1, one, expected: TileCycles(preload: 1, stream: 1, drain: 0))
        // OS: the MAC in cycle 0, then one shift out of the single row.
        Self.check(.outputStationary, rows: 1, cols: 1, one, expected: TileCycles(preload: 0, stream: 1, drain: 1))
    }

    @Test func oneByOneArrayLongStream() {
        // Stream extent 5: WS m = 5 → 1 + (5 + 1 + 1 − 2); IS n = 5 likewise; OS k = 5 → 5 + 1.
        Self.check(
            .weightStationary, rows: 1, cols: 1, GEMMShape(m: 5, k: 1, n: 1),
            expected: TileCycles(preload: 1, stream: 5, drain: 0))
        Self.check(
            .inputStationary, rows: 1, cols: 1, GEMMShape(m: 1, k: 1, n: 5),
            expected: TileCycles(preload: 1, stream: 5, drain: 0))
        Self.check(
            .outputStationary, rows: 1, cols: 1, GEMMShape(m: 1, k: 5, n: 1),
            expected: TileCycles(preload: 0, stream: 5, drain: 1))
    }

    @Test func reductionOfOneStillCrossesEveryRow() {
        // k = 1 on a 4×4 array: the partial sums pass 3 unused rows before they are captured.
        // WS m 3, n 4: 1 + (3 + 4 + 4 − 2) = 1 + 9. IS m 4, n 3: 1 + (3 + 4 + 4 − 2).
        // OS m 4, n 4: (1 + 4 + 4 − 2) + 4.
        Self.check(
            .weightStationary, rows: 4, cols: 4, GEMMShape(m: 3, k: 1, n: 4),
            expected: TileCycles(preload: 1, stream: 9, drain: 0))
        Self.check(
            .inputStationary, rows: 4, cols: 4, GEMMShape(m: 4, k: 1, n: 3),
            expected: TileCycles(preload: 1, stream: 9, drain: 0))
        Self.check(
            .outputStationary, rows: 4, cols: 4, GEMMShape(m: 4, k: 1, n: 4),
            expected: TileCycles(preload: 0, stream: 7, drain: 4))
    }

    @Test func singleOutputRow() {
        // m = 1 on a 4×4 array. WS k 4, n 4: 4 + (1 + 4 + 4 − 2). IS k 3, n 2: 3 + (2 + 1 + 4 − 2).
        // OS k 2, n 3: (2 + 1 + 3 − 2) + 4: the lone row 0 still shifts through all 4 rows.
        Self.check(
            .weightStationary, rows: 4, cols: 4, GEMMShape(m: 1, k: 4, n: 4),
            expected: TileCycles(preload: 4, stream: 7, drain: 0))
        Self.check(
            .inputStationary, rows: 4, cols: 4, GEMMShape(m: 1, k: 3, n: 2),
            expected: TileCycles(preload: 3, stream: 5, drain: 0))
        Self.check(
            .outputStationary, rows: 4, cols: 4, GEMMShape(m: 1, k: 2, n: 3),
            expected: TileCycles(preload: 0, stream: 4, drain: 4))
    }

    @Test func scaleSimOnOneByOne() {
        // OS: T + R + C − 2 = T; WS/IS: 2R + C + T − 2 = T + 1.
        let os = ArrayTimingModel(rows: 1, cols: 1, dataflow: .outputStationary, convention: .scaleSim)
        #expect(os.tileCycles(GEMMShape(m: 1, k: 1, n: 1)).total == 1)
        #expect(os.tileCycles(GEMMShape(m: 1, k: 7, n: 1)).total == 7)
        let ws = ArrayTimingModel(rows: 1, cols: 1, dataflow: .weightStationary, convention: .scaleSim)
        #expect(ws.tileCycles(GEMMShape(m: 1, k: 1, n: 1)) == TileCycles(preload: 1, stream: 1, drain: 0))
        let `is` = ArrayTimingModel(rows: 1, cols: 1, dataflow: .inputStationary, convention: .scaleSim)
        #expect(`is`.tileCycles(GEMMShape(m: 1, k: 1, n: 9)).total == 10)
        // A 3×2×3 GEMM on 1×1: WS folds = K·N = 6, each 2 + 1 + 3 − 2 = 4.
        #expect(
            ws.layerCycles(GEMMShape(m: 3, k: 2, n: 3))
                == LayerCycles(
                    folds: 6, phases: TileCycles(preload: 6, stream: 18, drain: 0)))
    }

    @Test func fitsFollowsTheDataflow() {
        let shape = GEMMShape(m: 8, k: 3, n: 2)
        #expect(ArrayTimingModel(rows: 3, cols: 2, dataflow: .weightStationary).fits(shape))
        #expect(!ArrayTimingModel(rows: 3, cols: 2, dataflow: .inputStationary).fits(shape))
        #expect(ArrayTimingModel(rows: 3, cols: 8, dataflow: .inputStationary).fits(shape))
        #expect(ArrayTimingModel(rows: 8, cols: 2, dataflow: .outputStationary).fits(shape))
        #expect(!ArrayTimingModel(rows: 8, cols: 2, dataflow: .outputStationary).fits(GEMMShape(m: 8, k: 0, n: 2)))
    }
}
