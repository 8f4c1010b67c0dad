/// The dimensions of a matrix product `C[m×n] = A[m×k] · B[k×n]`.
///
/// A layer lowered to the array is such a product (A = im2col'd activations: `m` output pixels ×
/// `k` window elements; B = weights: `k` × `n` filters), and so is every tile (one fold of the
/// array) of it.
public struct GEMMShape: Sendable, Hashable, CustomStringConvertible {
    /// Rows of A and C: output pixels.
    public var m: Int
    /// The reduction: columns of A, rows of B.
    public var k: Int
    /// Columns of B and C: filters.
    public var n: Int

    /// A product of `m × k` by `k × n`.
    public init(m: Int, k: Int, n: Int) {
        self.m = m
        self.k = k
        self.n = n
    }

    /// Multiply-accumulate operations the product needs: `m · k · n`.
    public var macs: Int { m * k * n }

    /// Whether every dimension is at least 1.
    public var isNonEmpty: Bool { m >= 1 && k >= 1 && n >= 1 }

    /// `m×k×n`, e.g. `4×6×5`.
    public var description: String { "\(m)×\(k)×\(n)" }
}
