import CAccsimKernels

extension FastKernels {
    /// `C[m × columns] = offsets[columns] + A[m × kp] · B[kp × columns]` in wrapping int32, for the
    /// column range `columns` of `weights` (its lower bound a multiple of 16), on the weights' path.
    ///
    /// - `a`: unsigned bytes, row `i` at `a + i·lda`, `weights.kp` bytes used per row.
    /// - `offsets`: one value per column of `columns`, added to every row.
    /// - `c`: row `i` at `c + i·ldc`; columns `0 ..< columns.count` are written.
    static func gemm(
        a: UnsafePointer<UInt8>, lda: Int, weights: PackedGEMMWeights, columns: Range<Int>,
        offsets: UnsafePointer<Int32>, c: UnsafeMutablePointer<Int32>, ldc: Int, m: Int
    ) {
        precondition(
            columns.lowerBound % 16 == 0 && columns.upperBound <= weights.n,
            "gemm: column range \(columns) of \(weights.n)")
        guard m > 0, !columns.isEmpty else { return }
        weights.storage.withUnsafeBufferPointer { storage in
            guard let base = storage.baseAddress else {
                // K = 0: every dot product is empty.
                for i in 0..<m { (c + i &* ldc).update(from: offsets, count: columns.count) }
                return
            }
            let b = base + columns.lowerBound &* weights.kp
            let kp = weights.kp
            let n = columns.count
            switch weights.path {
            case .avx512vnni:
                #if arch(x86_64)
                accsim_gemm_u8s8_vnni(a, lda, b, kp, offsets, c, ldc, m, n)
                #else
                preconditionFailure("gemm: the avx512vnni path exists only on x86-64")
                #endif
            case .avxvnni:
                #if arch(x86_64)
                accsim_gemm_u8s8_avxvnni(a, lda, b, kp, offsets, c, ldc, m, n)
                #else
                preconditionFailure("gemm: the avxvnni path exists only on x86-64")
                #endif
            case .avx2:
                #if arch(x86_64)
                accsim_gemm_u8s8_avx2(a, lda, b, kp, offsets, c, ldc, m, n)
                #else
                preconditionFailure("gemm: the avx2 path exists only on x86-64")
                #endif
            case .neon:
                #if arch(arm64)
                if KernelPath.neonHasI8MM {
                    accsim_gemm_u8s8_neon(a, lda, b, kp, offsets, nil, c, ldc, m, n, 1)
                } else {
                    weights.columnSums128.withUnsafeBufferPointer { sums in
                        accsim_gemm_u8s8_neon(
                            a, lda, b, kp, offsets, sums.baseAddress! + columns.lowerBound, c, ldc, m, n, 0)
                    }
                }
                #else
                preconditionFailure("gemm: the neon path exists only on AArch64")
                #endif
            case .portable:
                portableGEMM(a: a, lda: lda, b: b, kp: kp, offsets: offsets, c: c, ldc: ldc, m: m, n: n)
            }
        }
    }

    /// The portable GEMM on the Bᵀ layout (one `kp`-byte row per column): tiles of 2 rows × 4
    /// columns; each step of 8 k widens 8 bytes of each operand to 16-bit lanes, multiplies them
    /// (exact: |a·s| ≤ 255·128 < 2^15) and adds adjacent product pairs into 32-bit lanes.
    static func portableGEMM(
        a: UnsafePointer<UInt8>, lda: Int, b: UnsafePointer<Int8>, kp: Int, offsets: UnsafePointer<Int32>,
        c: UnsafeMutablePointer<Int32>, ldc: Int, m: Int, n: Int
    ) {
        var row = 0
        while row < m {
            let rows = min(2, m &- row)
            let a0 = a + row &* lda
            let a1 = rows == 2 ? a0 + lda : a0
            let c0 = c + row &* ldc
            var column = 0
            while column < n {
                let columns = min(4, n &- column)
                // Short tiles reuse a valid column; only the real ones are stored.
                let b0 = b + column &* kp
                let b1 = columns > 1 ? b0 + kp : b0
                let b2 = columns > 2 ? b0 + 2 &* kp : b0
                let b3 = columns > 3 ? b0 + 3 &* kp : b0
                var s00 = SIMD4<Int32>()
                var s01 = SIMD4<Int32>()
                var s02 = SIMD4<Int32>()
                var s03 = SIMD4<Int32>()
                var s10 = SIMD4<Int32>()
                var s11 = SIMD4<Int32>()
                var s12 = SIMD4<Int32>()
                var s13 = SIMD4<Int32>()
                var k = 0
                while k < kp {
                    let x0 = widenUnsigned(a0 + k)
                    let x1 = widenUnsigned(a1 + k)
                    let w0 = widenSigned(b0 + k)
                    let w1 = widenSigned(b1 + k)
                    let w2 = widenSigned(b2 + k)
                    let w3 = widenSigned(b3 + k)
                    s00 &+= pairSums(x0 &* w0)
                    s01 &+= pairSums(x0 &* w1)
                    s02 &+= pairSums(x0 &* w2)
                    s03 &+= pairSums(x0 &* w3)
                    s10 &+= pairSums(x1 &* w0)
                    s11 &+= pairSums(x1 &* w1)
                    s12 &+= pairSums(x1 &* w2)
                    s13 &+= pairSums(x1 &* w3)
                    k &+= 8
                }
                let first = SIMD4(s00.wrappedSum(), s01.wrappedSum(), s02.wrappedSum(), s03.wrappedSum())
                let second = SIMD4(s10.wrappedSum(), s11.wrappedSum(), s12.wrappedSum(), s13.wrappedSum())
                for j in 0..<columns {
                    let offset = offsets[column &+ j]
                    c0[column &+ j] = first[j] &+ offset
                    if rows == 2 { c0[ldc &+ column &+ j] = second[j] &+ offset }
                }
                column &+= 4
            }
            row &+= 2
        }
    }

    /// Eight unsigned bytes widened to 16-bit lanes.
    @inline(__always)
    private static func widenUnsigned(_ pointer: UnsafePointer<UInt8>) -> SIMD8<Int16> {
        SIMD8<Int16>(truncatingIfNeeded: UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<UInt8>.self))
    }

    /// Eight signed bytes widened to 16-bit lanes.
    @inline(__always)
    private static func widenSigned(_ pointer: UnsafePointer<Int8>) -> SIMD8<Int16> {
        SIMD8<Int16>(truncatingIfNeeded: UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Int8>.self))
    }

    /// Lanes `2i` and `2i+1` of `products` sign-extended and added into lane `i`.
    @inline(__always)
    private static func pairSums(_ products: SIMD8<Int16>) -> SIMD4<Int32> {
        let words = unsafeBitCast(products, to: SIMD4<Int32>.self)
        return ((words &<< 16) &>> 16) &+ (words &>> 16)
    }
}
