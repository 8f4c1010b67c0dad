import AccsimArithmetic

/// A dense array as stored in a NumPy `.npy` file: shape, dtype and the raw little-endian element
/// bytes in C (row-major) order. The element count always matches the shape.
public struct NPYArray: Sendable, Hashable {
    /// The shape; `[]` is a scalar (one element). Extents may be zero.
    public let shape: [Int]
    /// The element type.
    public let dtype: NPYDType
    /// The elements, little-endian, row-major: `elementCount × dtype.itemSize` bytes.
    public let bytes: [UInt8]

    /// An array over raw little-endian bytes; `bytes.count` must equal the element count times
    /// the item size.
    public init(shape: [Int], dtype: NPYDType, bytes: [UInt8]) throws(ModelError) {
        let count = try Self.elementCount(of: shape)
        guard count.multipliedReportingOverflow(by: dtype.itemSize) == (bytes.count, false) else {
            throw ModelError(
                field: "shape",
                "shape \(shape) of \(dtype) needs \(count) elements, got \(bytes.count) bytes (\(dtype.itemSize) per element)"
            )
        }
        self.shape = shape
        self.dtype = dtype
        self.bytes = bytes
    }

    /// Number of elements (the product of the shape).
    public var elementCount: Int { bytes.count / dtype.itemSize }

    /// The product of `shape`, checked: extents non-negative, no overflow, at most 32 dimensions.
    static func elementCount(of shape: [Int]) throws(ModelError) -> Int {
        guard shape.count <= 32 else {
            throw ModelError(field: "shape", "\(shape.count) dimensions are more than the 32 accsim supports")
        }
        var count = 1
        for extent in shape {
            guard extent >= 0 else { throw ModelError(field: "shape", "shape \(shape) has a negative extent") }
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            guard !overflow, product <= 1 << 48 else { throw ModelError(field: "shape", "shape \(shape) is too large") }
            count = product
        }
        return count
    }
}
