extension ReferenceKernels {
    /// 2-D convolution (plain, grouped or depthwise) of an NHWC input with OHWI weights, requantized
    /// to `outputType`.
    ///
    /// The accumulators are those of
    /// ``conv2DAccumulators(input:inputZeroPoint:weights:weightZeroPoints:bias:parameters:overflow:)``;
    /// output element `[b, oy, ox, oc]` is `parameters.requantizer.apply(acc, channel: oc)` (the
    /// requantizer channel is the output channel).
    public static func conv2D(
        input: IntTensor, inputZeroPoint: Int32, weights: IntTensor, weightZeroPoints: [Int32], bias: [Int32]?,
        parameters: Conv2DParameters, overflow: OverflowMode, outputType: ElementType
    ) -> IntTensor {
        let accumulators = conv2DAccumulators(
            input: input, inputZeroPoint: inputZeroPoint, weights: weights, weightZeroPoints: weightZeroPoints,
            bias: bias, parameters: parameters, overflow: overflow)
        return requantizeAccumulators(accumulators, requantizer: parameters.requantizer, outputType: outputType)
    }

    /// The int32 accumulators of a 2-D convolution, NHWC `[N, OH, OW, Cout]`, before the requantizer.
    ///
    /// - Shapes: input `[N, H, W, Cin]`, weights `[Cout, KH, KW, Cin/groups]` (OHWI), bias `[Cout]`.
    ///   Output extents follow ``slidingWindowOutputExtent(input:padBefore:padAfter:kernel:stride:dilation:)``.
    /// - Groups: output channel `oc` belongs to group `g = oc / (Cout/groups)` and reads input
    ///   channels `g·(Cin/groups) ..< (g+1)·(Cin/groups)`. Depthwise convolution is
    ///   `groups == Cin`; with depth multiplier `m = Cout/Cin`, output channel `oc` reads input
    ///   channel `oc / m`.
    /// - Input position of tap `(ky, kx)` for output `(oy, ox)`:
    ///   `iy = oy·stride_h − pad_top + ky·dilation_h`, `ix = ox·stride_w − pad_left + kx·dilation_w`.
    ///   Taps outside the image are skipped (the same as padding with the input zero point).
    /// - Weight zero points are per output channel: one entry for all channels, or `Cout` entries
    ///   (an empty array means 0).
    /// - Accumulation order: the accumulator starts at 0; the products
    ///   `(w[oc,ky,kx,ic] − zp_w[oc]) · (x[b,iy,ix,ic] − zp_x)` (exact in int32 for 8- and 16-bit
    ///   operands) are added in `(ky, kx, ic)` order, each with `overflow.add`; the bias `bias[oc]`
    ///   is added last, with `overflow.add`. Under `.saturate` the order matters and is exactly
    ///   this one.
    public static func conv2DAccumulators(
        input: IntTensor, inputZeroPoint: Int32, weights: IntTensor, weightZeroPoints: [Int32], bias: [Int32]?,
        parameters: Conv2DParameters, overflow: OverflowMode
    ) -> IntTensor {
        let (batch, inHeight, inWidth, inChannels) = extents4(input.shape, "conv2D input")
        let (outChannels, kernelHeight, kernelWidth, groupInChannels) = extents4(weights.shape, "conv2D weights")
        let groups = parameters.groups
        precondition(
            groups > 0 && inChannels % groups == 0 && outChannels % groups == 0,
            "conv2D: \(groups) groups do not divide \(inChannels) → \(outChannels) channels")
        precondition(
            groupInChannels == inChannels / groups,
            "conv2D: weights \(weights.shape) do not match \(inChannels) input channels in \(groups) groups")
        precondition(
            weightZeroPoints.count <= 1 || weightZeroPoints.count == outChannels,
            "conv2D: \(weightZeroPoints.count) weight zero points for \(outChannels) output channels")
        precondition(
            (bias?.count ?? outChannels) == outChannels,
            "conv2D: bias has \(bias?.count ?? 0) entries for \(outChannels) output channels")
        let stride = parameters.stride
        let dilation = parameters.dilation
        let padding = parameters.padding
        guard
            let outHeight = slidingWindowOutputExtent(
                input: inHeight, padBefore: padding.top, padAfter: padding.bottom,
                kernel: kernelHeight, stride: stride.height, dilation: dilation.height),
            let outWidth = slidingWindowOutputExtent(
                input: inWidth, padBefore: padding.left, padAfter: padding.right,
                kernel: kernelWidth, stride: stride.width, dilation: dilation.width)
        else {
            preconditionFailure("conv2D: the kernel does not fit the padded input")
        }
        let groupOutChannels = outChannels / groups

        // Row-major strides.
        let inRowStride = inWidth * inChannels
        let inImageStride = inHeight * inRowStride
        let weightRowStride = kernelWidth * groupInChannels
        let weightChannelStride = kernelHeight * weightRowStride

        var result = [Int32](repeating: 0, count: batch * outHeight * outWidth * outChannels)
        input.values.withUnsafeBufferPointer { x in
            weights.values.withUnsafeBufferPointer { w in
                var outIndex = 0
                for b in 0..<batch {
                    for oy in 0..<outHeight {
                        for ox in 0..<outWidth {
                            for oc in 0..<outChannels {
                                let firstInChannel = (oc / groupOutChannels) * groupInChannels
                                let weightZeroPoint =
                                    weightZeroPoints.isEmpty
                                    ? 0 : weightZeroPoints[weightZeroPoints.count == 1 ? 0 : oc]
                                var acc: Int32 = 0
                                for ky in 0..<kernelHeight {
                                    let iy = oy * stride.height - padding.top + ky * dilation.height
                                    if iy < 0 || iy >= inHeight { continue }
                                    for kx in 0..<kernelWidth {
                                        let ix = ox * stride.width - padding.left + kx * dilation.width
                                        if ix < 0 || ix >= inWidth { continue }
                                        let xBase =
                                            b * inImageStride + iy * inRowStride + ix * inChannels + firstInChannel
                                        let wBase =
                                            oc * weightChannelStride + ky * weightRowStride + kx * groupInChannels
                                        acc = accumulateProducts(
                                            acc, w, wBase, weightZeroPoint, x, xBase, inputZeroPoint,
                                            count: groupInChannels, overflow: overflow)
                                    }
                                }
                                if let bias {
                                    acc = overflow.add(acc, bias[oc])
                                }
                                result[outIndex] = acc
                                outIndex += 1
                            }
                        }
                    }
                }
            }
        }
        return IntTensor(shape: [batch, outHeight, outWidth, outChannels], elementType: .int32, values: result)
    }

