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
/// - Direct (groups of fewer than 4 output channels, e.g. depthwise): int32 multiply-adds over
///   the taps, vectorised across output channels.
public struct FastConvolution: Sendable {
    /// The GEMM implementation the weights are packed for.
    public let path: KernelPath
    /// Output channels (conv) or outputs (fully connected).
    public let outChannels: Int
    /// The reduction length of one output: `KH·KW·Cin/groups` (conv) or `D` (fully connected).
    public let reduction: Int

    private let isFullyConnected: Bool
    private let kernelHeight: Int
    private let kernelWidth: Int
    private let groupInChannels: Int
    private let groups: Int
    private let stride: Size2D
    private let dilation: Size2D
    private let padding: Padding2D
    /// `W0[oc]`: the weight zero point plus the weight shift (−128 for uint8 weights).
    private let weightOffsets: [Int32]
    private let hasWeightOffsets: Bool
    private let bias: [Int32]
    private let requantizer: FastRequantizer
    /// GEMM path: the packed weights of each group.
    private let packed: [PackedGEMMWeights]
    /// Direct path: `w − zp_w` as int32 in `[tap][Cin/groups][Cout]` order.
    private let directWeights: [Int32]

    /// Groups with fewer output channels than this use the direct path.
    static let directGroupWidth = 4

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
            groupInChannels: shape[3], groups: parameters.groups, stride: parameters.stride, dilation: parameters.dilation,
            padding: parameters.padding, isFullyConnected: false, weightZeroPoints: weightZeroPoints, bias: bias,
            requantizer: parameters.requantizer, path: path)
    }

    /// Prepares a fully connected layer from its weights `[O, D]` stored as bytes (`weightType`
    /// int8 or uint8; nil for any other type).
    public init?(
        fullyConnectedWeights bytes: UnsafeRawBufferPointer, weightType: ElementType, shape: [Int], weightZeroPoints: [Int32],
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
                conv2DWeights: raw, weightType: weights.elementType, shape: weights.shape, weightZeroPoints: weightZeroPoints,
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
        precondition(groups > 0 && outChannels % groups == 0, "FastConvolution: \(groups) groups do not divide \(outChannels) output channels")
        precondition(weightZeroPoints.count <= 1 || weightZeroPoints.count == outChannels, "FastConvolution: \(weightZeroPoints.count) weight zero points for \(outChannels) channels")
        precondition((bias?.count ?? outChannels) == outChannels, "FastConvolution: bias has \(bias?.count ?? 0) entries for \(outChannels) channels")
        precondition(requantizer.channelCount == 1 || requantizer.channelCount == outChannels, "FastConvolution: requantizer has \(requantizer.channelCount) channels for \(outChannels)")
        let taps = kernelHeight * kernelWidth
        let k = taps * groupInChannels
        precondition(bytes.count >= outChannels * k, "FastConvolution: \(bytes.count) weight bytes for \(outChannels)×\(k)")
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
        if groups > 1 && groupOutChannels < Self.directGroupWidth {
            // [tap][icg][oc] ← OHWI [oc][tap][icg], as w − zp_w.
            var direct = [Int32](repeating: 0, count: outChannels * k)
            let signed = weightType == .int8
            for oc in 0..<outChannels {
                for index in 0..<k {
                    let byte = bytes[oc * k + index]
                    let w = signed ? Int32(Int8(bitPattern: byte)) : Int32(byte)
                    let tap = index / groupInChannels, icg = index % groupInChannels
                    direct[(tap * groupInChannels + icg) * outChannels + oc] = w &- zeroPoints[oc]
                }
            }
            directWeights = direct
            packed = []
        } else {
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
        packed.reduce(0) { $0 + $1.byteCount } + directWeights.count * 4
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
            precondition(shape.count == 2 && shape[1] == groupInChannels, "FastConvolution: input \(shape) for a fully connected layer of depth \(groupInChannels)")
            return Geometry(batch: shape[0], height: 1, width: 1, channels: shape[1], outHeight: 1, outWidth: 1)
        }
        precondition(shape.count == 4 && shape[3] == groupInChannels * groups, "FastConvolution: input \(shape) for \(groups) groups of \(groupInChannels) channels")
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
        return Geometry(batch: shape[0], height: shape[1], width: shape[2], channels: shape[3], outHeight: outHeight, outWidth: outWidth)
    }

    private func compute(input: IntTensor, inputZeroPoint: Int32, threads: Int, requantize: Bool) -> ([Int], [Int32]) {
        precondition(Self.supports(inputType: input.elementType, inputZeroPoint: inputZeroPoint), "FastConvolution: \(input.elementType.rawValue) input with zero point \(inputZeroPoint) needs the reference kernel")
        let g = geometry(input.shape)
        let shape = isFullyConnected ? [g.batch, outChannels] : [g.batch, g.outHeight, g.outWidth, outChannels]
        let count = g.rows * outChannels
        let values = [Int32](unsafeUninitializedCapacity: count) { output, initialized in
            if count > 0 {
                if packed.isEmpty {
                    directConvolution(input: input, inputZeroPoint: inputZeroPoint, geometry: g, threads: threads, requantize: requantize, output: output.baseAddress!)
                } else {
                    gemmConvolution(input: input, inputZeroPoint: inputZeroPoint, geometry: g, threads: threads, requantize: requantize, output: output.baseAddress!)
                }
            }
            initialized = count
        }
        return (shape, values)
    }

    // MARK: GEMM path

    /// Per-worker buffers of the GEMM path.
    private struct Scratch {
        let a: UnsafeMutablePointer<UInt8>
        let rowSums: UnsafeMutablePointer<Int32>
        /// The (group, chunk) whose receptive fields `a` holds.
        var loaded: (group: Int, chunk: Int)?
    }

    private func gemmConvolution(
        input: IntTensor, inputZeroPoint: Int32, geometry g: Geometry, threads: Int, requantize: Bool,
        output: UnsafeMutablePointer<Int32>
    ) {
        let kp = packed[0].kp
        // Gathered rows are `kp` bytes apart plus a gap the short copies may overrun into.
        let lda = kp + 16
        let groupOutChannels = outChannels / groups
        // Activations as unsigned bytes: x + 128 for int8, x for uint8.
        let shift: Int32 = input.elementType == .int8 ? 128 : 0
        let x0 = inputZeroPoint &+ shift
        // (The slack lets the gather copy short runs in 16-byte pieces.)
        let activations = [UInt8](unsafeUninitializedCapacity: input.count + Self.slack) { bytes, initialized in
            input.values.withUnsafeBufferPointer { values in
                for i in 0..<values.count { bytes[i] = UInt8(truncatingIfNeeded: values[i] &+ shift) }
            }
            for i in input.count..<(input.count + Self.slack) { bytes[i] = 0 }
            initialized = input.count + Self.slack
        }
        // Column terms: bias − X0·Σs + K·W0·X0 (wrapping).
        var offsets = [Int32](repeating: 0, count: outChannels)
        for group in 0..<groups {
            let sums = packed[group].columnSums
            for j in 0..<groupOutChannels {
                let oc = group * groupOutChannels + j
                offsets[oc] = bias[oc] &- x0 &* sums[j] &+ Int32(truncatingIfNeeded: reduction) &* weightOffsets[oc] &* x0
            }
        }
        // Tiles: chunks of output rows (A chunk ≈ 192 KiB, L2-resident) × column pieces of the group.
        let maxRows = max(6, min(1020, 196_608 / lda) / 6 * 6)
        let chunks = (g.rows + maxRows - 1) / maxRows
        let chunkRows = ((g.rows + chunks - 1) / chunks + 5) / 6 * 6
        // With several threads and few tiles, split the columns into pieces of ≥ 64 (multiples of 16).
        var pieces = 1
        while threads > 1 && groups * chunks * pieces < 4 * threads && groupOutChannels / (pieces * 2) >= 64 { pieces *= 2 }
        let pieceWidth = pieces == 1 ? groupOutChannels : ((groupOutChannels + pieces - 1) / pieces + 15) & ~15
        pieces = (groupOutChannels + pieceWidth - 1) / pieceWidth
        let items = groups * chunks * pieces
        let x0Byte = UInt8(truncatingIfNeeded: x0)

        activations.withUnsafeBufferPointer { activations in
            offsets.withUnsafeBufferPointer { offsets in
                weightOffsets.withUnsafeBufferPointer { weightOffsets in
                    nonisolated(unsafe) let output = output
                    FastKernels.parallelFor(
                        items, threads: threads,
                        scratch: { _ in
                            Scratch(a: .allocate(capacity: chunkRows * lda + Self.slack), rowSums: .allocate(capacity: chunkRows), loaded: nil)
                        },
                        { scratch, item in
                            let piece = item % pieces
                            let chunk = (item / pieces) % chunks
                            let group = item / (pieces * chunks)
                            let firstRow = chunk * chunkRows
                            let rows = min(chunkRows, g.rows - firstRow)
                            guard rows > 0 else { return }
                            if scratch.loaded.map({ $0.group != group || $0.chunk != chunk }) ?? true {
                                gatherReceptiveFields(
                                    activations.baseAddress!, geometry: g, group: group, firstRow: firstRow, rows: rows,
                                    x0: x0Byte, kp: kp, lda: lda, into: scratch.a)
                                if hasWeightOffsets { sumRows(scratch.a, rows: rows, kp: kp, lda: lda, into: scratch.rowSums) }
                                scratch.loaded = (group, chunk)
                            }
                            let columns = (piece * pieceWidth)..<min(groupOutChannels, (piece + 1) * pieceWidth)
                            let firstChannel = group * groupOutChannels + columns.lowerBound
                            // The accumulators go straight to their place in the output, then are
                            // corrected and requantized there.
                            let c = output + firstRow * outChannels + firstChannel
                            FastKernels.gemm(
                                a: scratch.a, lda: lda, weights: packed[group], columns: columns,
                                offsets: offsets.baseAddress! + firstChannel, c: c, ldc: outChannels, m: rows)
                            if hasWeightOffsets {
                                for row in 0..<rows {
                                    let rowSum = scratch.rowSums[row], accumulators = c + row * outChannels
                                    for j in 0..<columns.count { accumulators[j] &-= weightOffsets[firstChannel + j] &* rowSum }
                                }
                            }
                            if requantize {
                                requantizer.apply(
                                    c, sourceStride: outChannels, c, destinationStride: outChannels, rows: rows,
                                    columns: columns.count, firstChannel: firstChannel)
                            }
                        },
                        finish: { scratch in
                            scratch.a.deallocate()
                            scratch.rowSums.deallocate()
                        })
                }
            }
        }
    }

    /// im2col for output rows `firstRow ..< firstRow + rows` of group `group`: row `r` of `a` (at
    /// `a + r·lda`) holds the receptive field of output pixel `firstRow + r` in `(ky, kx, ic)`
    /// order (the OHWI weight order), taps outside the image as `x0`, and zeros from K to `kp`.
    ///
    /// The loops run per output row segment, then per kernel row, then along the output pixels, so
    /// each kernel row of each pixel is one short copy (one run of `KW·Cin` bytes when the window
    /// row lies inside the image and the channels are not split into groups). Short copies write
    /// whole 16-byte pieces: their overrun lands in the next kernel row's bytes (written after),
    /// in the K tail (zeroed last) or in the gap between rows (`lda − kp ≥ 16`, never read).
    private func gatherReceptiveFields(
        _ activations: UnsafePointer<UInt8>, geometry g: Geometry, group: Int, firstRow: Int, rows: Int, x0: UInt8, kp: Int,
        lda: Int, into a: UnsafeMutablePointer<UInt8>
    ) {
        let cg = groupInChannels, cin = g.channels
        let tapRun = kernelWidth * cg
        let contiguous = dilation.width == 1 && cg == cin
        let lastTapOffset = (kernelWidth - 1) * dilation.width
        var r = 0
        while r < rows {
            let row = firstRow + r
            let ox0 = row % g.outWidth
            let oy = (row / g.outWidth) % g.outHeight
            let b = row / (g.outWidth * g.outHeight)
            let span = min(rows - r, g.outWidth - ox0)
            let first = a + r * lda
            for ky in 0..<kernelHeight {
                let iy = oy * stride.height - padding.top + ky * dilation.height
                var destination = first + ky * tapRun
                guard iy >= 0 && iy < g.height else {
                    for _ in 0..<span {
                        Self.fill(destination, x0, count: tapRun)
                        destination += lda
                    }
                    continue
                }
                let source = activations + (b * g.height + iy) * g.width * cin + group * cg
                var ix0 = ox0 * stride.width - padding.left
                for _ in 0..<span {
                    if contiguous && ix0 >= 0 && ix0 + lastTapOffset < g.width {
                        Self.copy(destination, source + ix0 * cin, count: tapRun)
                    } else {
                        for kx in 0..<kernelWidth {
                            let ix = ix0 + kx * dilation.width
                            if ix >= 0 && ix < g.width {
                                Self.copy(destination + kx * cg, source + ix * cin, count: cg)
                            } else {
                                Self.fill(destination + kx * cg, x0, count: cg)
                            }
                        }
                    }
                    destination += lda
                    ix0 += stride.width
                }
            }
            var tail = first + reduction
            for _ in 0..<span {
                tail.update(repeating: 0, count: kp - reduction)
                tail += lda
            }
            r += span
        }
    }

    /// Bytes of slack after the activations and the gathered rows: short copies move whole
    /// 16-byte pieces and may read and write up to 15 bytes past their end.
    static let slack = 64

    /// Copies `count` bytes; runs up to 64 bytes move in 16-byte pieces that may overrun by up to
    /// 15 bytes on both sides (the gather writes left to right, so later writes repair the
    /// overrun, and the buffers carry ``slack``).
    @inline(__always)
    private static func copy(_ destination: UnsafeMutablePointer<UInt8>, _ source: UnsafePointer<UInt8>, count: Int) {
        if count > 64 {
            destination.update(from: source, count: count)
            return
        }
        var offset = 0
        while offset < count {
            let piece = UnsafeRawPointer(source + offset).loadUnaligned(as: SIMD16<UInt8>.self)
            UnsafeMutableRawPointer(destination + offset).storeBytes(of: piece, as: SIMD16<UInt8>.self)
            offset &+= 16
        }
    }

    /// Sets `count` bytes to `value`, with the overrun rules of ``copy(_:_:count:)``.
    @inline(__always)
    private static func fill(_ destination: UnsafeMutablePointer<UInt8>, _ value: UInt8, count: Int) {
        if count > 64 {
            destination.update(repeating: value, count: count)
            return
        }
        let piece = SIMD16<UInt8>(repeating: value)
        var offset = 0
        while offset < count {
            UnsafeMutableRawPointer(destination + offset).storeBytes(of: piece, as: SIMD16<UInt8>.self)
            offset &+= 16
        }
    }

    /// `Σ_k a[r][k]` for every gathered row (the W0 correction's factor).
    private func sumRows(_ a: UnsafeMutablePointer<UInt8>, rows: Int, kp: Int, lda: Int, into sums: UnsafeMutablePointer<Int32>) {
        for r in 0..<rows {
            let row = a + r * lda
            var sum: Int32 = 0
            for k in 0..<kp { sum &+= Int32(row[k]) }
            sums[r] = sum
        }
    }

    // MARK: Direct path

    private func directConvolution(
        input: IntTensor, inputZeroPoint: Int32, geometry g: Geometry, threads: Int, requantize: Bool,
        output: UnsafeMutablePointer<Int32>
    ) {
        let cg = groupInChannels, groupOutChannels = outChannels / groups, cout = outChannels
        let depthwise = cg == 1 && groupOutChannels == 1
        let rowsPerItem = max(1, 4096 / max(1, cout))
        let items = (g.rows + rowsPerItem - 1) / rowsPerItem
        input.values.withUnsafeBufferPointer { x in
            directWeights.withUnsafeBufferPointer { w in
                bias.withUnsafeBufferPointer { bias in
                    nonisolated(unsafe) let output = output
                    FastKernels.parallelFor(
                        items, threads: threads,
                        scratch: { _ in UnsafeMutablePointer<Int32>.allocate(capacity: cout) },
                        { acc, item in
                            let firstRow = item * rowsPerItem
                            for row in firstRow..<min(g.rows, firstRow + rowsPerItem) {
                                let ox = row % g.outWidth, oy = (row / g.outWidth) % g.outHeight
                                let b = row / (g.outWidth * g.outHeight)
                                acc.update(from: bias.baseAddress!, count: cout)
                                for ky in 0..<kernelHeight {
                                    let iy = oy * stride.height - padding.top + ky * dilation.height
                                    if iy < 0 || iy >= g.height { continue }
                                    for kx in 0..<kernelWidth {
                                        let ix = ox * stride.width - padding.left + kx * dilation.width
                                        if ix < 0 || ix >= g.width { continue }
                                        let pixel = x.baseAddress! + ((b * g.height + iy) * g.width + ix) * g.channels
                                        let tapWeights = w.baseAddress! + (ky * kernelWidth + kx) * cg * cout
                                        if depthwise {
                                            for c in 0..<cout { acc[c] &+= tapWeights[c] &* (pixel[c] &- inputZeroPoint) }
                                            continue
                                        }
                                        for group in 0..<groups {
                                            for icg in 0..<cg {
                                                let value = pixel[group * cg + icg] &- inputZeroPoint
                                                let weights = tapWeights + icg * cout + group * groupOutChannels
                                                let sums = acc + group * groupOutChannels
                                                for j in 0..<groupOutChannels { sums[j] &+= weights[j] &* value }
                                            }
                                        }
                                    }
                                }
                                let destination = output + row * cout
                                if requantize {
                                    requantizer.apply(acc, destination, count: cout, firstChannel: 0)
                                } else {
                                    destination.update(from: acc, count: cout)
                                }
                            }
                        },
                        finish: { acc in acc.deallocate() })
                }
            }
        }
    }
}
