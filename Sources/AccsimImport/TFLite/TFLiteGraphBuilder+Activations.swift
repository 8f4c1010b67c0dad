import AccsimArithmetic
import AccsimModel

extension TFLiteGraphBuilder {
    /// LOGISTIC and TANH → `lookup_table`, built in float32 exactly as LiteRT builds its table at
    /// load time (`LookupTableParameters.lookupTable`). LiteRT fixes the int8 output quantization:
    /// logistic (1/256, −128), tanh (1/128, 0).
    mutating func convertTableFunction(_ context: OperatorContext) throws(ModelError) {
        let function: TableFunction = context.builtin == .logistic ? .logistic : .tanh
        let x = try activationInput(context, 0)
        let y = try activationOutput(context)
        if x.tensor.tensorType == .int16 {
            try convertInt16Activation(context, function, x: x, y: y)
            return
        }
        let fixed = function.outputQuantization(for: .int8)
        guard y.scale == fixed.scale, y.zeroPoint == fixed.zeroPoint else {
            throw context.error(
                "output \(y.tensor.label) is quantized (\(y.scale), \(y.zeroPoint)); LiteRT's int8 \(context.builtin) requires (\(fixed.scale), \(fixed.zeroPoint))"
            )
        }
        guard try intShape(x.tensor, context) == intShape(y.tensor, context) else {
            throw context.error("input \(x.tensor.label) and output \(y.tensor.label) have different shapes")
        }
        let table = LookupTableParameters.lookupTable(
            function, inputScale: x.scale, inputZeroPoint: x.zeroPoint, outputScale: y.scale,
            outputZeroPoint: y.zeroPoint, type: .int8)
        addNode(context.nodeName, .lookupTable(table), inputs: [x.name], output: y.name)
    }

    /// SOFTMAX → `softmax` with the parameters derived from `β · s_in` (in double from the float32
    /// values): the integer (gemmlowp) algorithm of LiteRT's reference kernel. accsim's softmax
    /// takes `[N, D]`; a tensor of another rank whose middle extents are all 1 is reshaped around
    /// it. Output quantization is fixed: (1/256, −128). LiteRT's optimized kernel computes in
    /// float32 instead (``TFLiteKernelSemantics/softmaxIsExact(_:)``), which is recorded as inexact.
    mutating func convertSoftmax(_ context: OperatorContext) throws(ModelError) {
        let options = try TFLiteOptions.Softmax(table: options(context, .softmax))
        let x = try activationInput(context, 0)
        let y = try activationOutput(context)
        if x.tensor.tensorType == .int16 {
            try convertInt16Softmax(context, beta: options.beta, x: x, y: y)
            return
        }
        guard y.scale == 1.0 / 256, y.zeroPoint == -128 else {
            throw context.error(
                "output \(y.tensor.label) is quantized (\(y.scale), \(y.zeroPoint)); LiteRT's int8 SOFTMAX requires (0.00390625, -128)"
            )
        }
        guard options.beta.isFinite, options.beta > 0 else {
            throw context.error("beta \(options.beta) must be positive and finite")
        }
        let shape = try intShape(x.tensor, context)
        guard try intShape(y.tensor, context) == shape else {
            throw context.error("input \(x.tensor.label) and output \(y.tensor.label) have different shapes")
        }
        guard shape.count >= 2, shape.dropFirst().dropLast().allSatisfy({ $0 == 1 }) else {
            throw context.error(
                "softmax over \(x.tensor.label) of shape \(shape) is not supported; accsim's softmax takes [N, D] (middle extents must be 1)"
            )
        }
        let parameters = SoftmaxParameters.softmaxParameters(
            betaTimesInputScale: Double(options.beta) * Double(x.scale))
        if !TFLiteKernelSemantics.softmaxIsExact(kernels) {
            inexact.append(
                "\(context.nodeName): LiteRT's optimized SOFTMAX computes in float32 (an expf table), the graph uses the integer algorithm of its reference kernel; rare elements differ by one"
            )
        }
        let flat = [shape[0], shape[shape.count - 1]]
        if shape == flat {
            addNode(context.nodeName, .softmax(parameters), inputs: [x.name], output: y.name)
            return
        }
        let input = declareIntermediate(
            x.name + "/rows", shape: flat, quantization: Quantization(scale: Double(x.scale), zeroPoint: x.zeroPoint))
        addNode(
            context.nodeName + "/flatten", .reshape(ReshapeParameters(shape: flat)), inputs: [x.name], output: input)
        let result = declareIntermediate(
            y.name + "/rows", shape: flat, quantization: Quantization(scale: Double(y.scale), zeroPoint: y.zeroPoint))
        addNode(context.nodeName, .softmax(parameters), inputs: [input], output: result)
        addNode(
            context.nodeName + "/unflatten", .reshape(ReshapeParameters(shape: shape)), inputs: [result], output: y.name
        )
    }

