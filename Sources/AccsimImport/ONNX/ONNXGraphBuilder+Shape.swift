import AccsimArithmetic
import AccsimModel

extension ONNXGraphBuilder {
    /// MaxPool, Relu, Clip, Reshape, Flatten and Pad on a quantized tensor whose quantization
    /// they keep. `floatPad` says whether a Pad's constant is a float (QDQ: real 0 → the zero
    /// point) or a stored value (QOperator).
    mutating func convertMovement(
        _ context: ONNXNodeContext, x: ONNXActivation, output: ONNXOutputQuantization, floatPad: Bool = false
    ) throws(ModelError) {
        switch context.node.opType {
        case "MaxPool":
            try convertMaxPool(context, x: x, output: output)
        case "Relu", "Clip":
            let range = try floatRange(context)
            var low = x.type.minValue
            var high = x.type.maxValue
            let quantize = { (v: Float) in
                ONNXRuntimeArithmetic.quantize(v, scale: x.scale, zeroPoint: x.zeroPoint, type: x.type)
            }
            if let lower = range.min { low = max(low, quantize(lower)) }
            if let upper = range.max { high = min(high, quantize(upper)) }
            guard low <= high else { throw context.error("the clamp range is empty after quantization") }
            let y = declareActivation(output, shape: x.shape, layout: x.layout)
            addNode(context, .clamp(ClampParameters(min: low, max: high)), inputs: [x.name], output: y.name)
        case "Reshape", "Flatten":
            try convertReshape(context, x: x, output: output)
        case "Pad":
            try convertPad(context, x: x, output: output, floatPad: floatPad)
        default:
            throw context.error("is not a data-movement operator")
        }
    }

    /// Flatten (axis 1) and Reshape to `[N, K]` → `reshape`. An NCHW input with H·W > 1 keeps
    /// its NHWC element order; the fully connected layer reading it permutes its weights.
    private mutating func convertReshape(_ context: ONNXNodeContext, x: ONNXActivation, output: ONNXOutputQuantization)
        throws(ModelError)
    {
        var target: [Int]
        if context.node.opType == "Flatten" {
            var axis = try context.int("axis", 1)
            if axis < 0 { axis += x.shape.count }
            guard axis == 1 else { throw context.error("Flatten with axis \(axis) is not supported (axis 1 only)") }
            target = [x.shape[0], x.shape.dropFirst().reduce(1, *)]
        } else {
            let shapeTensor = try initializer(context, 1)
            let requested = try shapeTensor.integerValues(file: file)
            let allowZero = try context.int("allowzero", 0) != 0
            target = []
            var inferred: Int?
            for (index, extent) in requested.enumerated() {
                if extent == 0 && !allowZero {
                    guard index < x.shape.count else {
                        throw context.error("shape entry \(index) copies a dimension the input does not have")
                    }
                    target.append(x.shape[index])
                } else if extent == -1 {
                    guard inferred == nil else { throw context.error("the shape has two -1 entries") }
                    inferred = index
                    target.append(1)
                } else {
                    guard extent > 0, extent <= 1 << 30 else { throw context.error("shape entry \(extent) is invalid") }
                    target.append(Int(extent))
                }
            }
            let total = x.shape.reduce(1, *)
            if let inferred {
                let known = target.reduce(1, *)
                guard known > 0, total % known == 0 else {
                    throw context.error("cannot infer the -1 entry of \(requested) for \(total) elements")
                }
                target[inferred] = total / known
            }
            guard target.reduce(1, *) == total else {
                throw context.error("shape \(target) holds a different element count than the input \(x.shape)")
            }
        }
        if target == x.shape {
            values[output.onnxName] = .activation(x)
            return
        }
        guard target.count == 2, target[0] == x.shape[0] else {
            throw context.error(
                "reshaping \(x.shape) to \(target) is not supported; accsim imports reshapes to [N, K] (flatten)")
        }
        let layout: ONNXActivation.Layout
        switch x.layout {
        case .nchw:
            let (c, h, w) = (x.shape[1], x.shape[2], x.shape[3])
            layout = h * w == 1 ? .plain : .flattened(channels: c, height: h, width: w)
        case .plain where x.shape.count == 2:
            layout = .plain
        default:
            throw context.error("reshaping \(x.shape) to \(target) is not supported")
        }
        let y = declareActivation(output, shape: target, layout: layout)
        addNode(context, .reshape(ReshapeParameters(shape: target)), inputs: [x.name], output: y.name)
    }

    /// Pad (mode constant) of an NCHW tensor → `pad` with the stored value of the constant.
    private mutating func convertPad(
        _ context: ONNXNodeContext, x: ONNXActivation, output: ONNXOutputQuantization, floatPad: Bool
    ) throws(ModelError) {
        guard x.layout == .nchw else { throw context.error("input '\(context.input(0) ?? "")' is not an NCHW tensor") }
        guard try context.string("mode", "constant") == "constant" else {
            throw context.error("only mode 'constant' is supported")
        }
        if context.input(3) != nil { throw context.error("the axes input is not supported") }
        var pads: [Int]
        if context.input(1) != nil {
            pads = try initializer(context, 1).integerValues(file: file).map { Int(clamping: $0) }
        } else {
            pads = try context.ints("pads") ?? []
        }
        guard pads.count == 8, pads.allSatisfy({ (0...(1 << 24)).contains($0) }) else {
            throw context.error("pads \(pads) must be eight non-negative values for an NCHW tensor")
        }
        var value = floatPad ? x.zeroPoint : 0
        if let name = context.input(2) {
            switch values[name] {
            case .initializer(let tensor) where tensor.dataType == ONNXDataType.float:
                let data = try tensor.floatValues(file: file)
                guard data.count == 1 else { throw context.error("constant_value must be a scalar") }
                value = ONNXRuntimeArithmetic.quantize(data[0], scale: x.scale, zeroPoint: x.zeroPoint, type: x.type)
            case .initializer(let tensor):
                let data = try tensor.integerValues(file: file)
                guard data.count == 1, x.type.contains(data[0]) else {
                    throw context.error("constant_value must be a scalar of the input's type")
                }
                value = Int32(data[0])
            case .dequantizedConstant(let constant):
                guard constant.values.count == 1 else { throw context.error("constant_value must be a scalar") }
                let real = ONNXRuntimeArithmetic.dequantize(
                    Int32(constant.values[0]), scale: constant.scales[0], zeroPoint: constant.zeroPoints[0])
                value = ONNXRuntimeArithmetic.quantize(real, scale: x.scale, zeroPoint: x.zeroPoint, type: x.type)
            default:
                throw context.error("constant_value '\(name)' must be a constant")
            }
        }
        // ONNX pads: [n, c, h, w begins, n, c, h, w ends]; accsim NHWC [[before, after]] per axis.
        let padding = [[pads[0], pads[4]], [pads[2], pads[6]], [pads[3], pads[7]], [pads[1], pads[5]]]
        guard padding[0] == [0, 0] else { throw context.error("padding the batch dimension is not supported") }
        let shape = [
            x.shape[0], x.shape[1] + pads[1] + pads[5], x.shape[2] + pads[2] + pads[6], x.shape[3] + pads[3] + pads[7],
        ]
        let y = declareActivation(output, shape: shape, layout: .nchw)
        addNode(context, .pad(PadParameters(padding: padding, value: value)), inputs: [x.name], output: y.name)
    }
}
