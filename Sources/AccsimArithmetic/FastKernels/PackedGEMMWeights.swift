/// The signed 8-bit B operand of the fast GEMM (`K × N`, one group of a convolution or a fully
/// connected layer), packed once for one ``KernelPath``.
///
/// The stored operand is `s = w` for int8 weights and `s = w − 128` for uint8 weights (the byte
/// with its top bit flipped), so every `s` is in −128…127. Rows `K ..< kp` are zero, so they add
/// nothing to any dot product or column sum.
///
/// Layouts:
/// - every C path (``KernelPath/avx512vnni``, ``KernelPath/avxvnni``, ``KernelPath/avx2``,
///   ``KernelPath/neon``): ceil(N/16) blocks of 16 columns, `kp·16` bytes each; inside a block,
///   for each group of four k (`q = k/4`) 64 bytes holding column `c` at `q·64 + 4c + (k mod 4)` —
///   the operand order of `vpdpbusd` and of `sdot`/`usdot`. Columns past N are zero.
/// - ``KernelPath/portable``: one row of `kp` bytes per column (Bᵀ), k contiguous.
public struct PackedGEMMWeights: Sendable {
    /// The implementation the layout is for.
    public let path: KernelPath
    /// The reduction length K.
    public let k: Int
    /// K rounded up to a multiple of ``kAlignment`` (the row length of the A operand).
    public let kp: Int
    /// The number of columns N.
    public let n: Int
    /// `Σ_k s[k][j]` for every column j (wrapping int32; exact for K < 2^24).
    public let columnSums: [Int32]
    /// `128·Σ_k s[k][j]` (wrapping) on ``KernelPath/neon`` without I8MM, whose `sdot` kernel
    /// multiplies `a − 128` and adds these back; empty otherwise.
    let columnSums128: [Int32]
    /// The packed bytes (see the type's layouts).
    let storage: [Int8]

    /// The multiple K is padded to: 8 bytes, the portable kernel's step (VNNI needs 4).
    public static let kAlignment = 8

    /// `value` rounded up to a multiple of ``kAlignment``.
    static func paddedK(_ value: Int) -> Int { (value + kAlignment - 1) / kAlignment * kAlignment }

    /// Packs `n` columns of `k` stored 8-bit weights: column `j`, row `kk` is the byte at
    /// `source[j·columnStride + kk]`, read as int8 when `flipSign` is false and as uint8 (stored
    /// as byte XOR 0x80, i.e. `w − 128`) when it is true.
    init(path: KernelPath, k: Int, n: Int, source: UnsafeRawBufferPointer, columnStride: Int, flipSign: Bool) {
        precondition(
            k >= 0 && n >= 0 && (n == 0 || (n - 1) * columnStride + k <= source.count),
            "PackedGEMMWeights: \(n)×\(k) weights do not fit \(source.count) bytes")
        self.path = path
        self.k = k
        self.n = n
        let kp = Self.paddedK(k)
        self.kp = kp
        let flip: UInt8 = flipSign ? 0x80 : 0
        let count: Int
        count = path.usesBlockedLayout ? (n + 15) / 16 * 16 * kp : n * kp
        guard count > 0, let base = source.baseAddress else {
            storage = []
            columnSums = [Int32](repeating: 0, count: n)
            columnSums128 = path == .neon ? columnSums : []
            return
        }
        let src = base.assumingMemoryBound(to: UInt8.self)
        storage = [Int8](unsafeUninitializedCapacity: count) { out, initialized in
            let out = UnsafeMutableRawPointer(out.baseAddress!).assumingMemoryBound(to: UInt8.self)
            out.initialize(repeating: 0, count: count)
            if path.usesBlockedLayout {
                // Whole groups of 4 k as 32-bit words, the last partial group byte by byte.
                let quads = k / 4
                let flipWord = UInt32(flip) &* 0x0101_0101
                for j in 0..<n {
                    let column = src + j &* columnStride
                    let blockStart: Int = (j / 16) &* kp &* 16
                    let base = out + (blockStart &+ (j % 16) &* 4)
                    for q in 0..<quads {
                        let word = UnsafeRawPointer(column + 4 &* q).loadUnaligned(as: UInt32.self) ^ flipWord
                        UnsafeMutableRawPointer(base + q &* 64).storeBytes(of: word, as: UInt32.self)
                    }
                    for kk in (quads * 4)..<k { base[(kk >> 2) &* 64 &+ (kk & 3)] = column[kk] ^ flip }
                }
            } else {
                for j in 0..<n {
                    let column = src + j &* columnStride
                    let row = out + j &* kp
                    for kk in 0..<k { row[kk] = column[kk] ^ flip }
                }
            }
            initialized = count
        }
        var sums = [Int32](repeating: 0, count: n)
        for j in 0..<n {
            let column = src + j &* columnStride
            var sum: Int32 = 0
            for kk in 0..<k { sum &+= Int32(Int8(bitPattern: column[kk] ^ flip)) }
            sums[j] = sum
        }
        columnSums = sums
        columnSums128 = path == .neon && !KernelPath.neonHasI8MM ? sums.map { $0 &* 128 } : []
    }

    /// The packed bytes in bytes, for memory accounting.
    public var byteCount: Int { storage.count }
}
