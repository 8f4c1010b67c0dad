import AccsimArithmetic
import AccsimModel

extension TFLiteGraphBuilder {
    /// ADD → `add` in the TFLite scheme: `left_shift = 20`; with `twice_max = 2·max(s1, s2)` the
    /// input rescales `s_i / twice_max` and the output `twice_max / (2^20 · s_out)`, all `tflite`.
    /// Inputs must have equal shapes; an int8 constant operand is accepted when its shape only
    /// lacks leading 1s.
    ///
    /// int16 (LiteRT's general-scale int16 kernel, `pot_scale_int16 = false`): the same with
    /// `left_shift = 15`.
    mutating func convertAdd(_ context: OperatorContext) throws(ModelError) {
        let options = try TFLiteOptions.Add(table: options(context, .add))
        let y = try activationOutput(context)
        let type = activationType(y.tensor)
        if type == .int16 && options.potScaleInt16 {
            throw context.error("int16 ADD with pot_scale_int16 (the power-of-two-scales kernel) is not supported")
        }
        let leftShift = type == .int16 ? 15 : 20
        let shape = try intShape(y.tensor, context)
        var operands: [(name: String, scale: Float, zeroPoint: Int32)] = []
        for slot in 0..<2 {
            let tensor = try input(context, slot)
            if hasData(tensor) {
                operands.append(try constantOperand(context, tensor, shape: shape))
            } else {
                let x = try activationInput(context, slot)
                guard try intShape(x.tensor, context) == shape else {
                    throw context.error(
                        "input \(x.tensor.label) has shape \(x.tensor.shape) but the output has \(shape); accsim's add does not broadcast"
                    )
                }
                operands.append((x.name, x.scale, x.zeroPoint))
            }
        }
        let twiceMax = Double(2 * max(operands[0].scale, operands[1].scale))
        var scalings: [AddInputScaling] = []
        for (slot, operand) in operands.enumerated() {
            let (m, n) = try TFLiteQuantizationMath.multiplier(
                Double(operand.scale) / twiceMax, what: "input \(slot)", context)
            scalings.append(
                AddInputScaling(
                    leftShift: leftShift,
                    rescale: Requantizer(multiplier: m, shift: n, rounding: TFLiteKernelSemantics.add)))
        }
        let outputReal = twiceMax / Double(Float(1 << leftShift) * y.scale)
        let clamp = try TFLiteQuantizationMath.activationRange(
            options.activation, scale: y.scale, zeroPoint: y.zeroPoint, type: type, context)
        let output = try TFLiteQuantizationMath.requantizer(
            reals: [outputReal], rounding: TFLiteKernelSemantics.add, zeroPoint: y.zeroPoint, clamp: clamp,
            what: "output", context)
        addNode(
            context.nodeName, .add(AddParameters(inputs: scalings, output: output)), inputs: operands.map(\.name),
            output: y.name)
    }

    /// An int8 constant ADD operand, declared with the output's `shape` when its own shape is the
    /// same apart from leading 1s (the data is identical).
    private mutating func constantOperand(_ context: OperatorContext, _ tensor: TFLiteTensor, shape: [Int])
        throws(ModelError) -> (name: String, scale: Float, zeroPoint: Int32)
    {
        let (scale, zeroPoint) = try activationQuantization(tensor, context)
        let own = try intShape(tensor, context)
        let trimmed = Array(own.drop { $0 == 1 })
        let target = Array(shape.drop { $0 == 1 })
        guard trimmed == target, own.count <= shape.count else {
            throw context.error(
                "constant input \(tensor.label) of shape \(own) does not match the output shape \(shape); accsim's add does not broadcast"
            )
        }
        let bytes = try data(tensor, elementSize: 1, context)
        let name = declareConstant(
            index: tensor.index, transform: own == shape ? "" : "expanded",
            baseName: tensor.name.isEmpty ? "constant\(tensor.index)" : tensor.name,
            shape: shape, data: ConstantData(elementType: .int8, bytes: Array(bytes)),
            quantization: Quantization(scale: Double(scale), zeroPoint: zeroPoint))
        return (name, scale, zeroPoint)
    }

