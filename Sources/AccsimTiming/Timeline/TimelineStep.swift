/// One step of a layer's timeline input: a DMA transfer or a compute step, listed in schedule
/// order. Dependencies name earlier steps by their index in the list.
public enum TimelineStep: Sendable, Hashable {
    /// A DMA transfer.
    case transfer(TimelineTransfer)
    /// A compute step.
    case compute(TimelineCompute)
}

/// A DMA transfer on the single DMA engine, which serves transfers in list order.
public struct TimelineTransfer: Sendable, Hashable {
    /// Load (DRAM → buffer) or store (buffer → DRAM).
    public var direction: DMADirection
    /// The buffer the transfer fills (load) or drains (store); decides the stall cause of a
    /// compute step that waited for it.
    public var buffer: BufferKind
    /// Bytes moved.
    public var bytes: Int
    /// The index of the compute step that must have finished before the transfer may start, if
    /// any: for a load, the last step that used the buffer half it overwrites; for a store, the
    /// step that produced the data.
    public var after: Int?

    /// A transfer of `bytes` bytes, starting no earlier than the end of compute step `after`.
    public init(direction: DMADirection, buffer: BufferKind, bytes: Int, after: Int? = nil) {
        self.direction = direction
        self.buffer = buffer
        self.bytes = bytes
        self.after = after
    }
}

/// A compute step on the array or the vector unit. Compute steps run one after another, in list
/// order.
public struct TimelineCompute: Sendable, Hashable {
    /// The unit that computes.
    public var unit: ComputeUnit
    /// Cycles the step takes once started.
    public var cycles: Int
    /// Indices of the transfers that must have completed before the step may start: its loads,
    /// and the store that frees the output buffer half it writes.
    public var waitsFor: [Int]

    /// A compute step of `cycles` cycles on `unit`, waiting for the transfers `waitsFor`.
    public init(unit: ComputeUnit, cycles: Int, waitsFor: [Int] = []) {
        self.unit = unit
        self.cycles = cycles
        self.waitsFor = waitsFor
    }
}
