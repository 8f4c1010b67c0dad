import AccsimArithmetic
import AccsimHardware
import AccsimModel
import AccsimTestSupport
import AccsimTiming
import Testing

/// The analytic native formulas against the cycle-stepped model on random shapes.
struct TimingEquivalenceTests {
    @Test(arguments: Dataflow.allCases)
    func analyticEqualsSteppedOnRandomTiles(dataflow: Dataflow) {
        var rng = SeededGenerator(seed: 0x7131_0000 + UInt64(Dataflow.allCases.firstIndex(of: dataflow)!))
        for _ in 0..<220 {
            let rows = rng.int(in: 1...8)
            let cols = rng.int(in: 1...8)
            let fold = FoldDimensions(
                rows: rng.int(in: 1...rows), cols: rng.int(in: 1...cols), stream: rng.int(in: 1...20))
            let shape = dataflow.shape(of: fold)
            let model = ArrayTimingModel(rows: rows, cols: cols, dataflow: dataflow)
            let simulator = SystolicArraySimulator(rows: rows, cols: cols, dataflow: dataflow, overflow: .wrap)
            let run = steppedRun(simulator, shape: shape, rng: &rng)
            #expect(model.tileCycles(shape) == run.tile.cycles, "\(dataflow.rawValue) \(rows)×\(cols) tile \(shape)")
            #expect(run.tile.output == referenceGEMM(a: run.a, b: run.b, shape: shape), "\(dataflow.rawValue) \(shape)")
        }
    }

    @Test func fullSixteenBySixteenTiles() {
        // The largest sizes the stepped model is meant for, one full tile per dataflow.
        var rng = SeededGenerator(seed: 16)
        for dataflow in Dataflow.allCases {
            let shape = dataflow.shape(of: FoldDimensions(rows: 16, cols: 16, stream: 40))
            let simulator = SystolicArraySimulator(rows: 16, cols: 16, dataflow: dataflow, overflow: .saturate)
            let run = steppedRun(simulator, shape: shape, rng: &rng)
            #expect(run.tile.cycles == ArrayTimingModel(rows: 16, cols: 16, dataflow: dataflow).tileCycles(shape))
            #expect(run.tile.cycles.total == 40 + 16 + 16 + 16 - 2)
            // int8 products over k ≤ 40 cannot leave int32, so saturation never triggers.
            #expect(run.tile.output == referenceGEMM(a: run.a, b: run.b, shape: shape))
        }
    }

    @Test(arguments: Dataflow.allCases, TimingConvention.allCases)
    func layerCyclesEqualTheSumOverFolds(dataflow: Dataflow, convention: TimingConvention) {
        var rng = SeededGenerator(seed: 0x1A7E)
        for _ in 0..<100 {
            let model = ArrayTimingModel(
                rows: rng.int(in: 1...16), cols: rng.int(in: 1...16), dataflow: dataflow, convention: convention)
            let gemm = GEMMShape(m: rng.int(in: 1...200), k: rng.int(in: 1...200), n: rng.int(in: 1...200))
            let folds = model.folds(of: gemm)
            let layer = model.layerCycles(gemm)
            #expect(layer.folds == folds.count)
            #expect(layer.phases == folds.map(model.tileCycles).reduce(.zero, +))
            #expect(folds.map(\.macs).reduce(0, +) == gemm.macs)
            #expect(folds.allSatisfy(model.fits))
            #expect(model.scaleSimLayerCycles(gemm).folds == folds.count)
        }
    }
}
