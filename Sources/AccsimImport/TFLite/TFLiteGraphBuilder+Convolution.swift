import AccsimArithmetic
import AccsimModel

extension TFLiteGraphBuilder {
    /// CONV_2D → `conv2d`: weights `[Cout, KH, KW, Cin/groups]` as they are (TFLite's layout is
    /// accsim's OHWI), `groups = Cin / (weights' Cin)`, explicit SAME/VALID padding, a per-channel
    /// requantizer from `s_in · s_w[c] / s_out` and the fused activation as its clamp.
    mutating func convertConv2D(_ context: OperatorContext) throws(ModelError) {
        let options = try TFLiteOptions.Conv2D(table: options(context, .conv2D))
        let x = try activationInput(context, 0)
        let w = try weights(context, rank: 4, channelAxis: 0)
        let y = try activationOutput(context)
        let inShape = try intShape(x.tensor, context)
        guard inShape.count == 4 else {
            throw context.error("input \(x.tensor.label) has shape \(inShape); expected NHWC")
        }
        try checkBiasType(options.quantizedBiasType, context)
        let cout = w.shape[0]
        let groupChannels = w.shape[3]
        guard inShape[3] % groupChannels == 0, cout % (inShape[3] / groupChannels) == 0 else {
            throw context.error(
                "weights \(w.tensor.label) of shape \(w.shape) do not divide the \(inShape[3]) input channels into groups"
            )
        }
        let geometry = try convolutionGeometry(
            context, input: inShape, kernel: (w.shape[1], w.shape[2]), padding: options.padding,
            stride: (options.strideH, options.strideW), dilation: (options.dilationH, options.dilationW))
        let weightsName = declareWeights(w, shape: w.shape, bytes: Array(w.bytes), transform: "")
        let biasName = try bias(context, channels: cout)
        let clamp = try TFLiteQuantizationMath.activationRange(
            options.activation, scale: y.scale, zeroPoint: y.zeroPoint, type: activationType(y.tensor), context)
        var requantizer = try TFLiteQuantizationMath.requantizer(
            reals: realMultipliers(input: x.scale, weights: w, output: y.scale, channels: cout),
            rounding: TFLiteKernelSemantics.convolution(kernels), zeroPoint: y.zeroPoint, clamp: clamp, what: "output",
            context)
        let accumulator = try int16x8Accumulator(x.tensor, &requantizer, context)
        let parameters = Conv2DParameters(
            stride: geometry.stride, dilation: geometry.dilation, padding: geometry.padding,
            groups: inShape[3] / groupChannels, requantizer: requantizer, accumulator: accumulator)
        addNode(
            context.nodeName, .conv2D(parameters), inputs: [x.name, weightsName] + (biasName.map { [$0] } ?? []),
            output: y.name)
    }