    /// Adds the products `(w[wBase + i] − wZeroPoint) · (x[xBase + i] − xZeroPoint)`, i = 0..<count, to
    /// `acc` one at a time in increasing `i`, each with `overflow.add`. Each product is exact in
    /// int32 for 8- and 16-bit operands (checked arithmetic would stop on anything wider). The
    /// overflow mode is switched on once per run of products, not per product.
    @inline(__always)
    static func accumulateProducts(
        _ acc: Int32, _ w: UnsafeBufferPointer<Int32>, _ wBase: Int, _ wZeroPoint: Int32,
        _ x: UnsafeBufferPointer<Int32>, _ xBase: Int, _ xZeroPoint: Int32, count: Int, overflow: OverflowMode
    ) -> Int32 {
        var acc = acc
        switch overflow {
        case .wrap:
            for i in 0..<count {
                acc = OverflowMode.wrap.add(acc, (w[wBase + i] - wZeroPoint) * (x[xBase + i] - xZeroPoint))
            }
        case .saturate:
            for i in 0..<count {
                acc = OverflowMode.saturate.add(acc, (w[wBase + i] - wZeroPoint) * (x[xBase + i] - xZeroPoint))
            }
        }
        return acc
    }

    /// Applies a requantizer to int32 accumulators whose last axis is the output channel.
    static func requantizeAccumulators(_ accumulators: IntTensor, requantizer: Requantizer, outputType: ElementType)
        -> IntTensor
    {
        let channels = accumulators.shape.last ?? 1
        precondition(
            requantizer.channelCount == 1 || requantizer.channelCount == channels,
            "requantizer has \(requantizer.channelCount) channels for \(channels) output channels")
        var values = [Int32](repeating: 0, count: accumulators.count)
        for index in 0..<accumulators.count {
            values[index] = requantizer.apply(accumulators.values[index], channel: index % channels)
        }
        return IntTensor(shape: accumulators.shape, elementType: outputType, values: values)
    }
}

// MARK: Wide (int64) accumulators

extension ReferenceKernels {
    /// Adds `product` to a 64-bit accumulator: wrap is modulo 2^64, saturate clamps to the Int64
    /// range.
    @inlinable
    static func addWide(_ acc: Int64, _ product: Int64, overflow: OverflowMode) -> Int64 {
        switch overflow {
        case .wrap:
            return acc &+ product
        case .saturate:
            let (sum, overflowed) = acc.addingReportingOverflow(product)
            return overflowed ? (product > 0 ? .max : .min) : sum
        }
    }

