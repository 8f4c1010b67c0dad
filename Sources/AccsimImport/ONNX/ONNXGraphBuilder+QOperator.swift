import AccsimArithmetic
import AccsimModel

extension ONNXGraphBuilder {
    /// QLinearConv: x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, [B].
    mutating func convertQLinearConv(_ context: ONNXNodeContext) throws(ModelError) {
        usedQOperator = true
        let x = try quantizedInput(context, 0)
        let weights = try quantizedWeights(context, 3, axis: 0)
        let bias = try rawBias(context, 8)
        let output = try outputQuantization(
            context, onnxName: try context.output(), subject: try context.output(), scaleSlot: 6, zeroPointSlot: 7)
        try convertConvolution(context, x: x, weights: weights, bias: bias, output: output, activation: nil)
    }

    /// QLinearMatMul with a constant second operand: a, a_scale, a_zero_point, b, b_scale,
    /// b_zero_point, y_scale, y_zero_point.
    mutating func convertQLinearMatMul(_ context: ONNXNodeContext) throws(ModelError) {
        usedQOperator = true
        let x = try quantizedInput(context, 0)
        let weights = try quantizedWeights(context, 3, axis: 1)
        let output = try outputQuantization(
            context, onnxName: try context.output(), subject: try context.output(), scaleSlot: 6, zeroPointSlot: 7)
        try convertFullyConnected(
            context, x: x, weights: weights, bias: nil, output: output, activation: nil, transposedWeights: false)
    }

    /// QGemm (com.microsoft): A, a_scale, a_zero_point, B, b_scale, b_zero_point, [C], y_scale,
    /// y_zero_point (a float output, without y_scale, is not supported).
    mutating func convertQGemm(_ context: ONNXNodeContext) throws(ModelError) {
        usedQOperator = true
        guard context.input(7) != nil else {
            throw context.error("a QGemm with a float output (no y_scale) is not supported")
        }
        let transB = try context.int("transB", 0) == 1
        let x = try quantizedInput(context, 0)
        let weights = try quantizedWeights(context, 3, axis: transB ? 0 : 1)
        let bias = try rawBias(context, 6)
        let output = try outputQuantization(
            context, onnxName: try context.output(), subject: try context.output(), scaleSlot: 7, zeroPointSlot: 8)
        try convertFullyConnected(
            context, x: x, weights: weights, bias: bias, output: output, activation: nil, transposedWeights: transB)
    }

    /// QLinearAdd (com.microsoft): A, A_scale, A_zero_point, B, B_scale, B_zero_point, C_scale,
    /// C_zero_point.
    mutating func convertQLinearAdd(_ context: ONNXNodeContext) throws(ModelError) {
        usedQOperator = true
        let a = try quantizedInput(context, 0)
        let b = try quantizedInput(context, 3)
        let output = try outputQuantization(
            context, onnxName: try context.output(), subject: try context.output(), scaleSlot: 6, zeroPointSlot: 7)
        try convertAdd(context, a: a, b: b, output: output, activation: nil, onnxruntime: .qlinearAdd)
    }

    /// QLinearConcat (com.microsoft): Y_scale, Y_zero_point, then (X, X_scale, X_zero_point) per
    /// input.
    mutating func convertQLinearConcat(_ context: ONNXNodeContext) throws(ModelError) {
        usedQOperator = true
        let count = context.node.inputs.count - 2
        guard count >= 1, count % 3 == 0 else {
            throw context.error("has \(context.node.inputs.count) inputs; expected 2 + 3·k")
        }
        var inputs: [ONNXActivation] = []
        for slot in stride(from: 2, to: context.node.inputs.count, by: 3) {
            inputs.append(try quantizedInput(context, slot))
        }
        let output = try outputQuantization(
            context, onnxName: try context.output(), subject: try context.output(), scaleSlot: 0, zeroPointSlot: 1)
        try convertConcat(context, inputs: inputs, output: output)
    }

    /// QLinearAveragePool (com.microsoft): X, x_scale, x_zero_point, y_scale, y_zero_point.
    mutating func convertQLinearAveragePool(_ context: ONNXNodeContext) throws(ModelError) {
        usedQOperator = true
        if try context.int("channels_last", 0) != 0 { throw context.error("channels_last = 1 is not supported") }
        let x = try quantizedInput(context, 0)
        let output = try outputQuantization(
            context, onnxName: try context.output(), subject: try context.output(), scaleSlot: 3, zeroPointSlot: 4)
        try convertAveragePool(context, x: x, output: output)
    }

