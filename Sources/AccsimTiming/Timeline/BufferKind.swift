/// The on-chip memory a DMA transfer reads or writes.
public enum BufferKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// The input (activation) SRAM buffer.
    case input
    /// The weight SRAM buffer.
    case weight
    /// The output / accumulator SRAM buffer.
    case output
    /// The requantizer's per-channel parameter memory (the int32 bias). Not one of the three SRAM
    /// buffers: it has no capacity check, no banks and no SRAM traffic counters.
    case parameters
}
