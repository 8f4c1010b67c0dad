import AccsimArithmetic

/// The checks the operations share: operand counts, activation and weight tensors, biases,
/// accumulators, requantizers, clamps, windows and the declared output shape.
extension NodeChecker {
    func expectOperands(_ count: Int) throws(ModelError) {
        if inputs.count != count {
            throw ModelError(
                field: "inputs",
                "\(node.operation.kind.rawValue) takes \(count) input\(count == 1 ? "" : "s"), got \(inputs.count)")
        }
    }

    func expectActivation(_ tensor: TensorInfo, field: String, rank: Int?) throws(ModelError) {
        if let rank, tensor.shape.count != rank {
            throw ModelError(
                field: field,
                "\(node.operation.kind.rawValue) expects a rank-\(rank) input, '\(tensor.name)' has shape \(tensor.shape)"
            )
        }
        if !tensor.elementType.isActivationType {
            throw ModelError(
                field: field, "'\(tensor.name)' is \(tensor.elementType.rawValue); activations are int8, uint8 or int16"
            )
        }
        if let q = tensor.quantization, q.zeroPoints.count > 1 {
            throw ModelError(
                field: field,
                "'\(tensor.name)' is an activation with per-channel quantization, which accsim does not support")
        }
    }

    func expectWeights(_ tensor: TensorInfo, rank: Int) throws(ModelError) {
        guard constants[tensor.name] != nil else {
            throw ModelError(field: "inputs[1]", "weights '\(tensor.name)' must be a constant")
        }
        if tensor.shape.count != rank {
            throw ModelError(field: "inputs[1]", "weights '\(tensor.name)' must have rank \(rank), got \(tensor.shape)")
        }
        if !tensor.elementType.isWeightType {
            throw ModelError(
                field: "inputs[1]",
                "weights '\(tensor.name)' are \(tensor.elementType.rawValue); weights are int4, int8, uint8 or int16")
        }
    }

    /// The accumulator: int32 or int64; int64 needs a plain rounding mode (the TFLite modes
    /// multiply an int32 accumulator); int32 needs every product `(w − zp_w)·(x − zp_x)` to fit
    /// int32, which int16 × int16 operands with zero points do not.
    func checkAccumulator(_ accumulator: ElementType?, requantizer: Requantizer) throws(ModelError) {
        let type = accumulator ?? .int32
        guard type == .int32 || type == .int64 else {
            throw ModelError(field: "attributes.accumulator", "is \(type.rawValue); accumulators are int32 or int64")
        }
        if type == .int64 {
            switch requantizer.rounding {
            case .halfUp, .halfAway, .halfEven, .floor, .doubleHalfAway: break
            default:
                throw ModelError(
                    field: "attributes.requantizer.rounding",
                    "\(requantizer.rounding.rawValue) requantizes an int32 accumulator; an int64 accumulator needs half_up, half_away, half_even, floor or double_half_away"
                )
            }
            return
        }
        let bound = Self.magnitudeBound(inputs[0]) * Self.magnitudeBound(inputs[1])
        if bound > Int64(Int32.max) {
            throw ModelError(
                field: "attributes.accumulator",
                "\(inputs[0].elementType.rawValue) × \(inputs[1].elementType.rawValue) products with these zero points reach \(bound), beyond int32: use an int64 accumulator"
            )
        }
    }

    /// The largest `|q − zp|` of a tensor over its type's range and zero points.
    static func magnitudeBound(_ tensor: TensorInfo) -> Int64 {
        let type = tensor.elementType
        let zeroPoints = tensor.quantization?.zeroPoints ?? [0]
        return zeroPoints.map { max(Int64($0) - type.lowerBound, type.upperBound - Int64($0)) }.max() ?? 0
    }

    func checkWeightQuantization(_ w: TensorInfo) throws(ModelError) {
        // The per-channel count was checked against shape[axis] with the tensor itself.
        if let q = w.quantization, q.zeroPoints.count > 1, q.axis != 0 {
            throw ModelError(
                field: "inputs[1]", "per-channel weights '\(w.name)' must be quantized along axis 0 (output channels)")
        }
    }

