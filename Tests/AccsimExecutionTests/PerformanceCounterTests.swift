import AccsimHardware
import AccsimMapping
import AccsimModel
import Testing

@testable import AccsimExecution

/// The counter table (``LayerPerformance/counters``) against values derived by hand.
@Suite struct PerformanceCounterTests {
    /// On an 8×8 weight-stationary array a GEMM of reduction K and N output channels runs
    /// ⌈K/8⌉·⌈N/8⌉ folds per tile. digits: conv1 K = 3·3·1 = 9, N = 16 → 2·2 = 4; conv2
    /// K = 3·3·16 = 144, N = 32 → 18·4 = 72; fc K = 32, N = 10 → 4·2 = 8 (one tile each, the
    /// whole layer fits the buffers); the pool and mean layers run on the vector unit: 0.
    @Test func arrayFoldsOfDigitsOnEightByEight() throws {
        let graph = try QModelReader.read(path: ModelFiles.path("digits.q"))
        let hardware = try HardwareConfigLoader.load("8x8").config
        let performance = try HardwareSimulation(graph: graph, hardware: hardware).performance
        #expect(performance.map(\.arrayFolds) == [4, 0, 72, 0, 8])
        #expect(LayerPerformance.total(performance, hardware: hardware).arrayFolds == 84)
        let counter = try #require(LayerPerformance.counter(named: "array_folds"))
        #expect(counter.value(performance[2]) == .int(72))
        #expect(counter.unit == .count)
    }

    /// Fill/drain cycles, by hand. Native weight stationary preloads a fold's `k` weight rows and
    /// has no drain (docs/timing.md), so a layer fills for Σ over folds of the fold's k: with one
    /// tile per layer on 8×8 that is K per column chunk · ⌈N/8⌉. digits: conv1 9 · 2 = 18, conv2
    /// 144 · 4 = 576, fc 32 · 2 = 64, pool and mean 0; total 658. Output stationary has no
    /// preload and drains R = 8 rows per fold, so there it is 8 · the layer's folds.
    @Test func arrayFillDrainOfDigitsOnEightByEight() throws {
        let graph = try QModelReader.read(path: ModelFiles.path("digits.q"))
        let hardware = try HardwareConfigLoader.load("8x8").config
        let performance = try HardwareSimulation(graph: graph, hardware: hardware).performance
        let counter = try #require(LayerPerformance.counter(named: "cycles.array_fill_drain"))
        #expect(performance.map { counter.value($0) } == [18, 0, 576, 0, 64].map(PerformanceCounter.Value.int))
        #expect(counter.value(LayerPerformance.total(performance, hardware: hardware)) == .int(658))
        #expect(counter.unit == .cycles)
        #expect(performance.allSatisfy { $0.cycles.arrayFillDrain <= $0.cycles.array })

        let outputStationary = try HardwareConfigLoader.load("8x8", overrides: ["array.dataflow=output_stationary"])
            .config
        let os = try HardwareSimulation(graph: graph, hardware: outputStationary).performance
        #expect(os.map(\.cycles.arrayFillDrain) == os.map { 8 * $0.arrayFolds })
        #expect(os.map(\.arrayFolds).reduce(0, +) > 0)
    }

    /// Every counter has one name, and the report's names are unique after nesting.
    @Test func namesAreUnique() {
        let names = LayerPerformance.counters.map(\.name)
        #expect(Set(names).count == names.count)
        let csv = LayerPerformance.counters.compactMap(\.csvColumn)
        #expect(Set(csv).count == csv.count)
        let trace = LayerPerformance.counters.compactMap(\.traceName)
        #expect(Set(trace).count == trace.count)
    }
}

/// ``LayerPerformance/total(_:hardware:)`` sums what the table stores and recomputes the rest.
@Suite struct PerformanceTotalTests {
    /// Every integer counter stored in a property is summed over the layers; the counters that are
    /// not summed are exactly the ratios, the derived sums, the latency and the energy.
    @Test func totalSumsEveryStoredCounter() throws {
        let graph = try QModelReader.read(path: ModelFiles.path("digits.q"))
        let hardware = try HardwareConfigLoader.load("8x8").config
        let layers = try HardwareSimulation(graph: graph, hardware: hardware).performance
        let total = LayerPerformance.total(layers, hardware: hardware)
        let notSummed = LayerPerformance.counters.filter { $0.summed == nil }.map(\.name)
        #expect(
            notSummed == [
                "utilization", "mapping_efficiency", "sram.read_bytes", "sram.write_bytes", "dram.bytes", "latency_us",
                "energy_pj",
            ])
        for counter in LayerPerformance.counters where counter.summed != nil {
            let sum = layers.reduce(0) { $0 + counter.value($1).integer }
            #expect(counter.value(total) == .int(sum), "\(counter.name)")
        }
        // The README example's totals (8x8, digits): 5,812 cycles, 7,192 DRAM bytes read,
        // 1,834 written; the derived counters follow from the summed ones.
        #expect(total.cycles.total == 5812)
        #expect(total.dram.bytes == 7192 + 1834)
        #expect(
            total.sram.readBytes == total.sram.input.readBytes + total.sram.weight.readBytes
                + total.sram.output.readBytes)
    }
}
