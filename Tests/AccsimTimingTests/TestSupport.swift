import AccsimArithmetic
import AccsimModel
import AccsimTestSupport
import AccsimTiming

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
    _ simulator: SystolicArraySimulator, shape: GEMMShape, rng: inout SeededGenerator
) -> (a: [Int32], b: [Int32], tile: SteppedTile) {
    let a = rng.int8s(shape.m * shape.k)
    let b = rng.int8s(shape.k * shape.n)
    return (a, b, simulator.run(a: a, b: b, shape: shape))
}
