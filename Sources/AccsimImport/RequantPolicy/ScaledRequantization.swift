import AccsimArithmetic

/// A requantizer as a float-scale model describes it, before a ``RequantPolicy`` makes it an
/// integer one: the real factor per channel, the output zero point and the clamp.
public struct ScaledRequantization: Sendable, Hashable {
    /// Where the requantizer sits, which decides what ``RequantPolicy/singleShift`` may do.
    public enum Role: String, Sendable, Hashable {
        /// After a convolution or fully connected layer: the producer's weights and bias can
        /// absorb a factor per output channel.
        case weighted
        /// After a node without weights (Add, Concat, global average pooling, requantize).
        case joining
    }

    /// The real factor `r` per channel (one entry: per tensor). Positive and finite.
    public var reals: [Double]
    public var role: Role
    public var zeroPoint: Int32
    public var clampMin: Int32
    public var clampMax: Int32

    public init(reals: [Double], role: Role, zeroPoint: Int32, clampMin: Int32, clampMax: Int32) {
        self.reals = reals
        self.role = role
        self.zeroPoint = zeroPoint
        self.clampMin = clampMin
        self.clampMax = clampMax
    }
}

/// The integer requantizer a policy chose for a ``ScaledRequantization``.
public struct RequantConversion: Sendable, Hashable {
    /// The requantizer to put in the graph.
    public var requantizer: Requantizer
    /// Per channel, the factor the producing layer's weights and bias must be multiplied by (and
    /// re-rounded); nil when nothing is folded.
    public var weightFactors: [Double]?
    /// `max_c |M_c·2^−n_c / f_c − r_c| / r_c` with `f_c` the folded factor (1 when none): how far
    /// the chain's scale is from the real one before the folded weights are re-rounded.
    public var relativeError: Double

    public init(requantizer: Requantizer, weightFactors: [Double]?, relativeError: Double) {
        self.requantizer = requantizer
        self.weightFactors = weightFactors
        self.relativeError = relativeError
    }
}

/// The two input scalings and output requantizer a policy chose for an Add of two quantized
/// tensors: `out = ROUND(M_a·(q_a − zp_a) + M_b·(q_b − zp_b), 1, n)`.
public struct AddConversion: Sendable, Hashable {
    public var parameters: AddParameters
    /// `max(|M_a·2^−n − r_a| / r_a, |M_b·2^−n − r_b| / r_b)`.
    public var relativeError: Double

    public init(parameters: AddParameters, relativeError: Double) {
        self.parameters = parameters
        self.relativeError = relativeError
    }
}
