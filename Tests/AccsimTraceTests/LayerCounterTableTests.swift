import AccsimMapping
import AccsimTrace
import Testing

/// The trace format's layer-end counters (format v1) come from the counter table.
@Suite struct LayerCounterTableTests {
    /// Each of the 24 names of format v1 is the trace name of exactly one table row, so the
    /// recorder never writes a counter it cannot fill.
    @Test func everyTraceCounterHasATableRow() {
        let traced = LayerPerformance.counters.compactMap(\.traceName)
        #expect(LayerCounters.names.count == 24)
        for name in LayerCounters.names {
            #expect(traced.filter { $0 == name }.count == 1, "\(name)")
        }
        #expect(Set(traced) == Set(LayerCounters.names))
    }
}
