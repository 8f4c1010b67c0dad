import AccsimTiming

/// A conv or fully connected layer as `groups` independent GEMMs `C[M×N] = A[M×K] · B[K×N]`, one
/// per group, for one sample (batch 1).
///
/// - conv2d: `M = OH·OW` output pixels (row-major), `K = KH·KW·(Cin/groups)`, `N = Cout/groups`.
///   The reduction index is channel-major, `k = ci·KH·KW + kh·KW + kw` (as im2col in Caffe and
///   PyTorch), so a chunk of whole input channels is a contiguous k range. Depthwise is
///   `groups = Cin` with `N` the depth multiplier.
/// - fully_connected: `M = 1`, `K = D`, `N = O`.
public struct GEMMLowering: Sendable, Hashable {
    /// Where the GEMM comes from.
    public enum Source: Sendable, Hashable {
        /// A conv2d with its geometry.
        case conv2D(ConvGeometry)
        /// A fully connected layer.
        case fullyConnected
    }

    /// Where the GEMM comes from.
    public var source: Source
    /// Number of independent GEMMs.
    public var groups: Int
    /// The GEMM of one group.
    public var shape: GEMMShape
    /// The activation tensor (A).
    public var input: String
    /// The weight tensor (B).
    public var weights: String
    /// The int32 bias tensor, if any.
    public var bias: String?
    /// The output tensor (C after the requantizer).
    public var output: String
    /// Bytes per input (activation) element.
    public var inputElementBytes: Int
    /// Bytes per weight element.
    public var weightElementBytes: Int
    /// Bytes per output element.
    public var outputElementBytes: Int
    /// Bytes of the bias (4 per output channel), 0 without one.
    public var biasBytes: Int
    /// Activation and weight slices when the operands are wider than the array's multipliers
    /// (``MultiPass``): every fold runs `activationSlices · weightSlices` passes. 1 × 1 by default.
    public var activationSlices = 1
    public var weightSlices = 1

    /// Array passes per fold.
    public var passes: Int { activationSlices * weightSlices }

    /// A lowering as given.
    public init(
        source: Source, groups: Int, shape: GEMMShape, input: String, weights: String, bias: String?, output: String,
        inputElementBytes: Int, weightElementBytes: Int, outputElementBytes: Int, biasBytes: Int
    ) {
        self.source = source
        self.groups = groups
        self.shape = shape
        self.input = input
        self.weights = weights
        self.bias = bias
        self.output = output
        self.inputElementBytes = inputElementBytes
        self.weightElementBytes = weightElementBytes
        self.outputElementBytes = outputElementBytes
        self.biasBytes = biasBytes
    }

    /// Reduction elements per tiling unit: a conv chunks `k` in whole input channels (`KH·KW`
    /// elements each), an FC in single elements.
    public var kUnit: Int {
        if case .conv2D(let g) = source { return g.taps }
        return 1
    }

    /// Tiling units along `k`: input channels per group of a conv, `D` for an FC.
    public var kUnits: Int { shape.k / kUnit }

    /// Multiply-accumulates of the layer: `groups · M · K · N`.
    public var macs: Int { groups * shape.macs }
}
