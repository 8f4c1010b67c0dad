import AccsimArithmetic
import AccsimTiming

/// SplitMix64: the same seed gives the same shapes and operands on every platform.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `range` (modulo bias below 2^−32 for the small ranges used here).
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    /// `count` int8 values.
    mutating func int8s(_ count: Int) -> [Int32] {
        (0..<count).map { _ in Int32(int(in: -128...127)) }
    }
}

/// The plain triple-loop GEMM `C[m×n] = A[m×k] · B[k×n]`, adding products to 0 in the order of
/// `reductionOrder` (increasing `j` unless told otherwise) with `overflow.add`.
func referenceGEMM(
    a: [Int32], b: [Int32], shape: GEMMShape, overflow: OverflowMode = .wrap, reductionOrder: [Int]? = nil
) -> [Int32] {
    let order = reductionOrder ?? Array(0..<shape.k)
    var c = [Int32](repeating: 0, count: shape.m * shape.n)
    for i in 0..<shape.m {
        for f in 0..<shape.n {
            var acc: Int32 = 0
            for j in order { acc = overflow.add(acc, a[i * shape.k + j] * b[j * shape.n + f]) }
            c[i * shape.n + f] = acc
        }
    }
    return c
}

/// Random int8 operands for `shape`, then the stepped model's run of them.
func steppedRun(
    _ simulator: SystolicArraySimulator, shape: GEMMShape, rng: inout SplitMix64
) -> (a: [Int32], b: [Int32], tile: SteppedTile) {
    let a = rng.int8s(shape.m * shape.k)
    let b = rng.int8s(shape.k * shape.n)
    return (a, b, simulator.run(a: a, b: b, shape: shape))
}