    /// QLinearGlobalAveragePool (com.microsoft): X, x_scale, x_zero_point, y_scale, y_zero_point.
    mutating func convertQLinearGlobalAveragePool(_ context: ONNXNodeContext) throws(ModelError) {
        usedQOperator = true
        if try context.int("channels_last", 0) != 0 { throw context.error("channels_last = 1 is not supported") }
        let x = try quantizedInput(context, 0)
        let output = try outputQuantization(
            context, onnxName: try context.output(), subject: try context.output(), scaleSlot: 3, zeroPointSlot: 4)
        try convertGlobalAveragePool(context, x: x, output: output)
    }

    /// QLinearSigmoid (com.microsoft): X, X_scale, X_zero_point, Y_scale, Y_zero_point.
    mutating func convertQLinearSigmoid(_ context: ONNXNodeContext) throws(ModelError) {
        usedQOperator = true
        let x = try quantizedInput(context, 0)
        let output = try outputQuantization(
            context, onnxName: try context.output(), subject: try context.output(), scaleSlot: 3, zeroPointSlot: 4)
        try convertSigmoid(context, x: x, output: output)
    }

    // MARK: Operands

    /// The activation at `slot` with its scale and zero point at `slot + 1`, `slot + 2`, which
    /// must be the ones it was quantized with.
    private func quantizedInput(_ context: ONNXNodeContext, _ slot: Int) throws(ModelError) -> ONNXActivation {
        let x = try activation(context, slot)
        let name = context.input(slot) ?? ""
        let parameters = try quantizationParameters(
            context, subject: name, rank: x.shape.count, scaleSlot: slot + 1, zeroPointSlot: slot + 2)
        guard parameters.scales.count == 1 else {
            throw context.error(
                "activation '\(name)' is quantized per channel; accsim supports per-tensor activation quantization only"
            )
        }
        guard parameters.scales[0] == x.scale, parameters.zeroPoints[0] == x.zeroPoint, parameters.type == x.type else {
            throw context.error(
                "reads '\(name)' as (\(parameters.scales[0]), \(parameters.zeroPoints[0])) but it is quantized (\(x.scale), \(x.zeroPoint))"
            )
        }
        return x
    }

    /// The constant weights at `slot` with scale and zero point at `slot + 1`, `slot + 2`;
    /// per-channel parameters run along `axis`.
    private func quantizedWeights(_ context: ONNXNodeContext, _ slot: Int, axis: Int) throws(ModelError)
        -> ONNXQuantizedConstant
    {
        let tensor = try initializer(context, slot)
        let parameters = try quantizationParameters(
            context, subject: tensor.name, rank: tensor.dims.count, scaleSlot: slot + 1, zeroPointSlot: slot + 2)
        let type: ElementType
        switch tensor.dataType {
        case ONNXDataType.int8: type = .int8
        case ONNXDataType.uint8: type = .uint8
        default:
            throw context.error(
                "weights '\(tensor.name)' are \(ONNXDataType.name(tensor.dataType)); expected INT8 or UINT8")
        }
        return ONNXQuantizedConstant(
            tensor: tensor, values: try tensor.integerValues(file: file), type: type, scales: parameters.scales,
            zeroPoints: parameters.zeroPoints, axis: parameters.scales.count > 1 ? axis : nil)
    }

    /// The optional INT32 bias initializer at `slot` (its scale is implied: s_x · s_w).
    private func rawBias(_ context: ONNXNodeContext, _ slot: Int) throws(ModelError) -> ONNXQuantizedConstant? {
        guard context.input(slot) != nil else { return nil }
        let tensor = try initializer(context, slot)
        guard tensor.dataType == ONNXDataType.int32 else {
            throw context.error("bias '\(tensor.name)' is \(ONNXDataType.name(tensor.dataType)); expected INT32")
        }
        return ONNXQuantizedConstant(
            tensor: tensor, values: try tensor.integerValues(file: file), type: .int32, scales: [], zeroPoints: [],
            axis: nil)
    }
}
