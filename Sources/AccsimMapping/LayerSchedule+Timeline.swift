import AccsimTiming

extension LayerSchedule {
    /// The layer's steps as timeline input: dependencies become indices into ``steps``.
    public var timelineSteps: [TimelineStep] {
        guard let first = steps.first?.sequence else { return [] }
        return steps.map { step in
            switch step.action {
            case .transfer(let transfer):
                return .transfer(
                    TimelineTransfer(
                        direction: transfer.direction, buffer: transfer.buffer, bytes: transfer.bytes,
                        after: transfer.after.map { $0 - first }))
            case .compute(let compute):
                return .compute(
                    TimelineCompute(
                        unit: compute.unit, cycles: compute.cycles, waitsFor: compute.waitsFor.map { $0 - first }))
            }
        }
    }

    /// Times the layer on a DMA engine with costs `dma` and counts its traffic.
    public func result(dma: DMACostModel) -> LayerResult {
        let timeline: TimelineResult
        do {
            timeline = try Timeline(dma: dma).run(timelineSteps)
        } catch {
            // The emitter only names earlier steps of the right kind; anything else is a mapper bug.
            preconditionFailure("layer '\(name)': malformed schedule: \(error)")
        }
        var array = 0
        var requantizer = 0
        var vector = 0
        for step in steps {
            guard let compute = step.compute else { continue }
            array += compute.arrayCycles
            requantizer += compute.requantizerCycles
            vector += compute.vectorCycles
        }
        return LayerResult(
            name: name, timeline: timeline, arrayCycles: array, requantizerCycles: requantizer,
            vectorCycles: vector, traffic: traffic)
    }
}