    /// DEPTHWISE_CONV_2D → `conv2d` with `groups = Cin`: weights `[1, KH, KW, Cin·m]` transposed to
    /// `[Cin·m, KH, KW, 1]` (output channel `ic·m + j` reads input channel `ic` in both), per-channel
    /// scales moved from axis 3 to axis 0. The optimized kernel's channel tail (see
    /// ``TFLiteKernelSemantics/depthwise(channels:_:)``) is recorded as inexact when a fused
    /// activation does not hide it.
    mutating func convertDepthwiseConv2D(_ context: OperatorContext) throws(ModelError) {
        let options = try TFLiteOptions.DepthwiseConv2D(table: options(context, .depthwiseConv2D))
        let x = try activationInput(context, 0)
        let w = try weights(context, rank: 4, channelAxis: 3)
        let y = try activationOutput(context)
        let inShape = try intShape(x.tensor, context)
        guard inShape.count == 4 else {
            throw context.error("input \(x.tensor.label) has shape \(inShape); expected NHWC")
        }
        let (kh, kw, cout) = (w.shape[1], w.shape[2], w.shape[3])
        guard w.shape[0] == 1, cout % inShape[3] == 0 else {
            throw context.error(
                "weights \(w.tensor.label) of shape \(w.shape) are not [1, KH, KW, Cin·m] for \(inShape[3]) input channels"
            )
        }
        let geometry = try convolutionGeometry(
            context, input: inShape, kernel: (kh, kw), padding: options.padding,
            stride: (options.strideH, options.strideW), dilation: (options.dilationH, options.dilationW))
        // [1, KH, KW, C] → [C, KH, KW, 1]: element (ky, kx, c) moves to (c, ky, kx).
        var transposed = [UInt8](repeating: 0, count: w.bytes.count)
        let base = w.bytes.startIndex
        for ky in 0..<kh {
            for kx in 0..<kw {
                for c in 0..<cout {
                    transposed[(c * kh + ky) * kw + kx] = w.bytes[base + (ky * kw + kx) * cout + c]
                }
            }
        }
        let weightsName = declareWeights(w, shape: [cout, kh, kw, 1], bytes: transposed, transform: "ohwi")
        let biasName = try bias(context, channels: cout)
        let clamp = try TFLiteQuantizationMath.activationRange(
            options.activation, scale: y.scale, zeroPoint: y.zeroPoint, type: activationType(y.tensor), context)
        let split = TFLiteKernelSemantics.depthwise(channels: cout, kernels)
        var requantizer = try TFLiteQuantizationMath.requantizer(
            reals: realMultipliers(input: x.scale, weights: w, output: y.scale, channels: cout),
            rounding: split.rounding, zeroPoint: y.zeroPoint, clamp: clamp, what: "output", context)
        let accumulator = try int16x8Accumulator(x.tensor, &requantizer, context)
        if accumulator == nil {
            noteTail(split, context, clampMin: clamp.min, zeroPoint: y.zeroPoint, what: "output channels")
        }
        let parameters = Conv2DParameters(
            stride: geometry.stride, dilation: geometry.dilation, padding: geometry.padding,
            groups: inShape[3], requantizer: requantizer, accumulator: accumulator)
        addNode(
            context.nodeName, .conv2D(parameters), inputs: [x.name, weightsName] + (biasName.map { [$0] } ?? []),
            output: y.name)
    }

    /// FULLY_CONNECTED → `fully_connected` on `[N, D]`, with reshapes around it when the input or
    /// output has another rank (`keep_num_dims`, a 4-D input). Optimized: `tflite_half_up`;
    /// reference: `double_half_away` with the real multipliers.
    mutating func convertFullyConnected(_ context: OperatorContext) throws(ModelError) {
        let options = try TFLiteOptions.FullyConnected(table: options(context, .fullyConnected))
        if options.weightsFormat != 0 {
            throw context.error("weights_format \(options.weightsFormat) (shuffled weights) is not supported")
        }
        try checkBiasType(options.quantizedBiasType, context)
        let x = try activationInput(context, 0)
        let w = try weights(context, rank: 2, channelAxis: 0)
        let y = try activationOutput(context)
        let (outputs, depth) = (w.shape[0], w.shape[1])
        let inShape = try intShape(x.tensor, context)
        let inCount = inShape.reduce(1, *)
        guard inCount % depth == 0, inCount / depth == inShape[0] else {
            throw context.error(
                "input \(x.tensor.label) of shape \(inShape) does not flatten to [\(inShape[0]), \(depth)] for weights \(w.shape)"
            )
        }
        let batch = inShape[0]
        let outShape = try intShape(y.tensor, context)
        guard outShape.reduce(1, *) == batch * outputs else {
            throw context.error("output \(y.tensor.label) has shape \(outShape); expected \(batch * outputs) elements")
        }
        var inputName = x.name
        if inShape != [batch, depth] {
            inputName = declareIntermediate(
                x.name + "/flat", shape: [batch, depth], type: activationType(x.tensor),
                quantization: Quantization(scale: Double(x.scale), zeroPoint: x.zeroPoint))
            addNode(
                context.nodeName + "/flatten", .reshape(ReshapeParameters(shape: [batch, depth])), inputs: [x.name],
                output: inputName)
        }
        let weightsName = declareWeights(w, shape: w.shape, bytes: Array(w.bytes), transform: "")
        let biasName = try bias(context, channels: outputs)
        let clamp = try TFLiteQuantizationMath.activationRange(
            options.activation, scale: y.scale, zeroPoint: y.zeroPoint, type: activationType(y.tensor), context)
        // LiteRT 2.3's int16 FULLY_CONNECTED (both kernel variants) requantizes its int64
        // accumulator in double precision, as the int8 reference kernel does (measured on
        // Fixtures/tflite16/fc16: 0 of 1,344 outputs differ; the 16-bit-multiplier form of the
        // int16 convolutions would differ on 143).
        let int16 = x.tensor.tensorType == .int16
        let requantizer = try TFLiteQuantizationMath.requantizer(
            reals: realMultipliers(input: x.scale, weights: w, output: y.scale, channels: outputs),
            rounding: int16 ? .doubleHalfAway : TFLiteKernelSemantics.fullyConnected(kernels), zeroPoint: y.zeroPoint,
            clamp: clamp, what: "output", context)
        let accumulator: ElementType? = int16 ? .int64 : nil
        let parameters = FullyConnectedParameters(requantizer: requantizer, accumulator: accumulator)
        let inputs = [inputName, weightsName] + (biasName.map { [$0] } ?? [])
        if outShape == [batch, outputs] {
            addNode(context.nodeName, .fullyConnected(parameters), inputs: inputs, output: y.name)
        } else {
            let flat = declareIntermediate(
                y.name + "/flat", shape: [batch, outputs], type: activationType(y.tensor),
                quantization: Quantization(scale: Double(y.scale), zeroPoint: y.zeroPoint))
            addNode(context.nodeName, .fullyConnected(parameters), inputs: inputs, output: flat)
            addNode(
                context.nodeName + "/unflatten", .reshape(ReshapeParameters(shape: outShape)), inputs: [flat],
                output: y.name)
        }
    }

