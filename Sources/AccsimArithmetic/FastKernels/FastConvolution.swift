/// A convolution or fully connected layer prepared for the fast kernels: weights packed once, the
/// bias, weight zero points and requantizer kept in the form the inner loops read.
///
/// Results are bit-identical to ``ReferenceKernels/conv2D(input:inputZeroPoint:weights:weightZeroPoints:bias:parameters:overflow:outputType:)``
/// (and its fully connected counterpart) with ``OverflowMode/wrap`` for any thread count and
/// either ``KernelPath``: every product is exact and every sum is taken modulo 2^32, so the order of
/// the additions cannot change the result (see ``FastKernels`` for the zero-point algebra).
///
/// Two data paths:
/// - GEMM (plain and grouped convolutions, fully connected): for each group, the output pixels'
///   receptive fields are gathered as unsigned bytes into row chunks of `kp` bytes (im2col; taps
///   in the padding read the input zero point, which contributes exactly 0), multiplied by the
///   packed weights, corrected by per-column (and, with non-zero weight offsets, per-row) terms,
///   then requantized row by row into the output.
/// - Depthwise (one input and one output channel per group) on the C paths: channels across the
///   SIMD lanes, int16 activations and `w − zp_w`, pairs of taps per `vpmaddwd`/`vpdpwssd` on x86
///   with the weights in registers (``FastConvolution+Depthwise.swift``).
/// - Direct (other groups of fewer than 4 output channels, and depthwise on the portable path):
///   int32 multiply-adds over the taps, vectorised across output channels.
public struct FastConvolution: Sendable {
    /// The GEMM implementation the weights are packed for.
    public let path: KernelPath
    /// Output channels (conv) or outputs (fully connected).
    public let outChannels: Int
    /// The reduction length of one output: `KH·KW·Cin/groups` (conv) or `D` (fully connected).
    public let reduction: Int

    let isFullyConnected: Bool
    let kernelHeight: Int
    let kernelWidth: Int
    let groupInChannels: Int
    let groups: Int
    let stride: Size2D
    let dilation: Size2D
    let padding: Padding2D
    /// `W0[oc]`: the weight zero point plus the weight shift (−128 for uint8 weights).
    let weightOffsets: [Int32]
    let hasWeightOffsets: Bool
    let bias: [Int32]
    let requantizer: FastRequantizer
    /// GEMM path: the packed weights of each group.
    let packed: [PackedGEMMWeights]
    /// Direct path: `w − zp_w` as int32 in `[tap][Cin/groups][Cout]` order.
    let directWeights: [Int32]
    /// Depthwise path: the weights as the path's depthwise kernel reads them.
    let depthwise: DepthwiseWeights?

    /// Groups with fewer output channels than this use the direct path.
    static let directGroupWidth = 4

    /// The least work (multiply-accumulates, at least 16 per output: the gather and the
    /// requantizer cost per output) worth a worker of its own: waking a thread costs several
    /// microseconds, about what one core needs for 2^20 MACs. A one-sample 512→1000 fully
    /// connected layer (0.5 M) runs on one thread, where two had spent 3.8× its CPU time.
    /// Tests set it to 0 to run every worker split on small shapes.
    @TaskLocal static var minimumWorkPerWorker = 1 << 20

    /// Workers for `work` on up to `threads` threads: each gets at least `minimumWorkPerWorker`.
    /// (Only how the work is cut; never a result.)
    static func workers(_ threads: Int, work: Int) -> Int {
        let minimum = minimumWorkPerWorker
        guard minimum > 0 else { return max(1, threads) }
        return max(1, min(threads, work / minimum))
    }

    /// Tests: the avx2 path's depthwise layers take the quad kernel (`vpdpbusd` emulated exactly),
    /// so the quad layout is checked on CPUs without VNNI.
    @TaskLocal static var depthwiseQuadsOnAVX2 = false