    /// CONCATENATION → `concat` without rescaling: LiteRT's int8 kernel requires every input to
    /// share the output's scale and zero point (the converter inserts QUANTIZE where they differ).
    mutating func convertConcatenation(_ context: OperatorContext) throws(ModelError) {
        let options = try TFLiteOptions.Concatenation(table: options(context, .concatenation))
        if options.activation != 0 {
            throw context.error("a fused activation on CONCATENATION is not supported")
        }
        let y = try activationOutput(context)
        let rank = try intShape(y.tensor, context).count
        let axis = Int(options.axis) < 0 ? Int(options.axis) + rank : Int(options.axis)
        guard (0..<rank).contains(axis) else {
            throw context.error("axis \(options.axis) is outside a rank-\(rank) tensor")
        }
        guard !context.op.inputs.isEmpty else { throw context.error("has no inputs") }
        var names: [String] = []
        for slot in context.op.inputs.indices {
            let x = try activationInput(context, slot)
            guard x.scale == y.scale, x.zeroPoint == y.zeroPoint else {
                throw context.error(
                    "input \(x.tensor.label) is quantized (\(x.scale), \(x.zeroPoint)) but the output (\(y.scale), \(y.zeroPoint)); LiteRT's int8 concatenation requires equal quantization"
                )
            }
            names.append(x.name)
        }
        let parameters = ConcatParameters(
            axis: axis, inputRequantizers: [Requantizer?](repeating: nil, count: names.count))
        addNode(context.nodeName, .concat(parameters), inputs: names, output: y.name)
    }

    /// QUANTIZE between integer types → `requantize` with `s_in / s_out`, clamped to the output
    /// type: int8 → int8 (the optimized kernel's tail, see
    /// ``TFLiteKernelSemantics/quantize(elements:_:)``, is recorded as inexact), and int8 → int16,
    /// int16 → int8 and int16 → int16, which both LiteRT 2.3.0 kernel variants compute with the
    /// scalar `tflite` rounding (`MultiplyByQuantizedMultiplier`, measured on the `mixed16` and
    /// `quantize_8to16` fixtures).
    mutating func convertQuantize(_ context: OperatorContext) throws(ModelError) {
        let source = try input(context, 0)
        let target = try output(context)
        switch (source.tensorType, target.tensorType) {
        case (.int8, .int8), (.int8, .int16), (.int16, .int8), (.int16, .int16):
            break
        default:
            throw context.error(
                "QUANTIZE from \(TFLiteSchema.TensorType.name(of: source.type)) \(source.label) to \(TFLiteSchema.TensorType.name(of: target.type)) is not supported; accsim imports requantization between int8 and int16 (a model with float inputs must be converted with integer inputs)"
            )
        }
        let x = try activationInput(context, 0)
        let y = try activationOutput(context)
        let shape = try intShape(y.tensor, context)
        guard try intShape(x.tensor, context) == shape else {
            throw context.error("input \(x.tensor.label) and output \(y.tensor.label) have different shapes")
        }
        let outputType = activationType(y.tensor)
        let split =
            source.tensorType == .int8 && outputType == .int8
            ? TFLiteKernelSemantics.quantize(elements: shape.reduce(1, *), kernels)
            : TFLiteKernelSemantics.Split(rounding: .tflite, tail: nil)
        let requantizer = try TFLiteQuantizationMath.requantizer(
            reals: [Double(x.scale) / Double(y.scale)], rounding: split.rounding, zeroPoint: y.zeroPoint,
            clamp: (outputType.minValue, outputType.maxValue), what: "output", context)
        noteTail(split, context, clampMin: outputType.minValue, zeroPoint: y.zeroPoint, what: "elements (flattened)")
        addNode(context.nodeName, .requantize(requantizer), inputs: [x.name], output: y.name)
    }
}
