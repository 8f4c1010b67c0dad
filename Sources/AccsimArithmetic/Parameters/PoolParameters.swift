/// Attributes of max pooling over the spatial axes of an NHWC tensor. The maximum is taken over
/// the in-image taps only (padding never wins), then clamped to `[clamp_min, clamp_max]`.
public struct MaxPoolParameters: Sendable, Hashable, Codable {
    public var window: Size2D
    public var stride: Size2D
    public var padding: Padding2D
    public var clampMin: Int32
    public var clampMax: Int32

    enum CodingKeys: String, CodingKey {
        case window, stride, padding
        case clampMin = "clamp_min"
        case clampMax = "clamp_max"
    }

    public init(
        window: Size2D, stride: Size2D, padding: Padding2D = .zero, clampMin: Int32 = -128, clampMax: Int32 = 127
    ) {
        self.window = window
        self.stride = stride
        self.padding = padding
        self.clampMin = clampMin
        self.clampMax = clampMax
    }
}

/// Attributes of average pooling; input and output share the quantization.
///
/// The sum is of the raw stored values (as TFLite does). With `count_include_pad` false the divisor
/// is the number of in-image taps; with it true, padded taps count and contribute the input zero
/// point (the stored value of real zero). The quotient `sum / count` is rounded by `rounding`
/// (`half_away` for TFLite and Aidge; `half_up`, `half_even` or `floor` otherwise), then clamped.
///
/// `average` (nil: ``AverageAlgorithm/exact``) selects how the mean is formed:
/// ``AverageAlgorithm/aidgeRunningMean`` reproduces aidge_backend_cpu's GlobalAveragePooling and
/// is not an integer-hardware operation.
public struct AvgPoolParameters: Sendable, Hashable, Codable {
    public var window: Size2D
    public var stride: Size2D
    public var padding: Padding2D
    public var rounding: RoundingMode
    public var countIncludePad: Bool
    public var clampMin: Int32
    public var clampMax: Int32
    /// How the average is computed; nil is ``AverageAlgorithm/exact`` (format version 2 key).
    public var average: AverageAlgorithm?

    enum CodingKeys: String, CodingKey {
        case window, stride, padding, rounding
        case countIncludePad = "count_include_pad"
        case clampMin = "clamp_min"
        case clampMax = "clamp_max"
        case average
    }

    public init(
        window: Size2D, stride: Size2D, padding: Padding2D = .zero, rounding: RoundingMode = .halfAway,
        countIncludePad: Bool = false, clampMin: Int32 = -128, clampMax: Int32 = 127,
        average: AverageAlgorithm? = nil
    ) {
        self.window = window
        self.stride = stride
        self.padding = padding
        self.rounding = rounding
        self.countIncludePad = countIncludePad
        self.clampMin = clampMin
        self.clampMax = clampMax
        self.average = average
    }

    /// Whether the pooling needs Aidge's double-precision running mean.
    public var usesRunningMean: Bool { average == .aidgeRunningMean }
}

/// How average pooling forms its mean.
public enum AverageAlgorithm: String, Sendable, Hashable, Codable, CaseIterable {
    /// `sum / count` rounded exactly by the pooling's rounding mode: what integer hardware does.
    case exact
    /// aidge_backend_cpu's GlobalAveragePooling: a running mean in double precision,
    /// `m ← fma(x_i − m, 1/(i+1), m)` over the window in row-major order, then rounded half away
    /// from zero. Exact ties (k + ½) may go either way with the data order. **Not an
    /// integer-hardware operation**: it exists to reproduce Aidge bit for bit; hardware configs
    /// refuse it (`--adapt-requant` replaces it by ``exact``).
    case aidgeRunningMean = "aidge_running_mean"
}

/// Global average pooling (Mean over H and W) of an NHWC tensor.
/// `sum = Σ q − zp_in·count` over the `count = H·W` positions of each channel, then
/// `requantizer(sum)`; the division by `count` is folded into the requantizer's multiplier and
/// right shift (TFLite MEAN: `M' = (M·2^k) div count` and the right shift grows by `k`). Output `[N, 1, 1, C]` with `keep_dims`, else `[N, C]`.
public struct MeanParameters: Sendable, Hashable, Codable {
    public var requantizer: Requantizer
    public var keepDims: Bool

    enum CodingKeys: String, CodingKey {
        case requantizer
        case keepDims = "keep_dims"
    }

    public init(requantizer: Requantizer, keepDims: Bool = true) {
        self.requantizer = requantizer
        self.keepDims = keepDims
    }
}
