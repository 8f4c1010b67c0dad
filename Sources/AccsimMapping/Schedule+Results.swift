import AccsimTiming

extension Schedule {
    /// Every layer timed on the schedule's DRAM interface and counted, in node order. Layers run
    /// one after another; each result's cycles start at 0.
    ///
    /// Layers with the same mapping problem and tiling (ResNet repeats its shapes) have the same
    /// steps up to names and addresses, so they are timed once and share the result.
    public func results() -> [LayerResult] {
        let dma = DMACostModel(dram: hardware.dram)
        var known: [RepeatKey: LayerResult] = [:]
        return layers.map { layer in
            guard let key = RepeatKey(layer) else { return layer.result(dma: dma) }
            if var result = known[key] {
                result.name = layer.name
                return result
            }
            let result = layer.result(dma: dma)
            known[key] = result
            return result
        }
    }

    /// Every layer's performance, in node order, from its result (``results()``): repeated
    /// layers (the same mapping problem and tiling) share it, as their steps count the same.
    public func performance(_ results: [LayerResult]) -> [LayerPerformance] {
        var known: [RepeatKey: LayerPerformance] = [:]
        return zip(layers, results).map { layer, result in
            guard let key = RepeatKey(layer) else {
                return LayerPerformance(layer: layer, result: result, hardware: hardware)
            }
            if let performance = known[key] { return performance }
            let performance = LayerPerformance(layer: layer, result: result, hardware: hardware)
            known[key] = performance
            return performance
        }
    }
}

/// What makes two GEMM layers of one schedule step for step alike apart from tensor names, DRAM
/// addresses and sequence numbers: the mapping problem (``Mapper/ChoiceMemo/key(_:)``), the
/// tiling and the search's record of it.
private struct RepeatKey: Hashable {
    var lowering: GEMMLowering
    var tiling: GEMMTiling
    var score: MappingScore
    var candidates: Int
    var evaluated: Int
    var steps: Int

    init?(_ layer: LayerSchedule) {
        guard let plan = layer.gemm else { return nil }
        lowering = Mapper.ChoiceMemo.key(plan.lowering)
        tiling = plan.tiling
        score = plan.score
        candidates = plan.candidates
        evaluated = plan.evaluated
        steps = layer.steps.count
    }
}
