import AccsimArithmetic
import AccsimModel

extension ONNXGraphBuilder {
    /// Conv (QDQ) and QLinearConv → `conv2d`: OIHW weights become OHWI, the NCHW geometry NHWC;
    /// the requantizer's real factor per output channel is onnxruntime's float32
    /// `(s_x · s_w[c]) / s_y`; a fused Relu or Clip narrows the clamp.
    mutating func convertConvolution(
        _ context: ONNXNodeContext, x: ONNXActivation, weights: ONNXQuantizedConstant, bias: ONNXQuantizedConstant?,
        output: ONNXOutputQuantization, activation: ONNXNode?
    ) throws(ModelError) {
        guard x.layout == .nchw else {
            throw context.error("input '\(context.input(0) ?? "")' of shape \(x.shape) is not an NCHW tensor")
        }
        let dims = weights.tensor.dims.map { Int($0) }
        guard dims.count == 4 else {
            throw context.error(
                "weights '\(weights.tensor.name)' have shape \(dims); a 2-D convolution needs [O, I/group, KH, KW]")
        }
        try checkWeightType(context, weights)
        let (cout, cinPerGroup, kh, kw) = (dims[0], dims[1], dims[2], dims[3])
        let groups = try context.int("group", 1)
        let cin = x.shape[1]
        guard groups >= 1, cin == cinPerGroup * groups, cout % groups == 0 else {
            throw context.error("weights \(dims) with group \(groups) do not fit an input of \(cin) channels")
        }
        if let kernel = try context.ints("kernel_shape"), kernel != [kh, kw] {
            throw context.error("kernel_shape \(kernel) does not match the weights \(dims)")
        }
        let geometry = try windowGeometry(
            context, input: (x.shape[2], x.shape[3]), kernel: (kh, kw), allowDilation: true)
        let perChannel = try channelParameters(context, weights, channels: cout, axis: 0)
        let reals = perChannel.scales.map {
            Double(ONNXRuntimeArithmetic.weightedScale(input: x.scale, weight: $0, output: output.scale))
        }
        let ortScales = perChannel.scales.map {
            ONNXRuntimeArithmetic.weightedScale(input: x.scale, weight: $0, output: output.scale)
        }
        let clamp = try outputClamp(output, activation: activation)
        let conversion = try requantizer(
            ScaledRequantization(
                reals: reals, role: .weighted, zeroPoint: output.zeroPoint, clampMin: clamp.min, clampMax: clamp.max),
            onnxruntimeScales: ortScales, context)

        // OIHW → OHWI, one row of KH·KW·I/g per output channel.
        var rows = [Int64](repeating: 0, count: weights.values.count)
        let inner = kh * kw * cinPerGroup
        for o in 0..<cout {
            for i in 0..<cinPerGroup {
                for y in 0..<kh {
                    for xx in 0..<kw {
                        rows[o * inner + (y * kw + xx) * cinPerGroup + i] =
                            weights.values[((o * cinPerGroup + i) * kh + y) * kw + xx]
                    }
                }
            }
        }
        let (weightName, biasName) = try declareWeightsAndBias(
            context, weights: weights, rows: rows, shape: [cout, kh, kw, cinPerGroup], scales: perChannel.scales,
            zeroPoints: perChannel.zeroPoints, bias: bias, inputScale: x.scale, factors: conversion.weightFactors)
        let y = declareActivation(
            output, shape: [x.shape[0], cout, geometry.outputHeight, geometry.outputWidth], layout: .nchw)
        let parameters = Conv2DParameters(
            stride: geometry.stride, dilation: geometry.dilation, padding: geometry.padding, groups: groups,
            requantizer: conversion.requantizer)
        addNode(
            context, .conv2D(parameters), inputs: [x.name, weightName] + (biasName.map { [$0] } ?? []), output: y.name)
    }

