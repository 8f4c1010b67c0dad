import AccsimHardware

/// What one DMA transfer between DRAM and an on-chip buffer costs on the single DMA engine:
/// `latency_cycles + ceil(roundUp(bytes, burst_bytes) / bandwidth_bytes_per_cycle)` cycles. The
/// engine is busy for the whole time, latency included (one transfer in flight at a time).
public struct DMACostModel: Sendable, Hashable {
    /// Cycles before the first byte of a transfer arrives.
    public var latencyCycles: Int
    /// Bytes the engine moves per cycle once a transfer streams.
    public var bandwidthBytesPerCycle: Int
    /// Transfer granularity: every transfer is rounded up to whole bursts.
    public var burstBytes: Int

    /// A cost model with the given parameters (latency ≥ 0, bandwidth and burst ≥ 1).
    public init(latencyCycles: Int, bandwidthBytesPerCycle: Int, burstBytes: Int) {
        precondition(
            latencyCycles >= 0 && bandwidthBytesPerCycle >= 1 && burstBytes >= 1,
            "DMA parameters must be latency ≥ 0, bandwidth ≥ 1, burst ≥ 1")
        self.latencyCycles = latencyCycles
        self.bandwidthBytesPerCycle = bandwidthBytesPerCycle
        self.burstBytes = burstBytes
    }

    /// The cost model of a configured DRAM interface.
    public init(dram: DRAMConfig) {
        self.init(
            latencyCycles: dram.latencyCycles, bandwidthBytesPerCycle: dram.bandwidthBytesPerCycle,
            burstBytes: dram.burstBytes)
    }

    /// Cycles a transfer of `bytes` bytes occupies the engine.
    public func cycles(bytes: Int) -> Int {
        precondition(bytes >= 0, "a transfer cannot move a negative number of bytes")
        let rounded = (bytes + burstBytes - 1) / burstBytes * burstBytes
        return latencyCycles + (rounded + bandwidthBytesPerCycle - 1) / bandwidthBytesPerCycle
    }
}
