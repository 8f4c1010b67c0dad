import AccsimTiming

/// One DMA transfer of the schedule, between a DRAM region and an on-chip buffer.
public struct DMATransfer: Sendable, Hashable {
    /// Load (DRAM → buffer) or store (buffer → DRAM).
    public var direction: DMADirection
    /// The on-chip side.
    public var buffer: BufferKind
    /// The tensor the DRAM side belongs to.
    public var tensor: String
    /// DRAM address of the first byte.
    public var dramAddress: Int
    /// The DRAM access pattern (strided for a channel slice of an NHWC tensor).
    public var pattern: DMAPattern
    /// Buffer address of the first byte (the start of the buffer half, plus an offset when one
    /// step loads several tensors into the same buffer).
    public var sramAddress: Int
    /// Bank of the first byte: `sramAddress / bank_bytes_per_cycle mod banks`.
    public var bank: Int
    /// Which half of a double-buffered buffer (0 or 1; always 0 when single-buffered).
    public var half: Int
    /// Sequence number of the compute step that must have finished before this transfer starts:
    /// for a load, the last step that used the half it overwrites; for a store, the step whose
    /// results it stores. Nil when there is none.
    public var after: Int?

    /// A transfer as given.
    public init(
        direction: DMADirection, buffer: BufferKind, tensor: String, dramAddress: Int, pattern: DMAPattern,
        sramAddress: Int, bank: Int, half: Int, after: Int?
    ) {
        self.direction = direction
        self.buffer = buffer
        self.tensor = tensor
        self.dramAddress = dramAddress
        self.pattern = pattern
        self.sramAddress = sramAddress
        self.bank = bank
        self.half = half
        self.after = after
    }

    /// Bytes moved.
    public var bytes: Int { pattern.bytes }
}