    /// int16 LOGISTIC / TANH → `int16_activation` with the multiplier and shift LiteRT's Prepare
    /// derives from the input scale (``Int16ActivationParameters/litert(_:inputScale:)``). Output
    /// quantization is fixed: scale 2^−15, zero point 0. With a power-of-two input scale LiteRT's
    /// optimized kernel switches to gemmlowp's fixed-point functions, which accsim does not model:
    /// such a model imports with the reference kernels only.
    private mutating func convertInt16Activation(
        _ context: OperatorContext, _ function: TableFunction,
        x: (tensor: TFLiteTensor, name: String, scale: Float, zeroPoint: Int32),
        y: (tensor: TFLiteTensor, name: String, scale: Float, zeroPoint: Int32)
    ) throws(ModelError) {
        guard y.tensor.tensorType == .int16 else {
            throw context.error("input \(x.tensor.label) is int16 but output \(y.tensor.label) is not")
        }
        guard y.scale == 1.0 / 32768, y.zeroPoint == 0 else {
            throw context.error(
                "output \(y.tensor.label) is quantized (\(y.scale), \(y.zeroPoint)); LiteRT's int16 \(context.builtin) requires (3.0517578e-05, 0)"
            )
        }
        guard try intShape(x.tensor, context) == intShape(y.tensor, context) else {
            throw context.error("input \(x.tensor.label) and output \(y.tensor.label) have different shapes")
        }
        let parameters = Int16ActivationParameters.litert(function, inputScale: x.scale)
        if parameters.inputMultiplier == 0 && kernels == .optimized {
            throw context.error(
                "input \(x.tensor.label) has the power-of-two scale \(x.scale), for which LiteRT's optimized int16 \(context.builtin) runs gemmlowp fixed point instead of its table; accsim models the table kernel (import with --tflite-kernels reference)"
            )
        }
        guard parameters.inputMultiplier <= 65535 else {
            throw context.error(
                "input \(x.tensor.label) has scale \(x.scale), too large for LiteRT's int16 \(context.builtin) (its input multiplier \(parameters.inputMultiplier) overflows int32 products)"
            )
        }
        addNode(context.nodeName, .int16Activation(parameters), inputs: [x.name], output: y.name)
    }

    /// int16 SOFTMAX → `int16_softmax` (``Int16SoftmaxParameters/litert(inputScale:beta:)``); both
    /// LiteRT kernel variants run the same table algorithm. Output quantization is fixed: scale
    /// 2^−15 (LiteRT accepts 0.1 % off), zero point 0; LiteRT takes ranks 1 to 4.
    private mutating func convertInt16Softmax(
        _ context: OperatorContext, beta: Float,
        x: (tensor: TFLiteTensor, name: String, scale: Float, zeroPoint: Int32),
        y: (tensor: TFLiteTensor, name: String, scale: Float, zeroPoint: Int32)
    ) throws(ModelError) {
        guard y.tensor.tensorType == .int16 else {
            throw context.error("input \(x.tensor.label) is int16 but output \(y.tensor.label) is not")
        }
        guard abs(y.scale - 1.0 / 32768) <= 0.001 / 32768, y.zeroPoint == 0 else {
            throw context.error(
                "output \(y.tensor.label) is quantized (\(y.scale), \(y.zeroPoint)); LiteRT's int16 SOFTMAX requires (3.0517578e-05, 0)"
            )
        }
        guard beta.isFinite, beta > 0 else { throw context.error("beta \(beta) must be positive and finite") }
        let shape = try intShape(x.tensor, context)
        guard try intShape(y.tensor, context) == shape else {
            throw context.error("input \(x.tensor.label) and output \(y.tensor.label) have different shapes")
        }
        guard shape.count <= 4 else {
            throw context.error("LiteRT's int16 SOFTMAX takes ranks 1 to 4; \(x.tensor.label) has shape \(shape)")
        }
        let parameters = Int16SoftmaxParameters.litert(inputScale: x.scale, beta: beta)
        guard (-31...30).contains(parameters.inputShift) else {
            throw context.error("the softmax input factor \(x.scale)·\(beta) is out of range")
        }
        addNode(context.nodeName, .int16Softmax(parameters), inputs: [x.name], output: y.name)
    }
}
