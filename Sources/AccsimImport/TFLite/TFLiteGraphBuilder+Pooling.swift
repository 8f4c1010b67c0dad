import AccsimArithmetic
import AccsimModel

extension TFLiteGraphBuilder {
    /// MAX_POOL_2D → `max_pool`, AVERAGE_POOL_2D → `avg_pool` (`half_away`, in-image taps only),
    /// with SAME/VALID padding and the fused activation as the clamp. LiteRT requires input and
    /// output to share the quantization.
    mutating func convertPool(_ context: OperatorContext) throws(ModelError) {
        let options = try TFLiteOptions.Pool2D(table: options(context, .pool2D))
        let x = try activationInput(context, 0)
        let y = try activationOutput(context)
        let inShape = try intShape(x.tensor, context)
        guard inShape.count == 4 else {
            throw context.error("input \(x.tensor.label) has shape \(inShape); expected NHWC")
        }
        guard x.scale == y.scale, x.zeroPoint == y.zeroPoint else {
            throw context.error(
                "input \(x.tensor.label) and output \(y.tensor.label) are quantized differently; LiteRT's int8 pooling requires equal quantization"
            )
        }
        guard options.filterHeight >= 1, options.filterWidth >= 1, options.filterHeight <= 1 << 16,
            options.filterWidth <= 1 << 16
        else {
            throw context.error("filter [\(options.filterHeight), \(options.filterWidth)] must be positive")
        }
        let window = Size2D(height: Int(options.filterHeight), width: Int(options.filterWidth))
        let geometry = try convolutionGeometry(
            context, input: inShape, kernel: (window.height, window.width), padding: options.padding,
            stride: (options.strideH, options.strideW), dilation: (1, 1))
        let clamp = try TFLiteQuantizationMath.activationRange(
            options.activation, scale: y.scale, zeroPoint: y.zeroPoint, type: activationType(y.tensor), context)
        let operation: Operation
        if context.builtin == .maxPool2D {
            operation = .maxPool(
                MaxPoolParameters(
                    window: window, stride: geometry.stride, padding: geometry.padding, clampMin: clamp.min,
                    clampMax: clamp.max))
        } else {
            operation = .avgPool(
                AvgPoolParameters(
                    window: window, stride: geometry.stride, padding: geometry.padding, rounding: .halfAway,
                    countIncludePad: false, clampMin: clamp.min, clampMax: clamp.max))
        }
        addNode(context.nodeName, operation, inputs: [x.name], output: y.name)
    }

    /// MEAN over axes {1, 2} of a 4-D tensor → `mean`. Two LiteRT kernels exist:
    ///
    /// - the reference kernel, the optimized one without keep_dims, and both for int16: `Σq − zp_in·n` through
    ///   `(M', sh')` folded from `QuantizeMultiplier(s_in / s_out)` and `n = H·W`
    ///   (`k = min(floor(log2 n), 32, 31 + sh)`, `M' = (M·2^k) div n`, `sh' = sh − k`), `tflite`;
    /// - the optimized kernel with keep_dims: the raw sum `Σq` through
    ///   `QuantizeMultiplier(float(s_in / (n · s_out)))`, then `+ bias` with
    ///   `bias = zp_out − trunc(float(zp_in · s_in / s_out) ± 0.5)`; SIMD channels half up. The raw
    ///   sum is read through a reshape that views the input with zero point 0, and the bias is
    ///   carried by the zero point of an intermediate tensor that a second view removes.
    mutating func convertMean(_ context: OperatorContext) throws(ModelError) {
        let options = try TFLiteOptions.Reducer(table: options(context, .reducer))
        let x = try activationInput(context, 0)
        let y = try activationOutput(context)
        let inShape = try intShape(x.tensor, context)
        let axes = try meanAxes(context, rank: inShape.count)
        guard inShape.count == 4, axes == [1, 2] else {
            throw context.error(
                "MEAN over axes \(axes) of a rank-\(inShape.count) tensor is not supported; accsim's mean reduces H and W (axes 1, 2) of an NHWC tensor"
            )
        }
        let (batch, height, width, channels) = (inShape[0], inShape[1], inShape[2], inShape[3])
        let count = height * width
        let expected = options.keepDims ? [batch, 1, 1, channels] : [batch, channels]
        guard try intShape(y.tensor, context) == expected else {
            throw context.error("output \(y.tensor.label) has shape \(y.tensor.shape); expected \(expected)")
        }
        // int16 MEAN takes the reference path in both LiteRT variants (its optimized 4-D kernel
        // exists for int8 and uint8 only).
        let outputType = activationType(y.tensor)
        if kernels == .optimized && options.keepDims && outputType == .int8 {
            try convertRawSumMean(
                context, x: (x.name, x.scale, x.zeroPoint), y: (y.name, y.scale, y.zeroPoint), shape: inShape,
                output: expected)
            return
        }
        let (m, n) = try TFLiteQuantizationMath.multiplier(Double(x.scale) / Double(y.scale), what: "output", context)
        let shift = 31 - Int(n)  // TFLite's signed exponent
        let k = min(Int(Double(count).log2Floor), 32, 31 + shift)
        let folded = k >= 0 ? (Int64(m) << Int64(k)) / Int64(count) : Int64(m)
        let foldedShift = Int(n) + max(k, 0)
        guard k >= 0, folded <= Int64(Int32.max), foldedShift <= Int(Requantizer.maxShift) else {
            throw context.error("the mean multiplier \(Double(x.scale) / Double(y.scale)) / \(count) is out of range")
        }
        let requantizer = Requantizer(
            multiplier: Int32(folded), shift: Int32(foldedShift), rounding: .tflite, zeroPoint: y.zeroPoint,
            clampMin: outputType.minValue, clampMax: outputType.maxValue)
        addNode(
            context.nodeName, .mean(MeanParameters(requantizer: requantizer, keepDims: options.keepDims)),
            inputs: [x.name], output: y.name)
    }

