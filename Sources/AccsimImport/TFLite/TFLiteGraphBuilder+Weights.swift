import AccsimArithmetic
import AccsimModel

extension TFLiteGraphBuilder {
    /// Constant int8 weights with symmetric quantization: their shape, data and one scale per
    /// output channel (or one for all).
    struct Weights {
        var tensor: TFLiteTensor
        var shape: [Int]
        var bytes: ArraySlice<UInt8>
        var scales: [Float]

        /// The scale of output channel `channel`.
        func scale(_ channel: Int) -> Float { scales.count == 1 ? scales[0] : scales[channel] }
    }

    /// Reads the int8 weights in input slot 1: rank `rank`, symmetric (all zero points 0, as
    /// LiteRT's int8 kernels require), per tensor or per channel along `channelAxis` with
    /// `channels` entries.
    func weights(_ context: OperatorContext, rank: Int, channelAxis: Int) throws(ModelError) -> Weights {
        let tensor = try input(context, 1)
        guard tensor.tensorType == .int8 else {
            throw context.error(
                "weights \(tensor.label) are \(TFLiteSchema.TensorType.name(of: tensor.type)); accsim imports int8 weights only"
            )
        }
        let shape = try intShape(tensor, context)
        guard shape.count == rank else {
            throw context.error("weights \(tensor.label) have shape \(shape); expected rank \(rank)")
        }
        if tensor.isSparse { throw context.error("weights \(tensor.label) are sparse, which is not supported") }
        let bytes = try data(tensor, elementSize: 1, context)
        guard let q = tensor.quantization, !q.isEmpty, !q.hasDetails else {
            throw context.error("weights \(tensor.label) have no affine quantization")
        }
        let channels = shape[channelAxis]
        guard q.scales.count == 1 || (q.scales.count == channels && Int(q.quantizedDimension) == channelAxis) else {
            throw context.error(
                "weights \(tensor.label) have \(q.scales.count) scales along dimension \(q.quantizedDimension); expected 1, or \(channels) along dimension \(channelAxis)"
            )
        }
        guard q.zeroPoints.count == q.scales.count || q.zeroPoints.count == 1 else {
            throw context.error(
                "weights \(tensor.label) have \(q.scales.count) scales but \(q.zeroPoints.count) zero points")
        }
        if let zp = q.zeroPoints.first(where: { $0 != 0 }) {
            throw context.error(
                "weights \(tensor.label) are asymmetric (zero point \(zp)); LiteRT's int8 kernels require symmetric weights (zero point 0)"
            )
        }
        for scale in q.scales where !(scale.isFinite && scale > 0) {
            throw context.error("weights \(tensor.label) have scale \(scale); scales must be positive and finite")
        }
        return Weights(tensor: tensor, shape: shape, bytes: bytes, scales: q.scales)
    }

    /// Declares `weights` in the graph with `shape` and `bytes` (already in accsim's layout),
    /// quantized along axis 0.
    mutating func declareWeights(_ weights: Weights, shape: [Int], bytes: [UInt8], transform: String) -> String {
        let scales = weights.scales.map(Double.init)
        let quantization = Quantization(
            scales: scales, zeroPoints: [Int32](repeating: 0, count: scales.count), axis: scales.count > 1 ? 0 : nil)
        return declareConstant(
            index: weights.tensor.index, transform: transform,
            baseName: weights.tensor.name.isEmpty ? "weights\(weights.tensor.index)" : weights.tensor.name,
            shape: shape, data: ConstantData(elementType: .int8, bytes: bytes), quantization: quantization)
    }

    /// The optional int32 bias in input slot 2 with `channels` entries, declared in the graph;
    /// nil when the operator has none.
    mutating func bias(_ context: OperatorContext, channels: Int) throws(ModelError) -> String? {
        guard let tensor = try optionalInput(context, 2) else { return nil }
        let input = try input(context, 0)
        // LiteRT: int32 biases with int8 inputs, int64 with int16 inputs (the 16x8 kernels).
        let wanted: TFLiteSchema.TensorType = input.tensorType == .int16 ? .int64 : .int32
        guard tensor.tensorType == wanted else {
            throw context.error(
                "bias \(tensor.label) is \(TFLiteSchema.TensorType.name(of: tensor.type)); accsim imports \(wanted == .int64 ? "int64 biases with int16 inputs" : "int32 biases with int8 inputs")"
            )
        }
        let shape = try intShape(tensor, context)
        guard shape.reduce(1, *) == channels else {
            throw context.error("bias \(tensor.label) has shape \(shape); expected \(channels) entries")
        }
        let type: ElementType = wanted == .int64 ? .int64 : .int32
        let bytes = try data(tensor, elementSize: type.byteWidth, context)
        return declareConstant(
            index: tensor.index, transform: "", baseName: tensor.name.isEmpty ? "bias\(tensor.index)" : tensor.name,
            shape: [channels], data: ConstantData(elementType: type, bytes: Array(bytes)), quantization: nil)
    }

    /// Real multipliers `(double)s_in · (double)s_w[c] / (double)s_out` per output channel, left to
    /// right as LiteRT computes them.
    func realMultipliers(input: Float, weights: Weights, output: Float, channels: Int) -> [Double] {
        let count = weights.scales.count == 1 ? 1 : channels
        return (0..<count).map { Double(input) * Double(weights.scale($0)) / Double(output) }
    }
}
