import AccsimArithmetic
import AccsimModel

/// The spatial geometry of a convolution or pooling window, in accsim's terms.
struct ONNXWindowGeometry: Sendable {
    var stride: Size2D
    var dilation: Size2D
    var padding: Padding2D
    var outputHeight: Int
    var outputWidth: Int
}

extension ONNXGraphBuilder {
    /// Reads `strides`, `dilations`, `pads` (`[top, left, bottom, right]`), `auto_pad` and
    /// `ceil_mode` (accepted only where it does not change the output size).
    func windowGeometry(_ context: ONNXNodeContext, input: (Int, Int), kernel: (Int, Int), allowDilation: Bool)
        throws(ModelError) -> ONNXWindowGeometry
    {
        let strides = try context.ints("strides") ?? [1, 1]
        let dilations = try context.ints("dilations") ?? [1, 1]
        guard strides.count == 2, strides.allSatisfy({ $0 >= 1 }) else {
            throw context.error("strides \(strides) must be two positive values")
        }
        guard dilations.count == 2, dilations.allSatisfy({ $0 >= 1 }) else {
            throw context.error("dilations \(dilations) must be two positive values")
        }
        if !allowDilation && dilations != [1, 1] { throw context.error("dilated pooling is not supported") }
        guard kernel.0 >= 1, kernel.1 >= 1 else {
            throw context.error("kernel \([kernel.0, kernel.1]) must be positive")
        }
        let extents = [input.0, input.1]
        let kernels = [kernel.0, kernel.1]
        var before = [0, 0]
        var after = [0, 0]
        switch try context.string("auto_pad", "NOTSET") {
        case "NOTSET", "":
            let pads = try context.ints("pads") ?? [0, 0, 0, 0]
            guard pads.count == 4, pads.allSatisfy({ $0 >= 0 }) else {
                throw context.error("pads \(pads) must be four non-negative values")
            }
            before = [pads[0], pads[1]]
            after = [pads[2], pads[3]]
        case "VALID":
            break
        case let mode where mode == "SAME_UPPER" || mode == "SAME_LOWER":
            for axis in 0..<2 {
                let effective = (kernels[axis] - 1) * dilations[axis] + 1
                let output = (extents[axis] + strides[axis] - 1) / strides[axis]
                let total = max(0, (output - 1) * strides[axis] + effective - extents[axis])
                before[axis] = mode == "SAME_UPPER" ? total / 2 : total - total / 2
                after[axis] = total - before[axis]
            }
        case let mode:
            throw context.error("auto_pad '\(mode)' is not supported")
        }
        var outputs = [0, 0]
        for axis in 0..<2 {
            guard
                let extent = slidingWindowOutputExtent(
                    input: extents[axis], padBefore: before[axis], padAfter: after[axis], kernel: kernels[axis],
                    stride: strides[axis], dilation: dilations[axis])
            else {
                throw context.error(
                    "the \(kernels[0])x\(kernels[1]) window does not fit the padded \(extents[0])x\(extents[1]) input")
            }
            outputs[axis] = extent
            if try context.int("ceil_mode", 0) != 0 {
                let effective = (kernels[axis] - 1) * dilations[axis] + 1
                let span = extents[axis] + before[axis] + after[axis] - effective
                if span % strides[axis] != 0 {
                    throw context.error("ceil_mode = 1 changes the output size here, which is not supported")
                }
            }
        }
        return ONNXWindowGeometry(
            stride: Size2D(height: strides[0], width: strides[1]),
            dilation: Size2D(height: dilations[0], width: dilations[1]),
            padding: Padding2D(top: before[0], bottom: after[0], left: before[1], right: after[1]),
            outputHeight: outputs[0], outputWidth: outputs[1])
    }

    /// The `kernel_shape` of a pooling node.
    private func poolKernel(_ context: ONNXNodeContext) throws(ModelError) -> (Int, Int) {
        guard let kernel = try context.ints("kernel_shape"), kernel.count == 2 else {
            throw context.error("needs a two-dimensional kernel_shape")
        }
        return (kernel[0], kernel[1])
    }

    /// MaxPool on a quantized tensor → `max_pool` (the maximum over in-image taps, which is what
    /// the float MaxPool of dequantized values gives once quantized again with the same
    /// parameters). Output quantization = input quantization.
    mutating func convertMaxPool(_ context: ONNXNodeContext, x: ONNXActivation, output: ONNXOutputQuantization)
        throws(ModelError)
    {
        guard x.layout == .nchw else { throw context.error("input '\(context.input(0) ?? "")' is not an NCHW tensor") }
        if try context.int("storage_order", 0) != 0 { throw context.error("storage_order = 1 is not supported") }
        let kernel = try poolKernel(context)
        let geometry = try windowGeometry(
            context, input: (x.shape[2], x.shape[3]), kernel: kernel, allowDilation: false)
        try checkPoolPadding(context, geometry, kernel)
        let y = declareActivation(
            output, shape: [x.shape[0], x.shape[1], geometry.outputHeight, geometry.outputWidth], layout: .nchw)
        let parameters = MaxPoolParameters(
            window: Size2D(height: kernel.0, width: kernel.1), stride: geometry.stride, padding: geometry.padding,
            clampMin: x.type.minValue, clampMax: x.type.maxValue)
        addNode(context, .maxPool(parameters), inputs: [x.name], output: y.name)
    }

