/// The bytes one SRAM tile of a given size needs in each buffer (the largest tile of that size,
/// edge and halo effects included).
struct TileRequirement: Sendable, Hashable {
    /// The input tile: for a conv, the input rows the output rows need (halo included, clipped to
    /// the image) × W × input channels of the chunk; for an FC, the k-chunk.
    var input: Int
    /// The weight tile: `kT · nT` elements.
    var weight: Int
    /// The accumulators: `mT · nT` int32.
    var output: Int

    /// Whether the requirement fits every buffer (``shortfalls(input:weight:output:)`` is empty),
    /// without formatting the messages.
    func fits(input inputSpace: BufferSpace, weight weightSpace: BufferSpace, output outputSpace: BufferSpace) -> Bool {
        input <= inputSpace.tileBytes && weight <= weightSpace.tileBytes && output <= outputSpace.tileBytes
    }

    /// The buffers the requirement overflows, as shortfall messages (empty when it fits).
    func shortfalls(input inputSpace: BufferSpace, weight weightSpace: BufferSpace, output outputSpace: BufferSpace)
        -> [(key: String, message: String)]
    {
        var found: [(String, String)] = []
        if input > inputSpace.tileBytes { found.append((inputSpace.key, inputSpace.shortfall(needs: input))) }
        if weight > weightSpace.tileBytes { found.append((weightSpace.key, weightSpace.shortfall(needs: weight))) }
        if output > outputSpace.tileBytes { found.append((outputSpace.key, outputSpace.shortfall(needs: output))) }
        return found
    }
}