    /// Gemm, MatMul (QDQ), QGemm and QLinearMatMul with a constant second operand →
    /// `fully_connected`: the weights become `[O, K]` (transposed when given `[K, O]`), their
    /// columns permuted when the input is a flattened NCHW tensor.
    mutating func convertFullyConnected(
        _ context: ONNXNodeContext, x: ONNXActivation, weights: ONNXQuantizedConstant, bias: ONNXQuantizedConstant?,
        output: ONNXOutputQuantization, activation: ONNXNode?, transposedWeights explicitTransB: Bool? = nil
    ) throws(ModelError) {
        guard x.shape.count == 2, x.layout != .nchw else {
            throw context.error(
                "input '\(context.input(0) ?? "")' has shape \(x.shape); accsim's fully connected layer reads [N, K] (flatten the input first)"
            )
        }
        let op = context.node.opType
        if op == "Gemm" || op == "QGemm" {
            guard try context.int("transA", 0) == 0 else { throw context.error("transA = 1 is not supported") }
            guard try context.float("alpha", 1) == 1 else { throw context.error("alpha ≠ 1 is not supported") }
            if bias != nil, try context.float("beta", 1) != 1 { throw context.error("beta ≠ 1 is not supported") }
        }
        var transB = explicitTransB ?? false
        if explicitTransB == nil, op == "Gemm" || op == "QGemm" { transB = try context.int("transB", 0) == 1 }
        let dims = weights.tensor.dims.map { Int($0) }
        guard dims.count == 2 else {
            throw context.error("weights '\(weights.tensor.name)' have shape \(dims); expected a matrix")
        }
        try checkWeightType(context, weights)
        let (outputs, depth) = transB ? (dims[0], dims[1]) : (dims[1], dims[0])
        guard depth == x.shape[1] else {
            throw context.error(
                "weights '\(weights.tensor.name)' of shape \(dims) expect \(depth) input features but the input has \(x.shape[1])"
            )
        }
        let perChannel = try channelParameters(context, weights, channels: outputs, axis: transB ? 0 : 1)
        // The weight matrix as [O, K] rows, columns in the accsim input's element order.
        var rows = [Int64](repeating: 0, count: outputs * depth)
        var column = Array(0..<depth)
        if case .flattened(let c, let h, let w) = x.layout {
            for hh in 0..<h {
                for ww in 0..<w {
                    for cc in 0..<c { column[(hh * w + ww) * c + cc] = (cc * h + hh) * w + ww }
                }
            }
        }
        for o in 0..<outputs {
            for k in 0..<depth {
                let source = column[k]
                rows[o * depth + k] = transB ? weights.values[o * depth + source] : weights.values[source * outputs + o]
            }
        }
        let reals = perChannel.scales.map {
            Double(ONNXRuntimeArithmetic.weightedScale(input: x.scale, weight: $0, output: output.scale))
        }
        let ortScales = perChannel.scales.map {
            ONNXRuntimeArithmetic.weightedScale(input: x.scale, weight: $0, output: output.scale)
        }
        let clamp = try outputClamp(output, activation: activation)
        let conversion = try requantizer(
            ScaledRequantization(
                reals: reals, role: .weighted, zeroPoint: output.zeroPoint, clampMin: clamp.min, clampMax: clamp.max),
            onnxruntimeScales: ortScales, context)
        let (weightName, biasName) = try declareWeightsAndBias(
            context, weights: weights, rows: rows, shape: [outputs, depth], scales: perChannel.scales,
            zeroPoints: perChannel.zeroPoints, bias: bias, inputScale: x.scale, factors: conversion.weightFactors)
        let y = declareActivation(output, shape: [x.shape[0], outputs], layout: .plain)
        addNode(
            context, .fullyConnected(FullyConnectedParameters(requantizer: conversion.requantizer)),
            inputs: [x.name, weightName] + (biasName.map { [$0] } ?? []), output: y.name)
    }

    // MARK: Helpers

    private func checkWeightType(_ context: ONNXNodeContext, _ weights: ONNXQuantizedConstant) throws(ModelError) {
        guard weights.type == .int8 || weights.type == .uint8 else {
            throw context.error(
                "weights '\(weights.tensor.name)' are \(weights.type.rawValue); accsim imports int8 and uint8 weights")
        }
    }

    /// Scales and zero points per output channel (`channels` entries, or one for per tensor):
    /// per-channel parameters must run along `axis`, the output-channel axis.
    private func channelParameters(
        _ context: ONNXNodeContext, _ weights: ONNXQuantizedConstant, channels: Int, axis: Int
    ) throws(ModelError) -> (scales: [Float], zeroPoints: [Int32]) {
        if weights.scales.count == 1 { return (weights.scales, weights.zeroPoints) }
        guard weights.scales.count == channels, weights.axis == axis else {
            throw context.error(
                "weights '\(weights.tensor.name)' have \(weights.scales.count) scales along axis \(weights.axis.map(String.init) ?? "?"); accsim needs one per output channel (\(channels) along axis \(axis)) or one per tensor"
            )
        }
        return (weights.scales, weights.zeroPoints)
    }

