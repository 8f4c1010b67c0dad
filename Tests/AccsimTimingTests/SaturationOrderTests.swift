import AccsimArithmetic
import AccsimHardware
import AccsimModel
import AccsimTestSupport
import AccsimTiming
import Testing

/// Under `.saturate` the result depends on the order of the additions; the stepped model adds in
/// the array's order (increasing `j`). Under `.wrap` it does not.
struct SaturationOrderTests {
    @Test func outputStationaryLongReductionCrossesInt32MaxMidway() {
        // One PE, int8 operands: 140 000 products 127·127 = 16 129 (running sum passes
        // Int32.max = 2 147 483 647 after 133 144 of them), then 20 000 products 127·(−128) = −16 256.
        // Exact sum: 140 000·16 129 − 20 000·16 256 = 2 258 060 000 − 325 120 000 = 1 932 940 000.
        // Array order: clamps at Int32.max, then subtracts 325 120 000 → 1 822 363 647.
        // Reversed order: never leaves int32 → the exact sum.
        let positives = 140_000
        let negatives = 20_000
        let k = positives + negatives
        let a = [Int32](repeating: 127, count: positives) + [Int32](repeating: -128, count: negatives)
        let b = [Int32](repeating: 127, count: k)
        let shape = GEMMShape(m: 1, k: k, n: 1)
        let reversed = Array((0..<k).reversed())

        let saturating = SystolicArraySimulator(rows: 1, cols: 1, dataflow: .outputStationary, overflow: .saturate)
            .run(a: a, b: b, shape: shape)
        #expect(saturating.output == [1_822_363_647])
        #expect(saturating.output == referenceGEMM(a: a, b: b, shape: shape, overflow: .saturate))
        let reversedSum = referenceGEMM(a: a, b: b, shape: shape, overflow: .saturate, reductionOrder: reversed)
        #expect(reversedSum == [1_932_940_000])
        #expect(saturating.cycles == TileCycles(preload: 0, stream: k, drain: 1))

        let wrapping = SystolicArraySimulator(rows: 1, cols: 1, dataflow: .outputStationary, overflow: .wrap)
            .run(a: a, b: b, shape: shape)
        #expect(wrapping.output == [1_932_940_000])
        #expect(referenceGEMM(a: a, b: b, shape: shape, overflow: .wrap, reductionOrder: reversed) == [1_932_940_000])
    }

    @Test(arguments: [Dataflow.weightStationary, .inputStationary])
    func stationaryColumnSumsDownwards(dataflow: Dataflow) {
        // An int8 column cannot overflow unless it has 131 072 rows or more (|product| ≤ 128² =
        // 16 384), so int16-range operands show the order here. Products down the column:
        // 32 767² = 1 073 676 289 three times, then 32 767·(−32 768) = −1 073 709 056.
        // Top-down: 2 147 352 578, then clamps at Int32.max, then 1 073 774 591.
        // Bottom-up: −1 073 709 056 + 3·1 073 676 289 = 2 147 319 811, exact.
        let shape = GEMMShape(m: 1, k: 4, n: 1)
        let a: [Int32] = [32_767, 32_767, 32_767, -32_768]
        let b: [Int32] = [32_767, 32_767, 32_767, 32_767]
        let bottomUp = [3, 2, 1, 0]

        let saturating = SystolicArraySimulator(rows: 6, cols: 3, dataflow: dataflow, overflow: .saturate)
            .run(a: a, b: b, shape: shape)
        #expect(saturating.output == [1_073_774_591])
        #expect(saturating.output == referenceGEMM(a: a, b: b, shape: shape, overflow: .saturate))
        let bottomUpSum = referenceGEMM(a: a, b: b, shape: shape, overflow: .saturate, reductionOrder: bottomUp)
        #expect(bottomUpSum == [2_147_319_811])

        let wrapping = SystolicArraySimulator(rows: 6, cols: 3, dataflow: dataflow, overflow: .wrap)
            .run(a: a, b: b, shape: shape)
        #expect(wrapping.output == [2_147_319_811])
        #expect(referenceGEMM(a: a, b: b, shape: shape, overflow: .wrap, reductionOrder: bottomUp) == [2_147_319_811])
    }

    @Test(arguments: Dataflow.allCases)
    func wrapIsOrderIndependentOnRandomOverflowingTiles(dataflow: Dataflow) {
        // int16-range operands over k up to 8 overflow int32 often; wrap agrees with any order.
        var rng = SeededGenerator(seed: 0x5A7)
        for _ in 0..<30 {
            let fold = FoldDimensions(rows: rng.int(in: 1...4), cols: rng.int(in: 1...4), stream: rng.int(in: 1...8))
            let shape = dataflow.shape(of: fold)
            let a = (0..<shape.m * shape.k).map { _ in Int32(rng.int(in: -32768...32767)) }
            let b = (0..<shape.k * shape.n).map { _ in Int32(rng.int(in: -32768...32767)) }
            let run = SystolicArraySimulator(rows: 4, cols: 4, dataflow: dataflow, overflow: .wrap)
                .run(a: a, b: b, shape: shape)
            let reversed = Array((0..<shape.k).reversed())
            #expect(run.output == referenceGEMM(a: a, b: b, shape: shape, overflow: .wrap, reductionOrder: reversed))
            let saturating = SystolicArraySimulator(rows: 4, cols: 4, dataflow: dataflow, overflow: .saturate)
                .run(a: a, b: b, shape: shape)
            #expect(saturating.output == referenceGEMM(a: a, b: b, shape: shape, overflow: .saturate))
        }
    }
}
