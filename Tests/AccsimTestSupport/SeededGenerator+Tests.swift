import AccsimModel

/// The tests' seeded draws, on the one SplitMix64 of the project (``SeededGenerator``, which also
/// generates `accsim run`'s inputs): the same seed gives the same values on every platform.
extension SeededGenerator {
    /// Uniform in `range` (modulo bias below 2^−32 for the small ranges the tests use).
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    /// Uniform in `0..<bound`.
    public mutating func next(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    /// `count` int8 values.
    public mutating func int8s(_ count: Int) -> [Int32] {
        (0..<count).map { _ in Int32(int(in: -128...127)) }
    }
}
