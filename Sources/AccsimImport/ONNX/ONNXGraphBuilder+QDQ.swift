import AccsimArithmetic
import AccsimModel

extension ONNXGraphBuilder {
    /// QuantizeLinear: of a float graph input, it starts the imported graph (its output is an
    /// accsim graph input); of a held-back float operation (QDQ), it gives that operation its
    /// output quantization and the operation is converted; of a DequantizeLinear output, it is a
    /// requantization (or nothing, when the quantization is the same).
    mutating func convertQuantizeLinear(_ context: ONNXNodeContext) throws(ModelError) {
        let outputName = try context.output()
        let source = try value(context, 0)
        let output = try outputQuantization(context, onnxName: outputName, subject: context.input(0) ?? outputName)
        switch source {
        case .floatInput(let info):
            guard let dims = info.shape, dims.count == 4 || dims.count == 2 else {
                throw context.error("graph input '\(info.name)' needs a known rank-4 (NCHW) or rank-2 shape")
            }
            var shape: [Int] = [1]
            for (axis, extent) in dims.enumerated().dropFirst() {
                guard let extent, extent > 0, extent <= 1 << 24 else {
                    throw context.error("graph input '\(info.name)' has an unknown or invalid extent on axis \(axis)")
                }
                shape.append(Int(extent))
            }
            let activation = declareActivation(output, shape: shape, layout: shape.count == 4 ? .nchw : .plain)
            graphInputs.append(activation.name)
        case .pending(let operation):
            usedQDQ = true
            try convertPending(operation, output: output)
        case .dequantized(let x):
            if x.scale == output.scale && x.zeroPoint == output.zeroPoint && x.type == output.type {
                values[outputName] = .activation(x)
                return
            }
            let real = Double(x.scale) / Double(output.scale)
            let conversion = try requantizer(
                ScaledRequantization(
                    reals: [real], role: .joining, zeroPoint: output.zeroPoint, clampMin: output.type.minValue,
                    clampMax: output.type.maxValue),
                onnxruntimeScales: nil, context)
            var differing = 0
            for q in x.type.minValue...x.type.maxValue {
                let theirs = ONNXRuntimeArithmetic.rescale(
                    q, from: x.quantization, to: (output.scale, output.zeroPoint), type: output.type)
                if conversion.requantizer.apply(q - x.zeroPoint, channel: 0) != theirs { differing += 1 }
            }
            countDisagreements(differing)
            let y = declareActivation(output, shape: x.shape, layout: x.layout)
            addNode(context, .requantize(conversion.requantizer), inputs: [x.name], output: y.name)
        default:
            throw context.error(
                "quantizes '\(context.input(0) ?? "")', which is neither a float graph input nor the float output of a supported operation"
            )
        }
    }

    /// DequantizeLinear: of an activation, a float view that a following float operation reads;
    /// of an initializer, a quantized constant (weights, bias).
    mutating func convertDequantizeLinear(_ context: ONNXNodeContext) throws(ModelError) {
        let outputName = try context.output()
        switch try value(context, 0) {
        case .activation(let x):
            let parameters = try quantizationParameters(context, subject: x.name, rank: x.shape.count)
            guard parameters.scales.count == 1 else {
                throw context.error(
                    "activation '\(context.input(0) ?? "")' is dequantized per channel; accsim supports per-tensor activation quantization only"
                )
            }
            guard parameters.scales[0] == x.scale, parameters.zeroPoints[0] == x.zeroPoint else {
                throw context.error(
                    "dequantizes '\(context.input(0) ?? "")' with (\(parameters.scales[0]), \(parameters.zeroPoints[0])) but it was quantized with (\(x.scale), \(x.zeroPoint))"
                )
            }
            values[outputName] = .dequantized(x)
        case .initializer(let tensor):
            let parameters = try quantizationParameters(context, subject: tensor.name, rank: tensor.dims.count)
            let data = try tensor.integerValues(file: file)
            let type: ElementType
            switch tensor.dataType {
            case ONNXDataType.int8: type = .int8
            case ONNXDataType.uint8: type = .uint8
            case ONNXDataType.int32: type = .int32
            default:
                throw context.error(
                    "constant '\(tensor.name)' is \(ONNXDataType.name(tensor.dataType)); expected INT8, UINT8 or INT32")
            }
            values[outputName] = .dequantizedConstant(
                ONNXQuantizedConstant(
                    tensor: tensor, values: data, type: type, scales: parameters.scales,
                    zeroPoints: parameters.zeroPoints,
                    axis: parameters.scales.count > 1 ? parameters.axis : nil))
        default:
            throw context.error(
                "dequantizes '\(context.input(0) ?? "")', which is neither a quantized activation nor an initializer")
        }
    }