    /// The optimized keep_dims MEAN (see ``convertMean(_:)``).
    private mutating func convertRawSumMean(
        _ context: OperatorContext, x: (name: String, scale: Float, zeroPoint: Int32),
        y: (name: String, scale: Float, zeroPoint: Int32),
        shape: [Int], output: [Int]
    ) throws(ModelError) {
        let count = shape[1] * shape[2]
        let realScale = x.scale / (Float(count) * y.scale)
        var temp = Float(x.zeroPoint) * x.scale / y.scale
        temp = temp > 0 ? temp + 0.5 : temp - 0.5
        guard temp.isFinite, abs(temp) < 16_777_216 else {
            throw context.error("the mean's zero-point correction \(temp) is out of range")
        }
        let bias = y.zeroPoint - Int32(temp)
        let split = TFLiteKernelSemantics.meanKeepDims(channels: shape[3], kernels)
        let (m, n) = try TFLiteQuantizationMath.multiplier(Double(realScale), what: "output", context)
        noteTail(split, context, clampMin: -128, zeroPoint: y.zeroPoint, what: "channels")

        // The raw sum: the input viewed with zero point 0.
        var input = x.name
        if x.zeroPoint != 0 {
            input = declareIntermediate(
                x.name + "/raw", shape: shape, quantization: Quantization(scale: Double(x.scale), zeroPoint: 0))
            addNode(
                context.nodeName + "/raw_view", .reshape(ReshapeParameters(shape: shape)), inputs: [x.name],
                output: input)
        }
        if bias == y.zeroPoint {
            let requantizer = Requantizer(multiplier: m, shift: n, rounding: split.rounding, zeroPoint: bias)
            addNode(
                context.nodeName, .mean(MeanParameters(requantizer: requantizer, keepDims: true)), inputs: [input],
                output: y.name)
            return
        }
        // clamp(ROUND(Σq) + bias, −128, 127) = zp_out + clamp(ROUND(Σq) + δ, −128 − zp_out, 127 − zp_out)
        // with δ = bias − zp_out: the mean writes ROUND(Σq) + δ into an int16 tensor whose zero
        // point is δ, a view gives it zero point 0, and a requantize by 1 adds zp_out.
        let delta = bias - y.zeroPoint
        guard ElementType.int16.contains(Int64(delta)) else {
            throw context.error("the mean's zero-point correction \(delta) does not fit int16")
        }
        let shifted = declareIntermediate(
            y.name + "/biased", shape: output, type: .int16,
            quantization: Quantization(scale: Double(y.scale), zeroPoint: delta))
        let requantizer = Requantizer(
            multiplier: m, shift: n, rounding: split.rounding, zeroPoint: delta,
            clampMin: -128 - y.zeroPoint, clampMax: 127 - y.zeroPoint)
        addNode(
            context.nodeName, .mean(MeanParameters(requantizer: requantizer, keepDims: true)), inputs: [input],
            output: shifted)
        let view = declareIntermediate(
            y.name + "/unbiased", shape: output, type: .int16,
            quantization: Quantization(scale: Double(y.scale), zeroPoint: 0))
        addNode(
            context.nodeName + "/bias_view", .reshape(ReshapeParameters(shape: output)), inputs: [shifted], output: view
        )
        let identity = Requantizer(multiplier: 1, shift: 0, rounding: .halfUp, zeroPoint: y.zeroPoint)
        addNode(context.nodeName + "/add_zero_point", .requantize(identity), inputs: [view], output: y.name)
    }

    /// The MEAN's constant axes (input 1), normalised and sorted without repeats.
    private func meanAxes(_ context: OperatorContext, rank: Int) throws(ModelError) -> [Int] {
        var axes = Set<Int>()
        for value in try integerConstant(context, input(context, 1), what: "axes") {
            guard value >= -Int64(rank), value < Int64(rank) else {
                throw context.error("axis \(value) is outside a rank-\(rank) tensor")
            }
            axes.insert(Int(value < 0 ? value + Int64(rank) : value))
        }
        return axes.sorted()
    }
}
