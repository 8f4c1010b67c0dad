import AccsimArithmetic

/// Checks one node against its operand tensors: operand count, element types, shapes (the output
/// shape must equal the one the operation implies) and parameter ranges. Errors name the field;
/// the caller adds the node name.
struct NodeChecker {
    let node: Node
    let inputs: [TensorInfo]
    let output: TensorInfo
    let constants: [String: ConstantData]

    func check() throws(ModelError) {
        switch node.operation {
        case .conv2D(let p): try checkConv2D(p)
        case .fullyConnected(let p): try checkFullyConnected(p)
        case .add(let p): try checkAdd(p)
        case .concat(let p): try checkConcat(p)
        case .maxPool(let p):
            try expectOperands(1)
            try expectActivation(inputs[0], field: "inputs[0]", rank: 4)
            try expectSameType(inputs[0], output)
            try checkWindow(window: p.window, stride: p.stride, padding: p.padding)
            try checkClamp(min: p.clampMin, max: p.clampMax, field: "attributes.clamp", type: output.elementType)
            try expectShape(poolShape(window: p.window, stride: p.stride, padding: p.padding))
        case .avgPool(let p):
            try expectOperands(1)
            try expectActivation(inputs[0], field: "inputs[0]", rank: 4)
            try expectSameType(inputs[0], output)
            try checkWindow(window: p.window, stride: p.stride, padding: p.padding)
            if p.rounding.usesQ31Multiplier {
                throw ModelError(
                    field: "attributes.rounding",
                    "average pooling divides by the tap count; use half_away, half_up, half_even or floor, not \(p.rounding.rawValue)"
                )
            }
            if p.usesRunningMean && (p.rounding != .halfAway || p.countIncludePad) {
                throw ModelError(
                    field: "attributes.average",
                    "aidge_running_mean rounds half away and counts in-image taps only (rounding half_away, count_include_pad false)"
                )
            }
            try checkClamp(min: p.clampMin, max: p.clampMax, field: "attributes.clamp", type: output.elementType)
            try expectShape(poolShape(window: p.window, stride: p.stride, padding: p.padding))
        case .mean(let p):
            try expectOperands(1)
            try expectActivation(inputs[0], field: "inputs[0]", rank: 4)
            try checkRequantizer(p.requantizer, field: "attributes.requantizer", channels: inputs[0].shape[3])
            let s = inputs[0].shape
            try expectShape(p.keepDims ? [s[0], 1, 1, s[3]] : [s[0], s[3]])
        case .clamp(let p):
            try expectOperands(1)
            try expectSameType(inputs[0], output)
            try checkClamp(min: p.min, max: p.max, field: "attributes", type: output.elementType)
            try expectShape(inputs[0].shape)
        case .leakyRelu(let p):
            try expectOperands(1)
            try expectActivation(inputs[0], field: "inputs[0]", rank: nil)
            let slope = Requantizer(multiplier: p.slopeMultiplier, shift: p.slopeShift, rounding: p.rounding)
            for problem in slope.problems() {
                throw ModelError(
                    field: "attributes.slope_" + (problem.field.hasPrefix("shift") ? "shift" : "multiplier"),
                    problem.message)
            }
            try expectShape(inputs[0].shape)
        case .lookupTable(let p):
            try expectOperands(1)
            guard inputs[0].elementType == .int8 || inputs[0].elementType == .uint8 else {
                throw ModelError(
                    field: "inputs[0]", "a lookup table reads int8 or uint8, not \(inputs[0].elementType.rawValue)")
            }
            if p.table.count != 256 {
                throw ModelError(field: "attributes.table", "has \(p.table.count) entries; a lookup table has 256")
            }
            for (i, entry) in p.table.enumerated() where !output.elementType.contains(Int64(entry)) {
                throw ModelError(
                    field: "attributes.table[\(i)]",
                    "entry \(entry) does not fit the output type \(output.elementType.rawValue)")
            }
            try expectShape(inputs[0].shape)
        case .requantize(let r):
            try expectOperands(1)
            try expectActivation(inputs[0], field: "inputs[0]", rank: nil)
            try checkRequantizer(r, field: "attributes.requantizer", channels: inputs[0].shape.last ?? 1)
            try expectShape(inputs[0].shape)
        case .reshape(let p):
            try expectOperands(1)
            try expectSameType(inputs[0], output)
            if p.shape.contains(where: { $0 <= 0 }) {
                throw ModelError(field: "attributes.shape", "extents must be positive, got \(p.shape)")
            }
            let count = checkedProduct(p.shape)
            if count != inputs[0].elementCount {
                throw ModelError(
                    field: "attributes.shape",
                    "\(p.shape) holds \(count.map(String.init) ?? "too many") elements but the input \(inputs[0].shape) holds \(inputs[0].elementCount)"
                )
            }
            if p.shape.first != inputs[0].shape.first {
                throw ModelError(
                    field: "attributes.shape",
                    "the batch dimension must be kept (input \(inputs[0].shape), target \(p.shape))")
            }
            try expectShape(p.shape)
        case .pad(let p):
            try expectOperands(1)
            try expectSameType(inputs[0], output)
            let shape = inputs[0].shape
            if p.padding.count != shape.count {
                throw ModelError(
                    field: "attributes.padding", "has \(p.padding.count) entries for a rank-\(shape.count) input")
            }
            var padded: [Int] = []
            for (axis, pair) in p.padding.enumerated() {
                guard pair.count == 2, pair[0] >= 0, pair[1] >= 0 else {
                    throw ModelError(
                        field: "attributes.padding[\(axis)]",
                        "must be [before, after] with non-negative values, got \(pair)")
                }
                if axis == 0 && (pair[0] != 0 || pair[1] != 0) {
                    throw ModelError(field: "attributes.padding[0]", "the batch dimension cannot be padded")
                }
                guard pair[0] <= 1 << 24, pair[1] <= 1 << 24 else {
                    throw ModelError(field: "attributes.padding[\(axis)]", "padding \(pair) is unreasonably large")
                }
                padded.append(shape[axis] + pair[0] + pair[1])
            }
            if !output.elementType.contains(Int64(p.value)) {
                throw ModelError(
                    field: "attributes.value", "pad value \(p.value) does not fit \(output.elementType.rawValue)")
            }
            try expectShape(padded)
        case .softmax(let p):
            try expectOperands(1)
            guard inputs[0].elementType == .int8, output.elementType == .int8 else {
                throw ModelError(
                    field: "inputs[0]",
                    "softmax reads and writes int8 (got \(inputs[0].elementType.rawValue) → \(output.elementType.rawValue))"
                )
            }
            guard inputs[0].shape.count == 2 else {
                throw ModelError(field: "inputs[0]", "softmax expects a [N, D] input, got \(inputs[0].shape)")
            }
            if p.inputMultiplier < 0 { throw ModelError(field: "attributes.input_multiplier", "must be non-negative") }
            if !(0...31).contains(p.inputLeftShift) {
                throw ModelError(field: "attributes.input_left_shift", "must lie in 0...31")
            }
            if p.diffMin > 0 { throw ModelError(field: "attributes.diff_min", "must be ≤ 0") }
            try expectShape(inputs[0].shape)
        }
    }