    /// A float operation of the QDQ form: checked, then held until its output's QuantizeLinear.
    mutating func holdFloatOperation(_ context: ONNXNodeContext) throws(ModelError) {
        let outputName = try context.output()
        for slot in context.node.inputs.indices {
            guard let name = context.input(slot) else { continue }
            switch values[name] {
            case .dequantized, .dequantizedConstant, .initializer:
                continue
            case .activation:
                throw context.error(
                    "reads the quantized tensor '\(name)' directly; a float operation must read DequantizeLinear outputs (QDQ form)"
                )
            case .pending:
                throw context.error(
                    "reads '\(name)', the float output of another operation that was never quantized; accsim needs a QuantizeLinear between operations"
                )
            case .floatInput:
                throw context.error(
                    "reads the float graph input '\(name)'; the imported graph starts at a QuantizeLinear")
            case nil:
                throw context.error("input '\(name)' is not produced by any earlier node, initializer or graph input")
            }
        }
        values[outputName] = .pending(ONNXPendingOperation(node: context.node, activation: nil))
    }

    /// MaxPool, Relu, Clip, Reshape, Flatten, Pad: on a quantized activation they convert at once
    /// (keeping its quantization); on a DequantizeLinear output they are held like any float
    /// operation (QDQ); a Relu or Clip of a held operation fuses into it as its clamp.
    mutating func convertDataMovement(_ context: ONNXNodeContext) throws(ModelError) {
        let outputName = try context.output()
        switch try value(context, 0) {
        case .activation(let x):
            try convertMovement(
                context, x: x,
                output: ONNXOutputQuantization(
                    onnxName: outputName, scale: x.scale, zeroPoint: x.zeroPoint, type: x.type))
        case .dequantized:
            try holdFloatOperation(context)
        case .pending(var operation)
        where (context.node.opType == "Relu" || context.node.opType == "Clip") && operation.activation == nil:
            guard ["Conv", "Gemm", "MatMul", "Add"].contains(operation.node.opType) else {
                throw context.error("a \(context.node.opType) after \(operation.node.opType) is not supported")
            }
            operation.activation = context.node
            values[outputName] = .pending(operation)
        default:
            throw context.error(
                "input '\(context.input(0) ?? "")' is not a quantized activation or a DequantizeLinear output")
        }
    }

    /// Converts a held float operation now that its output quantization is known.
    private mutating func convertPending(_ operation: ONNXPendingOperation, output: ONNXOutputQuantization)
        throws(ModelError)
    {
        let context = ONNXNodeContext(node: operation.node, file: file)
        switch operation.node.opType {
        case "Conv":
            try convertConvolution(
                context, x: try dequantizedActivation(context, 0), weights: try dequantizedConstant(context, 1),
                bias: try optionalBias(context, 2), output: output, activation: operation.activation)
        case "Gemm", "MatMul":
            try convertFullyConnected(
                context, x: try dequantizedActivation(context, 0), weights: try dequantizedConstant(context, 1),
                bias: try optionalBias(context, 2), output: output, activation: operation.activation)
        case "Add":
            // onnxruntime 1.31 on x86-64 fuses a uint8 QDQ Add into QLinearAdd and leaves an int8
            // one in float (docs/import-onnx.md); the report compares with the one it runs.
            try convertAdd(
                context, a: try dequantizedActivation(context, 0), b: try dequantizedActivation(context, 1),
                output: output, activation: operation.activation,
                onnxruntime: output.type == .uint8 ? .qlinearAdd : .floatQDQ)
        case "Concat":
            var inputs: [ONNXActivation] = []
            for slot in context.node.inputs.indices { inputs.append(try dequantizedActivation(context, slot)) }
            try convertConcat(context, inputs: inputs, output: output)
        case "AveragePool":
            try convertAveragePool(context, x: try dequantizedActivation(context, 0), output: output)
        case "GlobalAveragePool":
            try convertGlobalAveragePool(context, x: try dequantizedActivation(context, 0), output: output)
        case "Sigmoid":
            try convertSigmoid(context, x: try dequantizedActivation(context, 0), output: output)
        default:
            let x = try dequantizedActivation(context, 0)
            guard x.scale == output.scale, x.zeroPoint == output.zeroPoint, x.type == output.type else {
                throw context.error(
                    "the output '\(output.onnxName)' is quantized (\(output.scale), \(output.zeroPoint)) unlike the input (\(x.scale), \(x.zeroPoint)); a \(operation.node.opType) must keep the quantization"
                )
            }
            try convertMovement(context, x: x, output: output, floatPad: true)
        }
    }