    func checkBias(count: Int, accumulator: ElementType?) throws(ModelError) {
        guard inputs.count == 3 else { return }
        let bias = inputs[2]
        guard constants[bias.name] != nil else {
            throw ModelError(field: "inputs[2]", "bias '\(bias.name)' must be a constant")
        }
        if bias.elementType != .int32 && bias.elementType != .int64 {
            throw ModelError(
                field: "inputs[2]", "bias '\(bias.name)' is \(bias.elementType.rawValue); biases are int32 or int64")
        }
        if bias.elementType == .int64 && accumulator != .int64 {
            throw ModelError(
                field: "inputs[2]",
                "bias '\(bias.name)' is int64 but the layer accumulates in \((accumulator ?? .int32).rawValue); set attributes.accumulator to int64"
            )
        }
        if bias.shape != [count] {
            throw ModelError(field: "inputs[2]", "bias '\(bias.name)' has shape \(bias.shape); expected [\(count)]")
        }
    }

    func checkRequantizer(_ r: Requantizer, field: String, channels: Int, matchOutputZeroPoint: Bool = true)
        throws(ModelError)
    {
        for problem in r.problems() {
            throw ModelError(field: "\(field).\(problem.field)", problem.message)
        }
        if r.channelCount != 1 && r.channelCount != channels {
            throw ModelError(
                field: "\(field).multipliers",
                "has \(r.channelCount) entries; expected 1 or \(channels) (one per output channel)")
        }
        try checkClamp(min: r.clampMin, max: r.clampMax, field: "\(field).clamp", type: output.elementType)
        if !output.elementType.contains(Int64(r.zeroPoint)) {
            throw ModelError(
                field: "\(field).zero_point",
                "zero point \(r.zeroPoint) does not fit the output type \(output.elementType.rawValue)")
        }
        if matchOutputZeroPoint, let q = output.quantization, q.zeroPoints.count == 1, q.zeroPoints[0] != r.zeroPoint {
            throw ModelError(
                field: "\(field).zero_point",
                "is \(r.zeroPoint) but output tensor '\(output.name)' has zero point \(q.zeroPoints[0])")
        }
    }

    func checkClamp(min: Int32, max: Int32, field: String, type: ElementType) throws(ModelError) {
        if min > max { throw ModelError(field: field, "clamp range [\(min), \(max)] is empty") }
        if !type.contains(Int64(min)) || !type.contains(Int64(max)) {
            throw ModelError(
                field: field,
                "clamp range [\(min), \(max)] exceeds the \(type.rawValue) range [\(type.minValue), \(type.maxValue)]")
        }
    }

    func checkWindow(window: Size2D, stride: Size2D, padding: Padding2D) throws(ModelError) {
        if window.height <= 0 || window.width <= 0 { throw ModelError(field: "attributes.window", "must be positive") }
        if stride.height <= 0 || stride.width <= 0 { throw ModelError(field: "attributes.stride", "must be positive") }
        if !padding.isNonNegative { throw ModelError(field: "attributes.padding", "must be non-negative") }
        // Padding smaller than the window on every side guarantees each window an in-image tap.
        if padding.top >= window.height || padding.bottom >= window.height || padding.left >= window.width
            || padding.right >= window.width
        {
            throw ModelError(
                field: "attributes.padding",
                "padding must be smaller than the window on every side (a window would see padding only)")
        }
    }

    func poolShape(window: Size2D, stride: Size2D, padding: Padding2D) throws(ModelError) -> [Int] {
        let x = inputs[0].shape
        guard
            let oh = slidingWindowOutputExtent(
                input: x[1], padBefore: padding.top, padAfter: padding.bottom, kernel: window.height,
                stride: stride.height, dilation: 1),
            let ow = slidingWindowOutputExtent(
                input: x[2], padBefore: padding.left, padAfter: padding.right, kernel: window.width,
                stride: stride.width, dilation: 1)
        else {
            throw ModelError(
                field: "attributes.window",
                "the \(window.height)x\(window.width) window does not fit the padded \(x[1])x\(x[2]) input")
        }
        return [x[0], oh, ow, x[3]]
    }

    func expectSameType(_ a: TensorInfo, _ b: TensorInfo) throws(ModelError) {
        if a.elementType != b.elementType {
            throw ModelError(
                field: "outputs[0]",
                "\(node.operation.kind.rawValue) keeps the element type: input is \(a.elementType.rawValue), output '\(b.name)' is \(b.elementType.rawValue)"
            )
        }
    }

    func expectShape(_ shape: [Int]) throws(ModelError) {
        if output.shape != shape {
            throw ModelError(
                field: "outputs[0]",
                "output '\(output.name)' is declared \(output.shape) but \(node.operation.kind.rawValue) produces \(shape)"
            )
        }
    }
}
