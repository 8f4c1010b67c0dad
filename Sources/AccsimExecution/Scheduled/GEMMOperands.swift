import AccsimArithmetic
import AccsimMapping

/// One group of a conv or fully connected layer as the array sees it: the GEMM
/// `C[M×N] = A[M×K]·B[K×N]` with zero points already subtracted.
///
/// A row is an output pixel (row-major over OH, OW; one row for a fully connected layer), a K index
/// is a window element in the mapping's channel-major order `k = ic·KH·KW + ky·KW + kx` (so a
/// reduction chunk of whole input channels is one contiguous k range), an N index an output
/// channel of the group.
/// Window elements that fall in the padding are 0 (the same as padding with the input zero point).
package struct GEMMOperands: Sendable {
    package let m: Int
    package let k: Int
    package let n: Int
    /// Row-major M×K.
    package let a: [Int32]
    /// Row-major K×N.
    package let b: [Int32]

    /// The operands of group `group` of a convolution, for one sample `[1, H, W, Cin]`.
    static func conv2D(
        input: IntTensor, inputZeroPoint: Int32, weights: IntTensor, weightZeroPoints: [Int32],
        parameters: Conv2DParameters, group: Int
    ) -> GEMMOperands {
        let (inHeight, inWidth, inChannels) = (input.shape[1], input.shape[2], input.shape[3])
        let (outChannels, kernelHeight, kernelWidth, groupInChannels) = (
            weights.shape[0], weights.shape[1], weights.shape[2], weights.shape[3]
        )
        let p = parameters
        let outHeight =
            slidingWindowOutputExtent(
                input: inHeight, padBefore: p.padding.top, padAfter: p.padding.bottom, kernel: kernelHeight,
                stride: p.stride.height, dilation: p.dilation.height) ?? 0
        let outWidth =
            slidingWindowOutputExtent(
                input: inWidth, padBefore: p.padding.left, padAfter: p.padding.right, kernel: kernelWidth,
                stride: p.stride.width, dilation: p.dilation.width) ?? 0
        let groupOutChannels = outChannels / p.groups
        let m = outHeight * outWidth
        let taps = kernelHeight * kernelWidth
        let k = taps * groupInChannels
        let n = groupOutChannels
        let firstInChannel = group * groupInChannels
        var a = [Int32](repeating: 0, count: m * k)
        input.values.withUnsafeBufferPointer { x in
            a.withUnsafeMutableBufferPointer { out in
                for oy in 0..<outHeight {
                    for ox in 0..<outWidth {
                        let row = (oy * outWidth + ox) * k
                        for ky in 0..<kernelHeight {
                            let iy = oy * p.stride.height - p.padding.top + ky * p.dilation.height
                            guard iy >= 0 && iy < inHeight else { continue }
                            for kx in 0..<kernelWidth {
                                let ix = ox * p.stride.width - p.padding.left + kx * p.dilation.width
                                guard ix >= 0 && ix < inWidth else { continue }
                                let source = (iy * inWidth + ix) * inChannels + firstInChannel
                                let tap = ky * kernelWidth + kx
                                for ic in 0..<groupInChannels {
                                    out[row + ic * taps + tap] = x[source + ic] &- inputZeroPoint
                                }
                            }
                        }
                    }
                }
            }
        }
        var b = [Int32](repeating: 0, count: k * n)
        weights.values.withUnsafeBufferPointer { w in
            b.withUnsafeMutableBufferPointer { out in
                for column in 0..<n {
                    let oc = group * groupOutChannels + column
                    let zeroPoint =
                        weightZeroPoints.isEmpty ? 0 : weightZeroPoints[weightZeroPoints.count == 1 ? 0 : oc]
                    // OHWI weights: element (tap, ic) of filter oc sits at oc·k + tap·Cin_g + ic.
                    for tap in 0..<taps {
                        for ic in 0..<groupInChannels {
                            out[(ic * taps + tap) * n + column] = w[oc * k + tap * groupInChannels + ic] &- zeroPoint
                        }
                    }
                }
            }
        }
        return GEMMOperands(m: m, k: k, n: n, a: a, b: b)
    }

    /// The operands of a fully connected layer for one sample `[1, D]`: M = 1.
    static func fullyConnected(input: IntTensor, inputZeroPoint: Int32, weights: IntTensor, weightZeroPoints: [Int32])
        -> GEMMOperands
    {
        let (outputs, depth) = (weights.shape[0], weights.shape[1])
        let a = input.values.map { $0 &- inputZeroPoint }
        var b = [Int32](repeating: 0, count: depth * outputs)
        for o in 0..<outputs {
            let zeroPoint = weightZeroPoints.isEmpty ? 0 : weightZeroPoints[weightZeroPoints.count == 1 ? 0 : o]
            for d in 0..<depth { b[d * outputs + o] = weights.values[o * depth + d] &- zeroPoint }
        }
        return GEMMOperands(m: 1, k: depth, n: outputs, a: a, b: b)
    }

    /// The accumulators `C[M×N]` computed in the hardware's order: for each fold in `folds` (in
    /// order), the fold's partial sums start at 0 and add their products in k order with
    /// `overflow.add` (as the PEs do), then each partial sum is added to the accumulator buffer
    /// with `overflow.add`. Under `.wrap` the result equals any other order; under `.saturate` it
    /// is the hardware's.
    func accumulate(folds: [Fold], overflow: OverflowMode) -> [Int32] {
        var accumulators = [Int32](repeating: 0, count: m * n)
        accumulate(folds: folds, overflow: overflow, into: &accumulators)
        return accumulators
    }

    /// Adds the folds' partial sums into `accumulators` (M×N) when the operands are wider than
    /// the multipliers: each fold runs `activationSlices · weightSlices` passes
    /// (``MultiPass``), the PE register holds the exact fold partial `Σ_pass pass << 8·(i+j)`,
    /// which is added to the accumulator buffer with `overflow.add` (narrowed to int32 under
    /// `overflow`). Equal to the single-pass ``accumulate(folds:overflow:into:)`` under `wrap`
    /// always, and under `saturate` whenever no fold's running partial sum leaves int32 (a fold
    /// reduces at most `rows` products: |partial| ≤ rows · 2^17 · 2^16 for 16-bit operands).
    func accumulate(
        folds: [Fold], overflow: OverflowMode, activationSlices: Int, weightSlices: Int,
        into accumulators: inout [Int32]
    ) {
        if activationSlices == 1 && weightSlices == 1 {
            accumulate(folds: folds, overflow: overflow, into: &accumulators)
            return
        }
        for fold in folds {
            for row in fold.m {
                for column in fold.n {
                    var partial: Int64 = 0
                    for i in 0..<activationSlices {
                        for j in 0..<weightSlices {
                            var pass: Int64 = 0
                            for depth in fold.k {
                                let x = MultiPass.slice(a[row * k + depth], index: i, count: activationSlices, width: 8)
                                let w = MultiPass.slice(b[depth * n + column], index: j, count: weightSlices, width: 8)
                                pass += Int64(x) * Int64(w)
                            }
                            partial &+= pass << Int64(8 * (i + j))
                        }
                    }
                    accumulators[row * n + column] = overflow.add(
                        accumulators[row * n + column], overflow.narrow(partial))
                }
            }
        }
    }

    /// Adds the folds' partial sums into `accumulators` (M×N), in the order of ``accumulate(folds:overflow:)``.
    func accumulate(folds: [Fold], overflow: OverflowMode, into accumulators: inout [Int32]) {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                accumulators.withUnsafeMutableBufferPointer { c in
                    for fold in folds {
                        for row in fold.m {
                            for column in fold.n {
                                var partial: Int32 = 0
                                for depth in fold.k {
                                    partial = overflow.add(partial, a[row * k + depth] &* b[depth * n + column])
                                }
                                c[row * n + column] = overflow.add(c[row * n + column], partial)
                            }
                        }
                    }
                }
            }
        }
    }
}