    /// Prepares a convolution from its OHWI weights `[Cout, KH, KW, Cin/groups]` stored as bytes
    /// (`weightType` int8 or uint8; nil for any other type). `weightZeroPoints`: one for all
    /// channels, one per output channel, or empty for 0.
    public init?(
        conv2DWeights bytes: UnsafeRawBufferPointer, weightType: ElementType, shape: [Int], weightZeroPoints: [Int32],
        bias: [Int32]?, parameters: Conv2DParameters, path: KernelPath = .best
    ) {
        guard shape.count == 4 else { return nil }
        self.init(
            bytes: bytes, weightType: weightType, outChannels: shape[0], kernelHeight: shape[1], kernelWidth: shape[2],
            groupInChannels: shape[3], groups: parameters.groups, stride: parameters.stride,
            dilation: parameters.dilation,
            padding: parameters.padding, isFullyConnected: false, weightZeroPoints: weightZeroPoints, bias: bias,
            requantizer: parameters.requantizer, path: path)
    }

    /// Prepares a fully connected layer from its weights `[O, D]` stored as bytes (`weightType`
    /// int8 or uint8; nil for any other type).
    public init?(
        fullyConnectedWeights bytes: UnsafeRawBufferPointer, weightType: ElementType, shape: [Int],
        weightZeroPoints: [Int32],
        bias: [Int32]?, parameters: FullyConnectedParameters, path: KernelPath = .best
    ) {
        guard shape.count == 2 else { return nil }
        self.init(
            bytes: bytes, weightType: weightType, outChannels: shape[0], kernelHeight: 1, kernelWidth: 1,
            groupInChannels: shape[1], groups: 1, stride: Size2D(1), dilation: Size2D(1), padding: .zero,
            isFullyConnected: true, weightZeroPoints: weightZeroPoints, bias: bias,
            requantizer: parameters.requantizer, path: path)
    }

    /// Prepares a convolution from weights as an ``IntTensor`` (values in the range of its 8-bit
    /// element type).
    public init?(
        conv2DWeights weights: IntTensor, weightZeroPoints: [Int32], bias: [Int32]?, parameters: Conv2DParameters,
        path: KernelPath = .best
    ) {
        let bytes = weights.values.map { UInt8(truncatingIfNeeded: $0) }
        let prepared = bytes.withUnsafeBytes { raw in
            FastConvolution(
                conv2DWeights: raw, weightType: weights.elementType, shape: weights.shape,
                weightZeroPoints: weightZeroPoints,
                bias: bias, parameters: parameters, path: path)
        }
        guard let prepared else { return nil }
        self = prepared
    }

    /// Prepares a fully connected layer from weights as an ``IntTensor`` (values in the range of
    /// its 8-bit element type).
    public init?(
        fullyConnectedWeights weights: IntTensor, weightZeroPoints: [Int32], bias: [Int32]?,
        parameters: FullyConnectedParameters, path: KernelPath = .best
    ) {
        let bytes = weights.values.map { UInt8(truncatingIfNeeded: $0) }
        let prepared = bytes.withUnsafeBytes { raw in
            FastConvolution(
                fullyConnectedWeights: raw, weightType: weights.elementType, shape: weights.shape,
                weightZeroPoints: weightZeroPoints, bias: bias, parameters: parameters, path: path)
        }
        guard let prepared else { return nil }
        self = prepared
    }

