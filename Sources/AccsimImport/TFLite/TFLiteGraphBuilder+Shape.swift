import AccsimArithmetic
import AccsimModel

extension TFLiteGraphBuilder {
    /// RESHAPE → `reshape` to the output tensor's shape (the shape input and `new_shape` option
    /// are not needed: the converter resolves the output shape). Values are copied unchanged.
    mutating func convertReshape(_ context: OperatorContext) throws(ModelError) {
        let x = try activationInput(context, 0)
        let y = try activationOutput(context)
        let from = try intShape(x.tensor, context)
        let to = try intShape(y.tensor, context)
        guard from.reduce(1, *) == to.reduce(1, *) else {
            throw context.error("cannot reshape \(x.tensor.label) of shape \(from) to \(to)")
        }
        addNode(context.nodeName, .reshape(ReshapeParameters(shape: to)), inputs: [x.name], output: y.name)
    }

    /// PAD → `pad` with the constant paddings (input 1, `[rank, 2]` int32 or int64), filled with
    /// the output zero point as LiteRT does for int8. Input and output share the quantization.
    mutating func convertPad(_ context: OperatorContext) throws(ModelError) {
        let x = try activationInput(context, 0)
        let y = try activationOutput(context)
        guard x.scale == y.scale, x.zeroPoint == y.zeroPoint else {
            throw context.error(
                "input \(x.tensor.label) and output \(y.tensor.label) are quantized differently; LiteRT's int8 PAD requires equal quantization"
            )
        }
        let shape = try intShape(x.tensor, context)
        let tensor = try input(context, 1)
        let values = try integerConstant(context, tensor, what: "paddings")
        guard values.count == 2 * shape.count else {
            throw context.error(
                "paddings \(tensor.label) hold \(values.count) values; expected \(2 * shape.count) for a rank-\(shape.count) input"
            )
        }
        var padding: [[Int]] = []
        for axis in shape.indices {
            let before = values[2 * axis]
            let after = values[2 * axis + 1]
            guard (0...(1 << 24)).contains(before), (0...(1 << 24)).contains(after) else {
                throw context.error("padding [\(before), \(after)] of axis \(axis) must be non-negative")
            }
            padding.append([Int(before), Int(after)])
        }
        addNode(
            context.nodeName, .pad(PadParameters(padding: padding, value: y.zeroPoint)), inputs: [x.name],
            output: y.name)
    }
}
