/// A small deterministic random number generator (SplitMix64): the same seed gives the same
/// sequence on every platform and release, which keeps generated inputs and weights reproducible.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// The generator of `seed` after `draws` calls of ``next()``, reached in one step: the state
    /// advances by a constant per draw, so a generated batch can be produced chunk by chunk with
    /// exactly the values of the whole (``ModelInputs/seeded(for:samples:seed:)``).
    public init(seed: UInt64, skipping draws: UInt64) {
        state = seed &+ Self.increment &* draws
    }

    private static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

    public mutating func next() -> UInt64 {
        state &+= Self.increment
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value uniformly distributed in `range`, by rejection-free modulo of a 64-bit draw
    /// (the bias is below 2^−32 for the ranges accsim uses and the sequence is fully specified).
    public mutating func nextInt32(in range: ClosedRange<Int32>) -> Int32 {
        let span = UInt64(Int64(range.upperBound) - Int64(range.lowerBound) + 1)
        return Int32(Int64(range.lowerBound) + Int64(next() % span))
    }
}