    /// 2-D convolution with int64 accumulators and an int64 bias (`parameters.accumulator ==
    /// .int64`), requantized to `outputType` with ``Requantizer/apply(wide:channel:)``.
    public static func conv2DWide(
        input: IntTensor, inputZeroPoint: Int32, weights: IntTensor, weightZeroPoints: [Int32], bias: [Int64]?,
        parameters: Conv2DParameters, overflow: OverflowMode, outputType: ElementType
    ) -> IntTensor {
        let (shape, accumulators) = conv2DWideAccumulators(
            input: input, inputZeroPoint: inputZeroPoint, weights: weights, weightZeroPoints: weightZeroPoints,
            bias: bias, parameters: parameters, overflow: overflow)
        return requantizeWide(accumulators, shape: shape, requantizer: parameters.requantizer, outputType: outputType)
    }

    /// The int64 accumulators of a convolution, NHWC `[N, OH, OW, Cout]`: the same taps and order
    /// as ``conv2DAccumulators(input:inputZeroPoint:weights:weightZeroPoints:bias:parameters:overflow:)``,
    /// each product `(w − zp_w)·(x − zp_x)` exact in 64 bits and added with 64-bit `overflow`
    /// semantics, the bias last.
    public static func conv2DWideAccumulators(
        input: IntTensor, inputZeroPoint: Int32, weights: IntTensor, weightZeroPoints: [Int32], bias: [Int64]?,
        parameters p: Conv2DParameters, overflow: OverflowMode
    ) -> (shape: [Int], values: [Int64]) {
        let (batch, inHeight, inWidth, inChannels) = extents4(input.shape, "conv2D input")
        let (outChannels, kernelHeight, kernelWidth, groupInChannels) = extents4(weights.shape, "conv2D weights")
        precondition(
            p.groups > 0 && inChannels == groupInChannels * p.groups && outChannels % p.groups == 0,
            "conv2DWide: bad groups")
        precondition(
            (bias?.count ?? outChannels) == outChannels,
            "conv2DWide: bias has \(bias?.count ?? 0) entries for \(outChannels) output channels")
        guard
            let outHeight = slidingWindowOutputExtent(
                input: inHeight, padBefore: p.padding.top, padAfter: p.padding.bottom,
                kernel: kernelHeight, stride: p.stride.height, dilation: p.dilation.height),
            let outWidth = slidingWindowOutputExtent(
                input: inWidth, padBefore: p.padding.left, padAfter: p.padding.right,
                kernel: kernelWidth, stride: p.stride.width, dilation: p.dilation.width)
        else {
            preconditionFailure("conv2DWide: the kernel does not fit the padded input")
        }
        let groupOutChannels = outChannels / p.groups
        var result = [Int64](repeating: 0, count: batch * outHeight * outWidth * outChannels)
        var outIndex = 0
        for b in 0..<batch {
            for oy in 0..<outHeight {
                for ox in 0..<outWidth {
                    for oc in 0..<outChannels {
                        let firstInChannel = (oc / groupOutChannels) * groupInChannels
                        let wzp = Int64(
                            weightZeroPoints.isEmpty ? 0 : weightZeroPoints[weightZeroPoints.count == 1 ? 0 : oc])
                        var acc: Int64 = 0
                        for ky in 0..<kernelHeight {
                            let iy = oy * p.stride.height - p.padding.top + ky * p.dilation.height
                            if iy < 0 || iy >= inHeight { continue }
                            for kx in 0..<kernelWidth {
                                let ix = ox * p.stride.width - p.padding.left + kx * p.dilation.width
                                if ix < 0 || ix >= inWidth { continue }
                                let xBase = ((b * inHeight + iy) * inWidth + ix) * inChannels + firstInChannel
                                let wBase = ((oc * kernelHeight + ky) * kernelWidth + kx) * groupInChannels
                                for i in 0..<groupInChannels {
                                    let product =
                                        (Int64(weights.values[wBase + i]) - wzp)
                                        * (Int64(input.values[xBase + i]) - Int64(inputZeroPoint))
                                    acc = addWide(acc, product, overflow: overflow)
                                }
                            }
                        }
                        if let bias { acc = addWide(acc, bias[oc], overflow: overflow) }
                        result[outIndex] = acc
                        outIndex += 1
                    }
                }
            }
        }
        return ([batch, outHeight, outWidth, outChannels], result)
    }

    /// Applies a requantizer to int64 accumulators whose last axis is the output channel.
    static func requantizeWide(_ accumulators: [Int64], shape: [Int], requantizer: Requantizer, outputType: ElementType)
        -> IntTensor
    {
        let channels = shape.last ?? 1
        var values = [Int32](repeating: 0, count: accumulators.count)
        for index in 0..<accumulators.count {
            values[index] = requantizer.apply(wide: accumulators[index], channel: index % channels)
        }
        return IntTensor(shape: shape, elementType: outputType, values: values)
    }
}