    private init?(
        bytes: UnsafeRawBufferPointer, weightType: ElementType, outChannels: Int, kernelHeight: Int, kernelWidth: Int,
        groupInChannels: Int, groups: Int, stride: Size2D, dilation: Size2D, padding: Padding2D, isFullyConnected: Bool,
        weightZeroPoints: [Int32], bias: [Int32]?, requantizer: Requantizer, path: KernelPath
    ) {
        guard weightType == .int8 || weightType == .uint8, path.isAvailable else { return nil }
        precondition(
            groups > 0 && outChannels % groups == 0,
            "FastConvolution: \(groups) groups do not divide \(outChannels) output channels")
        precondition(
            weightZeroPoints.count <= 1 || weightZeroPoints.count == outChannels,
            "FastConvolution: \(weightZeroPoints.count) weight zero points for \(outChannels) channels")
        precondition(
            (bias?.count ?? outChannels) == outChannels,
            "FastConvolution: bias has \(bias?.count ?? 0) entries for \(outChannels) channels")
        precondition(
            requantizer.channelCount == 1 || requantizer.channelCount == outChannels,
            "FastConvolution: requantizer has \(requantizer.channelCount) channels for \(outChannels)")
        let taps = kernelHeight * kernelWidth
        let k = taps * groupInChannels
        precondition(
            bytes.count >= outChannels * k, "FastConvolution: \(bytes.count) weight bytes for \(outChannels)×\(k)")
        self.path = path
        self.outChannels = outChannels
        self.reduction = k
        self.isFullyConnected = isFullyConnected
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.groupInChannels = groupInChannels
        self.groups = groups
        self.stride = stride
        self.dilation = dilation
        self.padding = padding
        let weightShift: Int32 = weightType == .uint8 ? -128 : 0
        let zeroPoints = (0..<outChannels).map { oc in
            weightZeroPoints.isEmpty ? 0 : weightZeroPoints[weightZeroPoints.count == 1 ? 0 : oc]
        }
        weightOffsets = zeroPoints.map { $0 &+ weightShift }
        hasWeightOffsets = weightOffsets.contains { $0 != 0 }
        self.bias = bias ?? [Int32](repeating: 0, count: outChannels)
        self.requantizer = FastRequantizer(requantizer)
        let groupOutChannels = outChannels / groups
        if groups > 1 && groupInChannels == 1 && groupOutChannels == 1 && path.usesBlockedLayout,
            let weights = DepthwiseWeights(
                path: path, bytes: bytes, signed: weightType == .int8, channels: outChannels,
                kernelHeight: kernelHeight, kernelWidth: kernelWidth, zeroPoints: zeroPoints, bias: self.bias,
                quads: dilation.width == 1 && (path.hasByteDotProduct || Self.depthwiseQuadsOnAVX2))
        {
            depthwise = weights
            directWeights = []
            packed = []
        } else if groups > 1 && groupOutChannels < Self.directGroupWidth {
            depthwise = nil
            // [tap][icg][oc] ← OHWI [oc][tap][icg], as w − zp_w.
            var direct = [Int32](repeating: 0, count: outChannels * k)
            let signed = weightType == .int8
            for oc in 0..<outChannels {
                for index in 0..<k {
                    let byte = bytes[oc * k + index]
                    let w = signed ? Int32(Int8(bitPattern: byte)) : Int32(byte)
                    let tap = index / groupInChannels
                    let icg = index % groupInChannels
                    direct[(tap * groupInChannels + icg) * outChannels + oc] = w &- zeroPoints[oc]
                }
            }
            directWeights = direct
            packed = []
        } else {
            depthwise = nil
            directWeights = []
            packed = (0..<groups).map { group in
                PackedGEMMWeights(
                    path: path, k: k, n: groupOutChannels,
                    source: UnsafeRawBufferPointer(rebasing: bytes[(group * groupOutChannels * k)...]),
                    columnStride: k, flipSign: weightType == .uint8)
            }
        }
    }

    /// Whether activations of `inputType` with zero point `inputZeroPoint` can take the fast path:
    /// 8-bit types whose zero point, shifted like the values, is a byte (`X0 ∈ 0…255`).
    public static func supports(inputType: ElementType, inputZeroPoint: Int32) -> Bool {
        switch inputType {
        case .int8: (-128...127).contains(inputZeroPoint)
        case .uint8: (0...255).contains(inputZeroPoint)
        default: false
        }
    }

    /// Bytes held by the prepared weights (packed or direct), for memory accounting.
    public var weightByteCount: Int {
        packed.reduce(0) { $0 + $1.byteCount } + directWeights.count * 4 + (depthwise?.byteCount ?? 0)
    }

