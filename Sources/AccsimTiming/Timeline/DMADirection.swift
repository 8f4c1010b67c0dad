/// Which way a DMA transfer moves data.
public enum DMADirection: String, Sendable, Hashable, Codable, CaseIterable {
    /// DRAM → on-chip buffer.
    case load
    /// On-chip buffer → DRAM.
    case store
}