    // MARK: Operations with weights

    private func checkConv2D(_ p: Conv2DParameters) throws(ModelError) {
        guard inputs.count == 2 || inputs.count == 3 else {
            throw ModelError(
                field: "inputs", "conv2d takes input, weights and an optional bias; got \(inputs.count) inputs")
        }
        let x = inputs[0]
        let w = inputs[1]
        try expectActivation(x, field: "inputs[0]", rank: 4)
        try expectWeights(w, rank: 4)
        let cin = x.shape[3]
        let cout = w.shape[0]
        if p.groups <= 0 { throw ModelError(field: "attributes.groups", "must be positive, got \(p.groups)") }
        if cin % p.groups != 0 {
            throw ModelError(field: "attributes.groups", "\(p.groups) groups do not divide \(cin) input channels")
        }
        if cout % p.groups != 0 {
            throw ModelError(field: "attributes.groups", "\(p.groups) groups do not divide \(cout) output channels")
        }
        if w.shape[3] != cin / p.groups {
            throw ModelError(
                field: "inputs[1]",
                "weights \(w.shape) need \(cin / p.groups) input channels per group (input has \(cin) channels in \(p.groups) groups)"
            )
        }
        try checkBias(count: cout, accumulator: p.accumulator)
        try checkWeightQuantization(w)
        try checkAccumulator(p.accumulator, requantizer: p.requantizer)
        if p.stride.height <= 0 || p.stride.width <= 0 {
            throw ModelError(field: "attributes.stride", "must be positive, got \([p.stride.height, p.stride.width])")
        }
        if p.dilation.height <= 0 || p.dilation.width <= 0 {
            throw ModelError(
                field: "attributes.dilation", "must be positive, got \([p.dilation.height, p.dilation.width])")
        }
        if !p.padding.isNonNegative { throw ModelError(field: "attributes.padding", "must be non-negative") }
        try checkRequantizer(p.requantizer, field: "attributes.requantizer", channels: cout)
        guard
            let oh = slidingWindowOutputExtent(
                input: x.shape[1], padBefore: p.padding.top, padAfter: p.padding.bottom, kernel: w.shape[1],
                stride: p.stride.height, dilation: p.dilation.height),
            let ow = slidingWindowOutputExtent(
                input: x.shape[2], padBefore: p.padding.left, padAfter: p.padding.right, kernel: w.shape[2],
                stride: p.stride.width, dilation: p.dilation.width)
        else {
            throw ModelError(
                field: "inputs[1]",
                "the dilated \(w.shape[1])x\(w.shape[2]) kernel does not fit the padded \(x.shape[1])x\(x.shape[2]) input"
            )
        }
        try expectShape([x.shape[0], oh, ow, cout])
    }