    /// AveragePool (QDQ) and QLinearAveragePool → `avg_pool` with `half_even` rounding of the
    /// exact mean of the stored values. onnxruntime averages dequantized values in float32 and
    /// rounds `mean / s_y + zp_y` half to even: the same except on exact ties, which float32
    /// rounding errors may move (docs/import-onnx.md).
    ///
    /// When input and output are quantized differently (QOperator models), the mean is taken at
    /// 2^7 times the input's resolution: `requantize` to int16 (`(q − zp)·2^7`, exact), `avg_pool`
    /// in int16, then a requantizer for `s_x / (2^7 · s_y)` under the policy.
    mutating func convertAveragePool(_ context: ONNXNodeContext, x: ONNXActivation, output: ONNXOutputQuantization)
        throws(ModelError)
    {
        guard x.layout == .nchw else { throw context.error("input '\(context.input(0) ?? "")' is not an NCHW tensor") }
        let kernel = try poolKernel(context)
        let geometry = try windowGeometry(
            context, input: (x.shape[2], x.shape[3]), kernel: kernel, allowDilation: false)
        try checkPoolPadding(context, geometry, kernel)
        let includePad = try context.int("count_include_pad", 0) != 0
        let outputShape = [x.shape[0], x.shape[1], geometry.outputHeight, geometry.outputWidth]
        let sameQuantization = x.scale == output.scale && x.zeroPoint == output.zeroPoint && x.type == output.type
        let poolType: ElementType = sameQuantization ? output.type : .int16
        let parameters = AvgPoolParameters(
            window: Size2D(height: kernel.0, width: kernel.1), stride: geometry.stride, padding: geometry.padding,
            rounding: .halfEven, countIncludePad: includePad, clampMin: poolType.minValue, clampMax: poolType.maxValue)
        if sameQuantization {
            let y = declareActivation(output, shape: outputShape, layout: .nchw)
            addNode(context, .avgPool(parameters), inputs: [x.name], output: y.name)
        } else {
            let gain = 128
            let wideScale = Double(x.scale) / Double(gain)
            let inputShape = [x.shape[0], x.shape[2], x.shape[3], x.shape[1]]
            let pooledShape = [outputShape[0], outputShape[2], outputShape[3], outputShape[1]]
            let wide = declareIntermediate(
                output.onnxName + "/int16_input", shape: inputShape, type: .int16,
                quantization: Quantization(scale: wideScale, zeroPoint: 0))
            addNode(
                context, suffix: "/widen",
                .requantize(
                    Requantizer(
                        multiplier: Int32(gain), shift: 0, rounding: .halfEven, zeroPoint: 0,
                        clampMin: poolType.minValue, clampMax: poolType.maxValue)),
                inputs: [x.name], output: wide)
            let pooled = declareIntermediate(
                output.onnxName + "/int16_mean", shape: pooledShape, type: .int16,
                quantization: Quantization(scale: wideScale, zeroPoint: 0))
            addNode(context, .avgPool(parameters), inputs: [wide], output: pooled)
            let conversion = try requantizer(
                ScaledRequantization(
                    reals: [wideScale / Double(output.scale)], role: .joining, zeroPoint: output.zeroPoint,
                    clampMin: output.type.minValue, clampMax: output.type.maxValue),
                onnxruntimeScales: nil, context)
            let y = declareActivation(output, shape: outputShape, layout: .nchw)
            addNode(
                context, suffix: "/requantize", .requantize(conversion.requantizer), inputs: [pooled], output: y.name)
            if !notes.contains(where: { $0.hasPrefix("avg_pool with") }) {
                notes.append(
                    "avg_pool with different input and output quantization runs in int16 at 2^7 × the input resolution, then requantizes: a mean within 2^-8 input steps of an output rounding boundary may round differently from onnxruntime"
                )
            }
        }
        if !notes.contains(where: { $0.hasPrefix("avg_pool") }) {
            notes.append(
                "avg_pool rounds the exact mean half to even; onnxruntime sums float32 values, so on exact ties (even tap counts) its float rounding error decides and may differ"
            )
        }
    }

    /// GlobalAveragePool (QDQ) and QLinearGlobalAveragePool → `mean` (keep_dims): the int32 sum
    /// `Σq − zp·H·W` through a requantizer for onnxruntime's float32 `s_x / (s_y · H·W)`.
    mutating func convertGlobalAveragePool(
        _ context: ONNXNodeContext, x: ONNXActivation, output: ONNXOutputQuantization
    ) throws(ModelError) {
        guard x.layout == .nchw else { throw context.error("input '\(context.input(0) ?? "")' is not an NCHW tensor") }
        let count = x.shape[2] * x.shape[3]
        let scale = ONNXRuntimeArithmetic.meanScale(input: x.scale, output: output.scale, count: count)
        let conversion = try requantizer(
            ScaledRequantization(
                reals: [Double(scale)], role: .joining, zeroPoint: output.zeroPoint, clampMin: output.type.minValue,
                clampMax: output.type.maxValue),
            onnxruntimeScales: [scale], context)
        let y = declareActivation(output, shape: [x.shape[0], x.shape[1], 1, 1], layout: .nchw)
        addNode(
            context, .mean(MeanParameters(requantizer: conversion.requantizer, keepDims: true)), inputs: [x.name],
            output: y.name)
    }

    /// accsim pools need every window to see the image: padding smaller than the window.
    private func checkPoolPadding(_ context: ONNXNodeContext, _ geometry: ONNXWindowGeometry, _ kernel: (Int, Int))
        throws(ModelError)
    {
        let p = geometry.padding
        if p.top >= kernel.0 || p.bottom >= kernel.0 || p.left >= kernel.1 || p.right >= kernel.1 {
            throw context.error(
                "padding \([p.top, p.left, p.bottom, p.right]) is not smaller than the \(kernel.0)x\(kernel.1) window")
        }
    }
}
