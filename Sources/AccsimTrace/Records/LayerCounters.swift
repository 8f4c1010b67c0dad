/// A layer's counters as a layer-end record carries them: cycles by kind first, then operation
/// and byte counts, in the fixed order of ``names`` (format version 1). A newer writer may append
/// counters; a reader keeps values it has no name for.
public struct LayerCounters: Sendable, Hashable {
    /// The counter names of format version 1, in order.
    public static let names: [String] = [
        "total_cycles", "prologue_cycles", "compute_cycles", "array_cycles", "requantizer_cycles", "vector_cycles",
        "stall_input_cycles", "stall_weight_cycles", "stall_output_cycles", "stall_vector_cycles", "epilogue_cycles",
        "macs", "requantizer_ops", "vector_ops", "dma_transfers", "compute_steps",
        "dram_read_bytes", "dram_write_bytes",
        "sram_input_read_bytes", "sram_input_write_bytes", "sram_weight_read_bytes", "sram_weight_write_bytes",
        "sram_output_read_bytes", "sram_output_write_bytes",
    ]

    /// How many of the leading counters are cycle counts (compared with a tolerance, or ignored,
    /// by ``TraceDiff``).
    public static let cycleCounterCount = 11

    /// The values, in the order of ``names``.
    public var values: [Int]

    /// Counters as given (in the order of ``names``).
    public init(values: [Int]) {
        self.values = values
    }

    /// The name of counter `index` (`counter_N` past the known ones).
    public static func name(at index: Int) -> String {
        index < names.count ? names[index] : "counter_\(index)"
    }

    /// The value of the counter named `name`, if present.
    public subscript(name: String) -> Int? {
        guard let index = Self.names.firstIndex(of: name), index < values.count else { return nil }
        return values[index]
    }
}
