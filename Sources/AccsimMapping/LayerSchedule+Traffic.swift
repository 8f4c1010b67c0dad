import AccsimTiming

extension LayerSchedule {
    /// The layer's traffic, counted from its steps (see ``LayerTraffic``).
    public var traffic: LayerTraffic {
        var t = LayerTraffic()
        for step in steps {
            switch step.action {
            case .transfer(let transfer):
                t.transfers += 1
                let bytes = transfer.bytes
                switch (transfer.direction, transfer.buffer) {
                case (.load, .input):
                    t.dramInputReadBytes += bytes
                    t.input.writes += bytes
                case (.load, .weight):
                    t.dramWeightReadBytes += bytes
                    t.weight.writes += bytes
                case (.load, .parameters):
                    t.dramBiasReadBytes += bytes
                case (.load, .output):
                    t.dramPartialSumReadBytes += bytes
                    t.output.writes += bytes
                case (.store, .output):
                    t.dramOutputWriteBytes += bytes
                    t.output.reads += bytes
                case (.store, .input):
                    t.dramOutputWriteBytes += bytes
                    t.input.reads += bytes
                case (.store, .weight):
                    t.dramOutputWriteBytes += bytes
                    t.weight.reads += bytes
                case (.store, .parameters):
                    t.dramOutputWriteBytes += bytes
                }
            case .compute(let compute):
                let a = compute.accesses
                t.input.reads += a.inputBufferReads
                t.weight.reads += a.weightBufferReads
                t.output.reads += a.outputBufferReads
                t.output.writes += a.outputBufferWrites
                t.macs += a.macs
                t.requantizerOps += a.requantizerOps
                t.vectorOps += a.vectorOps
            }
        }
        return t
    }
}