    private func checkFullyConnected(_ p: FullyConnectedParameters) throws(ModelError) {
        guard inputs.count == 2 || inputs.count == 3 else {
            throw ModelError(
                field: "inputs", "fully_connected takes input, weights and an optional bias; got \(inputs.count) inputs"
            )
        }
        let x = inputs[0]
        let w = inputs[1]
        try expectActivation(x, field: "inputs[0]", rank: 2)
        try expectWeights(w, rank: 2)
        if w.shape[1] != x.shape[1] {
            throw ModelError(
                field: "inputs[1]",
                "weights \(w.shape) expect \(w.shape[1]) input features but the input \(x.shape) has \(x.shape[1])")
        }
        try checkBias(count: w.shape[0], accumulator: p.accumulator)
        try checkWeightQuantization(w)
        try checkAccumulator(p.accumulator, requantizer: p.requantizer)
        try checkRequantizer(p.requantizer, field: "attributes.requantizer", channels: w.shape[0])
        try expectShape([x.shape[0], w.shape[0]])
    }

    private func checkAdd(_ p: AddParameters) throws(ModelError) {
        try expectOperands(2)
        try expectActivation(inputs[0], field: "inputs[0]", rank: nil)
        try expectActivation(inputs[1], field: "inputs[1]", rank: nil)
        if inputs[0].shape != inputs[1].shape {
            throw ModelError(field: "inputs", "add needs equal shapes, got \(inputs[0].shape) and \(inputs[1].shape)")
        }
        if p.inputs.count != 2 {
            throw ModelError(field: "attributes.inputs", "needs one scaling per input (2), got \(p.inputs.count)")
        }
        for (i, scaling) in p.inputs.enumerated() {
            if !(0...31).contains(scaling.leftShift) {
                throw ModelError(
                    field: "attributes.inputs[\(i)].left_shift", "must lie in 0...31, got \(scaling.leftShift)")
            }
            if let rescale = scaling.rescale {
                for problem in rescale.problems() {
                    throw ModelError(field: "attributes.inputs[\(i)].rescale.\(problem.field)", problem.message)
                }
                if rescale.isPerChannel {
                    throw ModelError(field: "attributes.inputs[\(i)].rescale", "an input rescale is per tensor")
                }
            }
        }
        try checkRequantizer(p.output, field: "attributes.output", channels: inputs[0].shape.last ?? 1)
        try expectShape(inputs[0].shape)
    }

