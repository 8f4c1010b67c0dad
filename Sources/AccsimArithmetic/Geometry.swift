/// A height × width pair (kernel window, stride or dilation). Encoded as `[height, width]`.
public struct Size2D: Sendable, Hashable, Codable {
    public var height: Int
    public var width: Int

    public init(height: Int, width: Int) {
        self.height = height
        self.width = width
    }

    /// The same value on both axes.
    public init(_ both: Int) { self.init(height: both, width: both) }

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        height = try container.decode(Int.self)
        width = try container.decode(Int.self)
        if !container.isAtEnd {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected [height, width]")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(height)
        try container.encode(width)
    }
}

/// Explicit spatial padding. Encoded as `[top, bottom, left, right]`.
public struct Padding2D: Sendable, Hashable, Codable {
    public var top: Int
    public var bottom: Int
    public var left: Int
    public var right: Int

    public init(top: Int, bottom: Int, left: Int, right: Int) {
        self.top = top
        self.bottom = bottom
        self.left = left
        self.right = right
    }

    /// No padding.
    public static let zero = Padding2D(top: 0, bottom: 0, left: 0, right: 0)

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        top = try container.decode(Int.self)
        bottom = try container.decode(Int.self)
        left = try container.decode(Int.self)
        right = try container.decode(Int.self)
        if !container.isAtEnd {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected [top, bottom, left, right]")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(top)
        try container.encode(bottom)
        try container.encode(left)
        try container.encode(right)
    }

    /// Whether every side is non-negative.
    public var isNonNegative: Bool { top >= 0 && bottom >= 0 && left >= 0 && right >= 0 }
}

/// Output extent of a sliding window: `(in + padBefore + padAfter − ((k − 1)·d + 1)) div s + 1`,
/// or nil when the effective window does not fit the padded input or any term overflows.
public func slidingWindowOutputExtent(
    input: Int, padBefore: Int, padAfter: Int, kernel: Int, stride: Int, dilation: Int
) -> Int? {
    guard stride > 0, kernel > 0, dilation > 0, input >= 0, padBefore >= 0, padAfter >= 0 else { return nil }
    let (span, spanOverflow) = (kernel - 1).multipliedReportingOverflow(by: dilation)
    let (padding, paddingOverflow) = padBefore.addingReportingOverflow(padAfter)
    let (padded, paddedOverflow) = input.addingReportingOverflow(padding)
    guard !spanOverflow, !paddingOverflow, !paddedOverflow, span < padded else { return nil }
    return (padded - span - 1) / stride + 1
}