    /// Declares the weights (rows of the output channels, in accsim's layout) and the bias, after
    /// folding `factors` (single-shift policy) into them.
    private mutating func declareWeightsAndBias(
        _ context: ONNXNodeContext, weights: ONNXQuantizedConstant, rows: [Int64], shape: [Int], scales: [Float],
        zeroPoints: [Int32],
        bias: ONNXQuantizedConstant?, inputScale: Float, factors: [Double]?
    ) throws(ModelError) -> (weights: String, bias: String?) {
        let channels = shape[0]
        let perRow = rows.count / channels
        var values = rows.map { Int32($0) }
        var weightScales = scales.map(Double.init)
        var weightZeroPoints = zeroPoints
        if let factors {
            guard zeroPoints.allSatisfy({ $0 == 0 }) else {
                throw context.error(
                    "the single-shift policy folds scales into symmetric weights; '\(weights.tensor.name)' has non-zero zero points"
                )
            }
            weightScales = (0..<channels).map {
                Double(scales[scales.count == 1 ? 0 : $0]) / factors[factors.count == 1 ? 0 : $0]
            }
            weightZeroPoints = [Int32](repeating: 0, count: channels)
            for o in 0..<channels {
                let factor = factors[factors.count == 1 ? 0 : o]
                var errorSquares = 0.0
                var normSquares = 0.0
                for k in 0..<perRow {
                    let exact = Double(rows[o * perRow + k]) * factor
                    var folded = exact.rounded(.toNearestOrAwayFromZero)
                    if folded < Double(weights.type.minValue) || folded > Double(weights.type.maxValue) {
                        folded = min(max(folded, Double(weights.type.minValue)), Double(weights.type.maxValue))
                        clampedWeights += 1
                    }
                    values[o * perRow + k] = Int32(folded)
                    errorSquares += (folded - exact) * (folded - exact)
                    normSquares += exact * exact
                }
                if normSquares > 0 {
                    worstWeightError = max(worstWeightError, (errorSquares / normSquares).squareRoot())
                }
                foldedChannels += 1
            }
        }
        let quantization =
            weightScales.count == 1
            ? Quantization(scale: weightScales[0], zeroPoint: weightZeroPoints[0])
            : Quantization(
                scales: weightScales,
                zeroPoints: weightZeroPoints.count == 1
                    ? [Int32](repeating: weightZeroPoints[0], count: weightScales.count) : weightZeroPoints, axis: 0)
        let weightName = declareConstant(
            weights.tensor.name + (shape.count == 4 ? "/ohwi" : "/oi"), shape: shape,
            data: ConstantData(elementType: weights.type, values: values), quantization: quantization)
        guard let bias else { return (weightName, nil) }
        guard bias.values.count == channels else {
            throw context.error(
                "bias '\(bias.tensor.name)' has \(bias.values.count) values for \(channels) output channels")
        }
        if !bias.scales.isEmpty {
            for o in 0..<channels {
                let expected = Double(inputScale) * Double(scales[scales.count == 1 ? 0 : o])
                let actual = Double(bias.scales[bias.scales.count == 1 ? 0 : o])
                if abs(actual - expected) > 1e-6 * expected {
                    notes.append(
                        "\(context.node.label): bias scale \(actual) differs from s_x·s_w = \(expected) in channel \(o); the int32 values are used as stored, as onnxruntime does"
                    )
                    break
                }
            }
        }
        var biasValues: [Int32] = []
        for o in 0..<channels {
            var value = Double(bias.values[o])
            if let factors { value = (value * factors[factors.count == 1 ? 0 : o]).rounded(.toNearestOrAwayFromZero) }
            guard let narrow = Int32(exactly: value) else {
                throw context.error("bias '\(bias.tensor.name)'[\(o)] = \(value) does not fit int32")
            }
            biasValues.append(narrow)
        }
        let biasName = declareConstant(
            bias.tensor.name, shape: [channels], data: ConstantData(elementType: .int32, values: biasValues),
            quantization: nil)
        return (weightName, biasName)
    }
}