    private func checkConcat(_ p: ConcatParameters) throws(ModelError) {
        guard inputs.count >= 1 else { throw ModelError(field: "inputs", "concat needs at least one input") }
        let rank = inputs[0].shape.count
        guard (0..<rank).contains(p.axis) else {
            throw ModelError(field: "attributes.axis", "axis \(p.axis) is outside 0..<\(rank)")
        }
        if p.inputRequantizers.count != inputs.count {
            throw ModelError(
                field: "attributes.input_requantizers",
                "has \(p.inputRequantizers.count) entries for \(inputs.count) inputs")
        }
        var shape = inputs[0].shape
        shape[p.axis] = 0
        for (i, x) in inputs.enumerated() {
            try expectActivation(x, field: "inputs[\(i)]", rank: rank)
            for axis in 0..<rank where axis != p.axis && x.shape[axis] != inputs[0].shape[axis] {
                throw ModelError(
                    field: "inputs[\(i)]", "shape \(x.shape) does not match \(inputs[0].shape) outside axis \(p.axis)")
            }
            shape[p.axis] += x.shape[p.axis]
            if let r = p.inputRequantizers[i] {
                try checkRequantizer(
                    r, field: "attributes.input_requantizers[\(i)]", channels: 1, matchOutputZeroPoint: true)
            } else if x.elementType != output.elementType {
                throw ModelError(
                    field: "inputs[\(i)]",
                    "is \(x.elementType.rawValue) but the output is \(output.elementType.rawValue); give this input a requantizer"
                )
            }
        }
        try expectShape(shape)
    }

    // MARK: Helpers

    /// The product of `extents`, or nil if it overflows.
    private func checkedProduct(_ extents: [Int]) -> Int? {
        var product = 1
        for extent in extents {
            let (next, overflow) = product.multipliedReportingOverflow(by: extent)
            if overflow { return nil }
            product = next
        }
        return product
    }

    private func expectOperands(_ count: Int) throws(ModelError) {
        if inputs.count != count {
            throw ModelError(
                field: "inputs",
                "\(node.operation.kind.rawValue) takes \(count) input\(count == 1 ? "" : "s"), got \(inputs.count)")
        }
    }

    private func expectActivation(_ tensor: TensorInfo, field: String, rank: Int?) throws(ModelError) {
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

    private func expectWeights(_ tensor: TensorInfo, rank: Int) throws(ModelError) {
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
    private func checkAccumulator(_ accumulator: ElementType?, requantizer: Requantizer) throws(ModelError) {
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
    private static func magnitudeBound(_ tensor: TensorInfo) -> Int64 {
        let type = tensor.elementType
        let zeroPoints = tensor.quantization?.zeroPoints ?? [0]
        return zeroPoints.map { max(Int64($0) - type.lowerBound, type.upperBound - Int64($0)) }.max() ?? 0
    }

    private func checkWeightQuantization(_ w: TensorInfo) throws(ModelError) {
        // The per-channel count was checked against shape[axis] with the tensor itself.
        if let q = w.quantization, q.zeroPoints.count > 1, q.axis != 0 {
            throw ModelError(
                field: "inputs[1]", "per-channel weights '\(w.name)' must be quantized along axis 0 (output channels)")
        }
    }

    private func checkBias(count: Int, accumulator: ElementType?) throws(ModelError) {
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

    private func checkRequantizer(_ r: Requantizer, field: String, channels: Int, matchOutputZeroPoint: Bool = true)
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

    private func checkClamp(min: Int32, max: Int32, field: String, type: ElementType) throws(ModelError) {
        if min > max { throw ModelError(field: field, "clamp range [\(min), \(max)] is empty") }
        if !type.contains(Int64(min)) || !type.contains(Int64(max)) {
            throw ModelError(
                field: field,
                "clamp range [\(min), \(max)] exceeds the \(type.rawValue) range [\(type.minValue), \(type.maxValue)]")
        }
    }

    private func checkWindow(window: Size2D, stride: Size2D, padding: Padding2D) throws(ModelError) {
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

    private func poolShape(window: Size2D, stride: Size2D, padding: Padding2D) throws(ModelError) -> [Int] {
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

    private func expectSameType(_ a: TensorInfo, _ b: TensorInfo) throws(ModelError) {
        if a.elementType != b.elementType {
            throw ModelError(
                field: "outputs[0]",
                "\(node.operation.kind.rawValue) keeps the element type: input is \(a.elementType.rawValue), output '\(b.name)' is \(b.elementType.rawValue)"
            )
        }
    }

    private func expectShape(_ shape: [Int]) throws(ModelError) {
        if output.shape != shape {
            throw ModelError(
                field: "outputs[0]",
                "output '\(output.name)' is declared \(output.shape) but \(node.operation.kind.rawValue) produces \(shape)"
            )
        }
    }
}
