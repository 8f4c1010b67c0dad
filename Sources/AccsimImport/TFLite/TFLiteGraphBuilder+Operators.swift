import AccsimModel

extension TFLiteGraphBuilder {
    /// The operators the importer converts.
    static let supported: [TFLiteBuiltinOperator] = [
        .conv2D, .depthwiseConv2D, .fullyConnected, .add, .concatenation, .maxPool2D, .averagePool2D,
        .mean, .reshape, .quantize, .logistic, .tanh, .softmax, .pad,
    ]

    /// Converts one operator into one or more nodes.
    mutating func convert(_ op: TFLiteOperator) throws(ModelError) {
        guard Int(op.opcodeIndex) < model.operatorCodes.count else {
            throw ModelError(
                file: file, field: op.path + ".opcode_index",
                "opcode index \(op.opcodeIndex) is outside the model's \(model.operatorCodes.count) operator codes")
        }
        let code = model.operatorCodes[Int(op.opcodeIndex)]
        let context = OperatorContext(op: op, builtin: code.builtin, file: file)
        switch code.builtin {
        case .conv2D: try convertConv2D(context)
        case .depthwiseConv2D: try convertDepthwiseConv2D(context)
        case .fullyConnected: try convertFullyConnected(context)
        case .add: try convertAdd(context)
        case .concatenation: try convertConcatenation(context)
        case .maxPool2D, .averagePool2D: try convertPool(context)
        case .mean: try convertMean(context)
        case .reshape: try convertReshape(context)
        case .quantize: try convertQuantize(context)
        case .logistic, .tanh: try convertTableFunction(context)
        case .softmax: try convertSoftmax(context)
        case .pad: try convertPad(context)
        case .custom:
            throw context.error("custom operator '\(code.customCode ?? "")' is not supported")
        default:
            let names = Self.supported.map(\.description).joined(separator: ", ")
            throw context.error("operator \(code.builtin) is not supported (accsim imports \(names))")
        }
    }

    // MARK: Operands

    /// The TFLite tensor in input slot `slot`, or nil when the slot is absent or −1 (optional).
    func optionalInput(_ context: OperatorContext, _ slot: Int) throws(ModelError) -> TFLiteTensor? {
        guard slot < context.op.inputs.count, context.op.inputs[slot] >= 0 else { return nil }
        return try graphTensor(context.op.inputs[slot], role: context.op.path + ".inputs[\(slot)]")
    }

    /// The TFLite tensor in input slot `slot`, which must be present.
    func input(_ context: OperatorContext, _ slot: Int) throws(ModelError) -> TFLiteTensor {
        guard let tensor = try optionalInput(context, slot) else {
            throw context.error(
                "needs an input in slot \(slot), but the operator has \(context.op.inputs.count) inputs")
        }
        return tensor
    }

    /// The operator's single output tensor.
    func output(_ context: OperatorContext) throws(ModelError) -> TFLiteTensor {
        guard context.op.outputs.count == 1 else {
            throw context.error("has \(context.op.outputs.count) outputs; the supported operators have one")
        }
        return try graphTensor(context.op.outputs[0], role: context.op.path + ".outputs[0]")
    }

    /// The operator's options table, which must be of `type` (or absent: schema defaults).
    func options(_ context: OperatorContext, _ type: TFLiteSchema.OptionsType) throws(ModelError) -> FlatTable? {
        if context.op.optionsType == 0 { return nil }
        guard context.op.optionsType == type.rawValue else {
            throw context.error(
                "has builtin options of union type \(context.op.optionsType); expected \(type.name) (\(type.rawValue))")
        }
        return context.op.options
    }

    /// An activation input: an int8 per-tensor-quantized tensor produced earlier (or a graph
    /// input), declared in the graph; returns its name and quantization.
    mutating func activationInput(_ context: OperatorContext, _ slot: Int) throws(ModelError) -> (
        tensor: TFLiteTensor, name: String, scale: Float, zeroPoint: Int32
    ) {
        let tensor = try input(context, slot)
        let (scale, zeroPoint) = try activationQuantization(tensor, context)
        if hasData(tensor) {
            throw context.error("input \(slot), \(tensor.label), is a constant; accsim expects an activation here")
        }
        guard let name = declaredActivation(tensor) else {
            throw context.error("input \(slot), \(tensor.label), is read before any operator produces it")
        }
        return (tensor, name, scale, zeroPoint)
    }

    /// The operator's int8 output, declared in the graph.
    mutating func activationOutput(_ context: OperatorContext) throws(ModelError) -> (
        tensor: TFLiteTensor, name: String, scale: Float, zeroPoint: Int32
    ) {
        let tensor = try output(context)
        let (scale, zeroPoint) = try activationQuantization(tensor, context)
        if hasData(tensor) { throw context.error("output \(tensor.label) is a constant") }
        let name = try declareActivation(tensor, context: context)
        return (tensor, name, scale, zeroPoint)
    }
}
