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
        case .maxPool(let p): try checkMaxPool(p)
        case .avgPool(let p): try checkAvgPool(p)
        case .mean(let p): try checkMean(p)
        case .clamp(let p): try checkClamp(p)
        case .leakyRelu(let p): try checkLeakyRelu(p)
        case .lookupTable(let p): try checkLookupTable(p)
        case .requantize(let p): try checkRequantize(p)
        case .reshape(let p): try checkReshape(p)
        case .pad(let p): try checkPad(p)
        case .softmax(let p): try checkSoftmax(p)
        case .int16Activation(let p): try checkInt16Activation(p)
        case .int16Softmax(let p): try checkInt16Softmax(p)
        }
    }

    // MARK: Operations without weights

    private func checkMaxPool(_ p: MaxPoolParameters) throws(ModelError) {
        try checkPool(
            window: p.window, stride: p.stride, padding: p.padding, clampMin: p.clampMin, clampMax: p.clampMax)
    }

    private func checkAvgPool(_ p: AvgPoolParameters) throws(ModelError) {
        try checkPool(
            window: p.window, stride: p.stride, padding: p.padding, clampMin: p.clampMin, clampMax: p.clampMax
        ) { () throws(ModelError) in
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
        }
    }

    /// What max and average pooling share: one rank-4 activation, the element type kept, a
    /// window that always sees the image, the clamp and the pooled shape, in that order;
    /// `specific` (average pooling's rounding rules) runs after the window check.
    private func checkPool(
        window: Size2D, stride: Size2D, padding: Padding2D, clampMin: Int32, clampMax: Int32,
        specific: () throws(ModelError) -> Void = {}
    ) throws(ModelError) {
        try expectOperands(1)
        try expectActivation(inputs[0], field: "inputs[0]", rank: 4)
        try expectSameType(inputs[0], output)
        try checkWindow(window: window, stride: stride, padding: padding)
        try specific()
        try checkClamp(min: clampMin, max: clampMax, field: "attributes.clamp", type: output.elementType)
        try expectShape(poolShape(window: window, stride: stride, padding: padding))
    }

    private func checkMean(_ p: MeanParameters) throws(ModelError) {
        try expectOperands(1)
        try expectActivation(inputs[0], field: "inputs[0]", rank: 4)
        try checkRequantizer(p.requantizer, field: "attributes.requantizer", channels: inputs[0].shape[3])
        let s = inputs[0].shape
        try expectShape(p.keepDims ? [s[0], 1, 1, s[3]] : [s[0], s[3]])
    }

    private func checkClamp(_ p: ClampParameters) throws(ModelError) {
        try expectOperands(1)
        try expectSameType(inputs[0], output)
        try checkClamp(min: p.min, max: p.max, field: "attributes", type: output.elementType)
        try expectShape(inputs[0].shape)
    }

    private func checkLeakyRelu(_ p: LeakyReluParameters) throws(ModelError) {
        try expectOperands(1)
        try expectActivation(inputs[0], field: "inputs[0]", rank: nil)
        let slope = Requantizer(multiplier: p.slopeMultiplier, shift: p.slopeShift, rounding: p.rounding)
        for problem in slope.problems() {
            throw ModelError(
                field: "attributes.slope_" + (problem.field.hasPrefix("shift") ? "shift" : "multiplier"),
                problem.message)
        }
        try expectShape(inputs[0].shape)
    }

    private func checkLookupTable(_ p: LookupTableParameters) throws(ModelError) {
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
    }

    private func checkRequantize(_ p: Requantizer) throws(ModelError) {
        try expectOperands(1)
        try expectActivation(inputs[0], field: "inputs[0]", rank: nil)
        try checkRequantizer(p, field: "attributes.requantizer", channels: inputs[0].shape.last ?? 1)
        try expectShape(inputs[0].shape)
    }

    private func checkReshape(_ p: ReshapeParameters) throws(ModelError) {
        try expectOperands(1)
        try expectSameType(inputs[0], output)
        if p.shape.contains(where: { $0 <= 0 }) {
            throw ModelError(field: "attributes.shape", "extents must be positive, got \(p.shape)")
        }
        let count = Extents.checkedProduct(p.shape)
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
    }

    private func checkPad(_ p: PadParameters) throws(ModelError) {
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
    }

    private func checkSoftmax(_ p: SoftmaxParameters) throws(ModelError) {
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

    /// int16 in and out, input zero point 0 (LiteRT's int16 LOGISTIC / TANH / SOFTMAX).
    private func expectInt16ZeroPointZero() throws(ModelError) {
        guard inputs[0].elementType == .int16, output.elementType == .int16 else {
            throw ModelError(
                field: "inputs[0]",
                "\(node.operation.kind.rawValue) reads and writes int16 (got \(inputs[0].elementType.rawValue) → \(output.elementType.rawValue))"
            )
        }
        let zeroPoint = inputs[0].quantization?.zeroPoints.first ?? 0
        if zeroPoint != 0 {
            throw ModelError(
                field: "inputs[0]",
                "\(node.operation.kind.rawValue) needs input zero point 0, '\(inputs[0].name)' has \(zeroPoint)")
        }
    }

    private func checkInt16Activation(_ p: Int16ActivationParameters) throws(ModelError) {
        try expectOperands(1)
        try expectInt16ZeroPointZero()
        // |q · M| < 2^31 for every int16 q keeps the kernel's int32 product exact.
        if !(0...65535).contains(p.inputMultiplier) {
            throw ModelError(field: "attributes.input_multiplier", "must lie in 0...65535, got \(p.inputMultiplier)")
        }
        let shifts: ClosedRange<Int32> = p.inputMultiplier == 0 ? 0...14 : 0...31
        if !shifts.contains(p.inputLeftShift) {
            throw ModelError(
                field: "attributes.input_left_shift",
                "must lie in \(shifts) (with input_multiplier \(p.inputMultiplier)), got \(p.inputLeftShift)")
        }
        try expectShape(inputs[0].shape)
    }

    private func checkInt16Softmax(_ p: Int16SoftmaxParameters) throws(ModelError) {
        try expectOperands(1)
        try expectInt16ZeroPointZero()
        let depth = inputs[0].shape.last ?? 0
        // The row sum of Q0.15 exps stays below 2^31.
        if !(1...65536).contains(depth) {
            throw ModelError(field: "inputs[0]", "int16_softmax rows must have 1...65536 entries, got \(depth)")
        }
        if p.inputMultiplier < 0 { throw ModelError(field: "attributes.input_multiplier", "must be non-negative") }
        if !(-31...30).contains(p.inputShift) {
            throw ModelError(field: "attributes.input_shift", "must lie in -31...30, got \(p.inputShift)")
        }
        for (field, table) in [("exp_table", p.expTable), ("reciprocal_table", p.reciprocalTable)] {
            if table.count != Int16SoftmaxParameters.tableSize {
                throw ModelError(
                    field: "attributes.\(field)",
                    "has \(table.count) entries; int16_softmax tables have \(Int16SoftmaxParameters.tableSize)")
            }
            if let i = table.firstIndex(where: { !(-32768...32767).contains($0) }) {
                throw ModelError(field: "attributes.\(field)[\(i)]", "entry \(table[i]) is outside int16")
            }
        }
        try expectShape(inputs[0].shape)
    }

    // MARK: Operations with weights, and the joining operations

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
}
