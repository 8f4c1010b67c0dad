/// Attributes of a 2-D convolution over an NHWC input with OHWI weights `[Cout, KH, KW, Cin/groups]`.
///
/// `acc[oc] = bias[oc] + Σ (w − zp_w[oc])·(x − zp_x)` over the in-image taps (a tap in the padding
/// contributes nothing, which equals padding with the input zero point), then the requantizer.
/// Grouped convolution splits the input channels into `groups` equal parts; output channel `oc`
/// belongs to group `oc / (Cout / groups)`. Depthwise convolution is `groups == Cin` with a depth
/// multiplier `Cout / Cin`: output channel `oc` reads input channel `oc / multiplier`.
public struct Conv2DParameters: Sendable, Hashable, Codable {
    public var stride: Size2D
    public var dilation: Size2D
    public var padding: Padding2D
    public var groups: Int
    public var requantizer: Requantizer
    /// The accumulator type: nil or `int32` (the default), or `int64` (LiteRT's int16x8 kernels,
    /// whose biases are int64). Stored only when set, so int32 models keep their bytes.
    public var accumulator: ElementType?

    public init(
        stride: Size2D = Size2D(1), dilation: Size2D = Size2D(1), padding: Padding2D = .zero, groups: Int = 1,
        requantizer: Requantizer, accumulator: ElementType? = nil
    ) {
        self.stride = stride
        self.dilation = dilation
        self.padding = padding
        self.groups = groups
        self.requantizer = requantizer
        self.accumulator = accumulator
    }

    /// The accumulator type in effect (`int32` unless `int64` is set).
    public var accumulatorType: ElementType { accumulator ?? .int32 }
}

/// Attributes of a fully connected layer: input `[N, D]`, constant weights `[O, D]`, bias `[O]`.
/// `acc[o] = bias[o] + Σ_d (w[o,d] − zp_w[o])·(x[d] − zp_x)`, then the requantizer.
public struct FullyConnectedParameters: Sendable, Hashable, Codable {
    public var requantizer: Requantizer
    /// The accumulator type: nil or `int32` (the default), or `int64`; see ``Conv2DParameters/accumulator``.
    public var accumulator: ElementType?

    public init(requantizer: Requantizer, accumulator: ElementType? = nil) {
        self.requantizer = requantizer
        self.accumulator = accumulator
    }

    /// The accumulator type in effect (`int32` unless `int64` is set).
    public var accumulatorType: ElementType { accumulator ?? .int32 }
}
