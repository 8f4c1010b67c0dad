import AccsimArithmetic
import AccsimHardware
import AccsimModel
import AccsimTestSupport
import AccsimTiming
import Testing

/// The 4×6×5 GEMM (M = 4 output pixels, K = 6, N = 5 filters) on a 4×4 array, derived by hand
/// for each dataflow under both conventions.
struct HandDerivedTimingTests {
    static let gemm = GEMMShape(m: 4, k: 6, n: 5)
    static let side = 4

    static func model(_ dataflow: Dataflow, _ convention: TimingConvention) -> ArrayTimingModel {
        ArrayTimingModel(rows: side, cols: side, dataflow: dataflow, convention: convention)
    }

    /// Checks the folds, each fold's native cycles (analytic and stepped) and the layer totals.
    static func check(
        _ dataflow: Dataflow, folds expectedFolds: [GEMMShape], native: [TileCycles], nativeTotal: Int,
        scaleSimPerFold: TileCycles, scaleSimTotal: Int
    ) {
        let nativeModel = model(dataflow, .native)
        #expect(nativeModel.folds(of: gemm) == expectedFolds)
        #expect(expectedFolds.map(nativeModel.tileCycles) == native)
        let layer = nativeModel.layerCycles(gemm)
        #expect(layer.folds == expectedFolds.count)
        #expect(layer.total == nativeTotal)
        #expect(layer.phases == native.reduce(.zero, +))

        var rng = SeededGenerator(seed: 46)
        let simulator = SystolicArraySimulator(rows: side, cols: side, dataflow: dataflow, overflow: .wrap)
        for (fold, cycles) in zip(expectedFolds, native) {
            let run = steppedRun(simulator, shape: fold, rng: &rng)
            #expect(run.tile.cycles == cycles, "stepped \(dataflow.rawValue) fold \(fold)")
            #expect(run.tile.output == referenceGEMM(a: run.a, b: run.b, shape: fold))
        }

        let scaleSimModel = model(dataflow, .scaleSim)
        #expect(expectedFolds.allSatisfy { scaleSimModel.tileCycles($0) == scaleSimPerFold })
        let scaleSimLayer = scaleSimModel.layerCycles(gemm)
        #expect(scaleSimLayer.folds == expectedFolds.count)
        #expect(scaleSimLayer.total == scaleSimTotal)
        #expect(nativeModel.scaleSimLayerCycles(gemm) == scaleSimLayer)
    }

    @Test func outputStationary() {
        // Sr = M = 4 → 1 row fold; Sc = N = 5 → 2 column folds (4 + 1); T = K = 6 streams whole.
        // Native, k + m + n − 2 compute + R drain:
        //   fold 1 (m 4, n 4): 6 + 4 + 4 − 2 = 12 compute, + 4 drain = 16
        //   fold 2 (m 4, n 1): 6 + 4 + 1 − 2 =  9 compute, + 4 drain = 13      → 29
        // SCALE-Sim, T + R + C − 2 = 6 + 4 + 4 − 2 = 12 per fold, × 2 folds    → 24
        Self.check(
            .outputStationary,
            folds: [GEMMShape(m: 4, k: 6, n: 4), GEMMShape(m: 4, k: 6, n: 1)],
            native: [TileCycles(preload: 0, stream: 12, drain: 4), TileCycles(preload: 0, stream: 9, drain: 4)],
            nativeTotal: 29,
            scaleSimPerFold: TileCycles(preload: 0, stream: 12, drain: 0), scaleSimTotal: 24)
    }

    @Test func weightStationary() {
        // Sr = K = 6 → 2 row folds (4 + 2); Sc = N = 5 → 2 column folds (4 + 1); T = M = 4.
        // Order: column folds outer, row folds inner. Native, k preload + m + n + R − 2 stream:
        //   (k 4, n 4): 4 + (4 + 4 + 2) = 14
        //   (k 2, n 4): 2 + (4 + 4 + 2) = 12
        //   (k 4, n 1): 4 + (4 + 1 + 2) = 11
        //   (k 2, n 1): 2 + (4 + 1 + 2) =  9                                    → 46
        // SCALE-Sim, 2R + C + T − 2 = 8 + 4 + 4 − 2 = 14 per fold (R preload + T + R + C − 2),
        // × 4 folds                                                             → 56
        Self.check(
            .weightStationary,
            folds: [
                GEMMShape(m: 4, k: 4, n: 4), GEMMShape(m: 4, k: 2, n: 4),
                GEMMShape(m: 4, k: 4, n: 1), GEMMShape(m: 4, k: 2, n: 1),
            ],
            native: [
                TileCycles(preload: 4, stream: 10, drain: 0), TileCycles(preload: 2, stream: 10, drain: 0),
                TileCycles(preload: 4, stream: 7, drain: 0), TileCycles(preload: 2, stream: 7, drain: 0),
            ],
            nativeTotal: 46,
            scaleSimPerFold: TileCycles(preload: 4, stream: 10, drain: 0), scaleSimTotal: 56)
    }

    @Test func inputStationary() {
        // Sr = K = 6 → 2 row folds (4 + 2); Sc = M = 4 → 1 column fold; T = N = 5 streams.
        // Native, k preload + n + m + R − 2 stream:
        //   (k 4, m 4): 4 + (5 + 4 + 2) = 15
        //   (k 2, m 4): 2 + (5 + 4 + 2) = 13                                    → 28
        // SCALE-Sim, 2R + C + T − 2 = 8 + 4 + 5 − 2 = 15 per fold, × 2 folds   → 30
        Self.check(
            .inputStationary,
            folds: [GEMMShape(m: 4, k: 4, n: 5), GEMMShape(m: 4, k: 2, n: 5)],
            native: [TileCycles(preload: 4, stream: 11, drain: 0), TileCycles(preload: 2, stream: 11, drain: 0)],
            nativeTotal: 28,
            scaleSimPerFold: TileCycles(preload: 4, stream: 11, drain: 0), scaleSimTotal: 30)
    }

    @Test func configInitializersPickTheArrayAndConvention() {
        var config = HardwareConfig.standard
        config.array.rows = 4
        config.array.cols = 4
        config.array.dataflow = .inputStationary
        config.convention = .scaleSim
        let model = ArrayTimingModel(config: config)
        #expect(model == Self.model(.inputStationary, .scaleSim))
        #expect(model.layerCycles(Self.gemm).total == 30)
        config.array.overflow = .saturate
        #expect(
            SystolicArraySimulator(array: config.array)
                == SystolicArraySimulator(rows: 4, cols: 4, dataflow: .inputStationary, overflow: .saturate))
    }
}