    /// A `quantized_bias_type` accsim imports: unset, int32, or int64 (the 16x8 default).
    func checkBiasType(_ raw: Int8, _ context: OperatorContext) throws(ModelError) {
        let accepted = [0, TFLiteSchema.TensorType.int32.rawValue, TFLiteSchema.TensorType.int64.rawValue]
        if !accepted.contains(raw) {
            throw context.error("quantized_bias_type \(TFLiteSchema.TensorType.name(of: raw)) is not supported")
        }
    }

    /// For an int16 input (LiteRT's 16x8 kernels): the int64 accumulator, with `requantizer`
    /// turned into the kernels' 16-bit-multiplier form
    /// (``TFLiteQuantizationMath/int16x8Requantizer(_:_:)``). nil (int32) for int8 inputs.
    func int16x8Accumulator(_ input: TFLiteTensor, _ requantizer: inout Requantizer, _ context: OperatorContext)
        throws(ModelError) -> ElementType?
    {
        guard input.tensorType == .int16 else { return nil }
        requantizer = try TFLiteQuantizationMath.int16x8Requantizer(requantizer, context)
        return .int64
    }

    /// Stride, dilation and explicit padding of a 2-D convolution.
    func convolutionGeometry(
        _ context: OperatorContext, input: [Int], kernel: (Int, Int), padding: Int8, stride: (Int32, Int32),
        dilation: (Int32, Int32)
    ) throws(ModelError) -> (stride: Size2D, dilation: Size2D, padding: Padding2D) {
        guard stride.0 >= 1, stride.1 >= 1, stride.0 <= 1 << 16, stride.1 <= 1 << 16 else {
            throw context.error("strides [\(stride.0), \(stride.1)] must be positive")
        }
        guard dilation.0 >= 1, dilation.1 >= 1, dilation.0 <= 1 << 16, dilation.1 <= 1 << 16 else {
            throw context.error("dilations [\(dilation.0), \(dilation.1)] must be positive")
        }
        let rows = try TFLiteQuantizationMath.padding(
            padding, input: input[1], kernel: kernel.0, stride: Int(stride.0), dilation: Int(dilation.0),
            axis: "height", context)
        let columns = try TFLiteQuantizationMath.padding(
            padding, input: input[2], kernel: kernel.1, stride: Int(stride.1), dilation: Int(dilation.1), axis: "width",
            context)
        return (
            Size2D(height: Int(stride.0), width: Int(stride.1)),
            Size2D(height: Int(dilation.0), width: Int(dilation.1)),
            Padding2D(top: rows.before, bottom: rows.after, left: columns.before, right: columns.after)
        )
    }

    /// Records positions LiteRT rounds differently from the graph, unless the clamp hides them:
    /// the two roundings differ only on negative ties, whose results both fall at or below the
    /// zero point, so a clamp starting at the zero point or above (a fused ReLU) makes them agree.
    mutating func noteTail(
        _ split: TFLiteKernelSemantics.Split, _ context: OperatorContext, clampMin: Int32, zeroPoint: Int32,
        what: String
    ) {
        guard let tail = split.tail, clampMin < zeroPoint else { return }
        inexact.append(
            "\(context.nodeName): \(what) \(tail.lowerBound)..<\(tail.upperBound) are rounded with tflite by LiteRT's optimized kernel, tflite_half_up here"
        )
    }
}
