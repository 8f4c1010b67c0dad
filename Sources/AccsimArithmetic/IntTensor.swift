/// A dense integer tensor as the reference kernels see it: a shape, the element type the values
/// belong to, and the values widened to `Int32` in row-major (C) order. Activations are NHWC.
public struct IntTensor: Sendable, Hashable {
    public var shape: [Int]
    public var elementType: ElementType
    public var values: [Int32]

    /// Creates a tensor; `values.count` must equal the product of `shape`.
    public init(shape: [Int], elementType: ElementType, values: [Int32]) {
        precondition(values.count == shape.reduce(1, *), "IntTensor: \(values.count) values for shape \(shape)")
        self.shape = shape
        self.elementType = elementType
        self.values = values
    }

    /// A tensor of the given shape filled with `value`.
    public init(shape: [Int], elementType: ElementType, repeating value: Int32) {
        self.init(shape: shape, elementType: elementType, values: [Int32](repeating: value, count: shape.reduce(1, *)))
    }

    /// Number of elements.
    public var count: Int { values.count }
}
