import AccsimTiming

extension Schedule {
    /// Every layer timed on the schedule's DRAM interface and counted, in node order. Layers run
    /// one after another; each result's cycles start at 0.
    public func results() -> [LayerResult] {
        let dma = DMACostModel(dram: hardware.dram)
        return layers.map { $0.result(dma: dma) }
    }
}