    /// The requantized output: conv `[N, OH, OW, Cout]`, fully connected `[N, O]`, of `outputType`.
    /// `input` is NHWC (conv) or `[N, D]` (fully connected) with values in its type's range and
    /// ``supports(inputType:inputZeroPoint:)`` true.
    public func run(input: IntTensor, inputZeroPoint: Int32, outputType: ElementType, threads: Int = 1) -> IntTensor {
        let (shape, values) = compute(input: input, inputZeroPoint: inputZeroPoint, threads: threads, requantize: true)
        return IntTensor(shape: shape, elementType: outputType, values: values)
    }

    /// The int32 accumulators with the bias (the values the requantizer receives), as
    /// ``ReferenceKernels/conv2DAccumulators(input:inputZeroPoint:weights:weightZeroPoints:bias:parameters:overflow:)``
    /// returns them under `wrap`.
    public func accumulators(input: IntTensor, inputZeroPoint: Int32, threads: Int = 1) -> IntTensor {
        let (shape, values) = compute(input: input, inputZeroPoint: inputZeroPoint, threads: threads, requantize: false)
        return IntTensor(shape: shape, elementType: .int32, values: values)
    }

    /// The output geometry of `input`.
    struct Geometry {
        let batch, height, width, channels: Int
        let outHeight, outWidth: Int
        var rows: Int { batch * outHeight * outWidth }
    }

    func geometry(_ shape: [Int]) -> Geometry {
        if isFullyConnected {
            precondition(
                shape.count == 2 && shape[1] == groupInChannels,
                "FastConvolution: input \(shape) for a fully connected layer of depth \(groupInChannels)")
            return Geometry(batch: shape[0], height: 1, width: 1, channels: shape[1], outHeight: 1, outWidth: 1)
        }
        precondition(
            shape.count == 4 && shape[3] == groupInChannels * groups,
            "FastConvolution: input \(shape) for \(groups) groups of \(groupInChannels) channels")
        guard
            let outHeight = slidingWindowOutputExtent(
                input: shape[1], padBefore: padding.top, padAfter: padding.bottom, kernel: kernelHeight,
                stride: stride.height, dilation: dilation.height),
            let outWidth = slidingWindowOutputExtent(
                input: shape[2], padBefore: padding.left, padAfter: padding.right, kernel: kernelWidth,
                stride: stride.width, dilation: dilation.width)
        else {
            preconditionFailure("FastConvolution: the kernel does not fit the padded input \(shape)")
        }
        return Geometry(
            batch: shape[0], height: shape[1], width: shape[2], channels: shape[3], outHeight: outHeight,
            outWidth: outWidth)
    }

    private func compute(input: IntTensor, inputZeroPoint: Int32, threads: Int, requantize: Bool) -> ([Int], [Int32]) {
        precondition(
            Self.supports(inputType: input.elementType, inputZeroPoint: inputZeroPoint),
            "FastConvolution: \(input.elementType.rawValue) input with zero point \(inputZeroPoint) needs the reference kernel"
        )
        let g = geometry(input.shape)
        let threads = Self.workers(threads, work: g.rows * outChannels * max(reduction, 16))
        let shape = isFullyConnected ? [g.batch, outChannels] : [g.batch, g.outHeight, g.outWidth, outChannels]
        let count = g.rows * outChannels
        let values = [Int32](unsafeUninitializedCapacity: count) { output, initialized in
            if count > 0 {
                if let depthwise {
                    depthwiseConvolution(
                        depthwise, input: input, inputZeroPoint: inputZeroPoint, geometry: g, threads: threads,
                        requantize: requantize, output: output.baseAddress!)
                } else if packed.isEmpty {
                    directConvolution(
                        input: input, inputZeroPoint: inputZeroPoint, geometry: g, threads: threads,
                        requantize: requantize, output: output.baseAddress!)
                } else {
                    gemmConvolution(
                        input: input, inputZeroPoint: inputZeroPoint, geometry: g, threads: threads,
                        requantize: requantize, output: output.baseAddress!)
                }
            }
            initialized = count
        }
        return (shape, values)
    }
}