    /// Input `slot` as a DequantizeLinear of an initializer.
    func dequantizedConstant(_ context: ONNXNodeContext, _ slot: Int) throws(ModelError) -> ONNXQuantizedConstant {
        guard case .dequantizedConstant(let constant) = try value(context, slot) else {
            throw context.error(
                "input \(slot) '\(context.input(slot) ?? "")' must be a DequantizeLinear of a quantized initializer")
        }
        return constant
    }

    /// The optional int32 bias at `slot` (QDQ: a DequantizeLinear of an INT32 initializer).
    func optionalBias(_ context: ONNXNodeContext, _ slot: Int) throws(ModelError) -> ONNXQuantizedConstant? {
        guard context.input(slot) != nil else { return nil }
        let bias = try dequantizedConstant(context, slot)
        guard bias.type == .int32 else {
            throw context.error("bias '\(bias.tensor.name)' is \(bias.type.rawValue); a quantized bias is INT32")
        }
        return bias
    }

    /// The quantization a QuantizeLinear (or a QOperator node's `y_scale`, `y_zero_point`) gives its
    /// output: per tensor, int8 or uint8.
    func outputQuantization(
        _ context: ONNXNodeContext, onnxName: String, subject: String, scaleSlot: Int = 1, zeroPointSlot: Int = 2
    ) throws(ModelError) -> ONNXOutputQuantization {
        let parameters = try quantizationParameters(
            context, subject: subject, rank: 0, scaleSlot: scaleSlot, zeroPointSlot: zeroPointSlot)
        guard parameters.scales.count == 1 else {
            throw context.error(
                "activation '\(subject)' is quantized per channel (\(parameters.scales.count) scales); accsim supports per-tensor activation quantization only"
            )
        }
        guard parameters.type == .int8 || parameters.type == .uint8 else {
            throw context.error(
                "activation '\(subject)' is quantized to \(parameters.type.rawValue); accsim imports int8 and uint8 activations"
            )
        }
        return ONNXOutputQuantization(
            onnxName: onnxName, scale: parameters.scales[0], zeroPoint: parameters.zeroPoints[0], type: parameters.type)
    }

    /// Scales and zero points read from the initializers at `scaleSlot` and `zeroPointSlot`
    /// (absent zero point: 0, type uint8), with the node's `axis` attribute for per-channel ones.
    func quantizationParameters(
        _ context: ONNXNodeContext, subject: String, rank: Int, scaleSlot: Int = 1, zeroPointSlot: Int = 2
    ) throws(ModelError) -> (scales: [Float], zeroPoints: [Int32], type: ElementType, axis: Int) {
        let scaleTensor = try initializer(context, scaleSlot)
        let scales = try scaleTensor.floatValues(file: file)
        guard !scales.isEmpty else { throw context.error("the scale of '\(subject)' is empty") }
        for scale in scales where !(scale.isFinite && scale > 0) {
            throw context.error("the scale of '\(subject)' is \(scale); scales must be positive and finite")
        }
        var zeroPoints = [Int32](repeating: 0, count: scales.count)
        var type = ElementType.uint8
        if context.input(zeroPointSlot) != nil {
            let zeroTensor = try initializer(context, zeroPointSlot)
            switch zeroTensor.dataType {
            case ONNXDataType.int8: type = .int8
            case ONNXDataType.uint8: type = .uint8
            case ONNXDataType.int32: type = .int32
            default:
                throw context.error(
                    "the zero point of '\(subject)' is \(ONNXDataType.name(zeroTensor.dataType)); accsim imports INT8, UINT8 (and INT32 biases)"
                )
            }
            let data = try zeroTensor.integerValues(file: file)
            guard data.count == scales.count else {
                throw context.error("'\(subject)' has \(scales.count) scales but \(data.count) zero points")
            }
            zeroPoints = data.map { Int32($0) }
        }
        var axis = try context.int("axis", 1)
        if axis < 0 { axis += rank }
        return (scales, zeroPoints, type, axis)
    }
}
