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
