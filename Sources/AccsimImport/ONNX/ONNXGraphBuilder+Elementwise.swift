import AccsimArithmetic
import AccsimModel

/// Which onnxruntime computation an Add reproduces (both are float32; see ONNXRuntimeArithmetic).
enum ONNXAddKernel: Sendable {
    /// QLinearAdd (com.microsoft).
    case qlinearAdd
    /// DequantizeLinear → Add → QuantizeLinear left unfused.
    case floatQDQ
}

extension ONNXGraphBuilder {
    /// Add (QDQ) and QLinearAdd → `add` with the policy's integer input multipliers and output
    /// rounding. Every one of the 65 536 input pairs is compared with onnxruntime's float32
    /// computation and the differing pairs are counted in the report.
    mutating func convertAdd(
        _ context: ONNXNodeContext, a: ONNXActivation, b: ONNXActivation, output: ONNXOutputQuantization,
        activation: ONNXNode?, onnxruntime kernel: ONNXAddKernel
    ) throws(ModelError) {
        guard a.shape == b.shape, a.layout == b.layout else {
            throw context.error("inputs of shapes \(a.shape) and \(b.shape) differ; accsim's add does not broadcast")
        }
        let clamp = try outputClamp(output, activation: activation)
        let conversion: AddConversion
        do {
            conversion = try policy.convertAdd(
                ratioA: Double(a.scale) / Double(output.scale), ratioB: Double(b.scale) / Double(output.scale),
                zeroPoint: output.zeroPoint, clampMin: clamp.min, clampMax: clamp.max)
        } catch {
            throw context.error(error.message)
        }
        requantizerCount += 1
        worstRelativeError = max(worstRelativeError, conversion.relativeError)
        let y = declareActivation(output, shape: a.shape, layout: a.layout)
        addNode(context, .add(conversion.parameters), inputs: [a.name, b.name], output: y.name)

        // Exhaustive comparison with onnxruntime over all input pairs.
        let span = Int(a.type.maxValue - a.type.minValue + 1) * Int(b.type.maxValue - b.type.minValue + 1)
        var left: [Int32] = []
        var right: [Int32] = []
        left.reserveCapacity(span)
        right.reserveCapacity(span)
        for qa in a.type.minValue...a.type.maxValue {
            for qb in b.type.minValue...b.type.maxValue {
                left.append(qa)
                right.append(qb)
            }
        }
        let ours = ReferenceKernels.add(
            IntTensor(shape: [1, span], elementType: a.type, values: left), zeroPointA: a.zeroPoint,
            IntTensor(shape: [1, span], elementType: b.type, values: right), zeroPointB: b.zeroPoint,
            parameters: conversion.parameters, overflow: .wrap, outputType: output.type)
        var differing = 0
        let target = (scale: output.scale, zeroPoint: output.zeroPoint)
        for index in 0..<span {
            var theirs: Int32
            switch kernel {
            case .qlinearAdd:
                theirs = ONNXRuntimeArithmetic.qlinearAdd(
                    left[index], right[index], a: a.quantization, b: b.quantization, output: target, type: output.type)
            case .floatQDQ:
                theirs = ONNXRuntimeArithmetic.floatAdd(
                    left[index], right[index], a: a.quantization, b: b.quantization, output: target, type: output.type)
            }
            theirs = min(max(theirs, clamp.min), clamp.max)
            if theirs != ours.values[index] { differing += 1 }
        }
        countDisagreements(differing)
        notes.append(
            "\(context.node.label): add differs from onnxruntime's \(kernel == .qlinearAdd ? "QLinearAdd" : "float DequantizeLinear/Add/QuantizeLinear") on \(differing) of \(span) input pairs"
        )
    }

    /// Concat (QDQ) and QLinearConcat → `concat`; an input quantized unlike the output gets a
    /// requantizer for `s_i / s_y` (compared with onnxruntime on all 256 stored values).
    mutating func convertConcat(_ context: ONNXNodeContext, inputs: [ONNXActivation], output: ONNXOutputQuantization)
        throws(ModelError)
    {
        guard let first = inputs.first else { throw context.error("has no inputs") }
        let rank = first.shape.count
        var axis = try context.int("axis", 1)
        if axis < 0 { axis += rank }
        guard (0..<rank).contains(axis) else { throw context.error("axis \(axis) is outside a rank-\(rank) tensor") }
        var shape = first.shape
        shape[axis] = 0
        var requantizers: [Requantizer?] = []
        for (slot, x) in inputs.enumerated() {
            guard x.shape.count == rank, x.layout == first.layout,
                (0..<rank).allSatisfy({ $0 == axis || x.shape[$0] == first.shape[$0] })
            else {
                throw context.error(
                    "input \(slot) of shape \(x.shape) does not match \(first.shape) outside axis \(axis)")
            }
            if case .flattened = x.layout {
                throw context.error("concatenating flattened NCHW tensors is not supported")
            }
            shape[axis] += x.shape[axis]
            if x.scale == output.scale && x.zeroPoint == output.zeroPoint && x.type == output.type {
                requantizers.append(nil)
                continue
            }
            let conversion = try requantizer(
                ScaledRequantization(
                    reals: [Double(x.scale) / Double(output.scale)], role: .joining, zeroPoint: output.zeroPoint,
                    clampMin: output.type.minValue, clampMax: output.type.maxValue),
                onnxruntimeScales: nil, context)
            var differing = 0
            for q in x.type.minValue...x.type.maxValue {
                let ours = conversion.requantizer.apply(q - x.zeroPoint, channel: 0)
                let theirs = ONNXRuntimeArithmetic.rescale(
                    q, from: x.quantization, to: (output.scale, output.zeroPoint), type: output.type)
                if ours != theirs { differing += 1 }
            }
            countDisagreements(differing)
            notes.append(
                "\(context.node.label): concat input \(slot) rescale differs from onnxruntime on \(differing) of 256 stored values"
            )
            requantizers.append(conversion.requantizer)
        }
        let graphAxis = first.layout == .nchw ? [0, 3, 1, 2][axis] : axis
        let y = declareActivation(output, shape: shape, layout: first.layout)
        addNode(
            context, .concat(ConcatParameters(axis: graphAxis, inputRequantizers: requantizers)),
            inputs: inputs.map(\.name), output: y.name)
    }

    /// Sigmoid (QDQ) and QLinearSigmoid → `lookup_table` holding onnxruntime's table (MLAS's
    /// logistic in float32 between DequantizeLinear and QuantizeLinear), exact by construction.
    mutating func convertSigmoid(_ context: ONNXNodeContext, x: ONNXActivation, output: ONNXOutputQuantization)
        throws(ModelError)
    {
        guard x.type == output.type else {
            throw context.error(
                "input is \(x.type.rawValue) but output '\(output.onnxName)' is \(output.type.rawValue)")
        }
        let table = ONNXRuntimeArithmetic.sigmoidTable(
            input: x.quantization, output: (output.scale, output.zeroPoint), type: x.type)
        let y = declareActivation(output, shape: x.shape, layout: x.layout)
        addNode(context, .lookupTable(LookupTableParameters(table: table)), inputs: [x.name], output: y.name)
    }
}
