import AccsimModel

extension TFLiteGraphBuilder {
    /// The values of a constant int32 or int64 tensor (MEAN axes, PAD paddings), widened to Int64.
    func integerConstant(_ context: OperatorContext, _ tensor: TFLiteTensor, what: String) throws(ModelError) -> [Int64]
    {
        switch tensor.tensorType {
        case .int32?:
            return try data(tensor, elementSize: 4, context).littleEndianInt32s.map(Int64.init)
        case .int64?:
            return try data(tensor, elementSize: 8, context).littleEndianInt64s
        default:
            throw context.error(
                "\(what) \(tensor.label) are \(TFLiteSchema.TensorType.name(of: tensor.type)); expected int32 or int64")
        }
    }
}
