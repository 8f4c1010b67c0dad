/// The order of the SRAM-tile loops of a GEMM layer. The reduction (k-chunk) loop is always
/// innermost, so partial sums stay in the accumulator buffer until their output tile is complete.
public enum LoopOrder: String, Sendable, Hashable, Codable, CaseIterable {
    /// For each n-tile (filters): for each m-tile (pixels): for each k-chunk.
    case weightsOuter = "weights_outer"
    /// For each m-tile (pixels): for each n-tile (filters): for each k-chunk.
    case inputsOuter = "inputs_outer"
}
