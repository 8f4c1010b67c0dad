import AccsimArithmetic
import AccsimModel

/// Converts a decoded ``ONNXModel`` (QDQ or QOperator form) into an accsim ``Graph``, node by node
/// in the model's order.
///
/// The imported graph starts at the output of each QuantizeLinear that reads a float graph input
/// and ends at the input of each DequantizeLinear that produces a float graph output. In between,
/// QOperator nodes (QLinearConv, …) convert directly; in the QDQ form a float operation reading
/// DequantizeLinear outputs is held back (``ONNXValue/pending(_:)``) until the QuantizeLinear of
/// its output supplies the output quantization. The per-operator conversions live in the
/// `ONNXGraphBuilder+…` extensions.
struct ONNXGraphBuilder {
    let model: ONNXModel
    let policy: RequantPolicy
    let file: String?

    var values: [String: ONNXValue] = [:]
    var tensors: [TensorInfo] = []
    var constants: [String: ConstantData] = [:]
    var nodes: [Node] = []
    var graphInputs: [String] = []
    private var usedNames: Set<String> = []
    private var nodeNames: Set<String> = []

    // What the report says.
    var worstRelativeError = 0.0
    var requantizerCount = 0
    var disagreements: Int? = 0
    var notes: [String] = []
    var usedQOperator = false
    var usedQDQ = false
    var foldedChannels = 0
    var clampedWeights = 0
    var worstWeightError = 0.0

    init(model: ONNXModel, policy: RequantPolicy, file: String?) {
        self.model = model
        self.policy = policy
        self.file = file
    }

    /// Converts every node and assembles the graph.
    mutating func build() throws(ModelError) -> Graph {
        let graph = model.graph
        for tensor in graph.initializers { values[tensor.name] = .initializer(tensor) }
        for input in graph.inputs where values[input.name] == nil {
            guard input.elementType == ONNXDataType.float else {
                throw ModelError(
                    file: file, field: input.path,
                    "graph input '\(input.name)' is \(ONNXDataType.name(input.elementType ?? 0)); accsim imports models whose inputs are float and quantized by QuantizeLinear"
                )
            }
            values[input.name] = .floatInput(input)
        }
        for node in graph.nodes {
            try convert(node)
        }
        var outputs: [String] = []
        for (position, output) in graph.outputs.enumerated() {
            let field = "graph.output[\(position)]"
            switch values[output.name] {
            case .dequantized(let a), .activation(let a):
                if case .flattened = a.layout {
                    throw ModelError(
                        file: file, field: field,
                        "graph output '\(output.name)' is a flattened NCHW tensor, whose element order accsim's NHWC graph does not keep"
                    )
                }
                outputs.append(a.name)
            case nil:
                throw ModelError(file: file, field: field, "graph output '\(output.name)' is never produced")
            default:
                throw ModelError(
                    file: file, field: field,
                    "graph output '\(output.name)' is not a dequantized quantized tensor; the imported graph must end at the input of a DequantizeLinear"
                )
            }
        }
        if graphInputs.isEmpty {
            throw ModelError(
                file: file, field: "graph.input",
                "no float graph input is quantized by a QuantizeLinear; nothing to import")
        }
        var metadata: [String: String] = [
            "semantics": "onnxruntime",
            "producer": "accsim ONNXImporter (\(policy.description))",
            "source_model": file ?? "(in memory)",
            "onnx_form": form,
            "requant_policy": policy.description,
        ]
        if !model.producerName.isEmpty {
            metadata["onnx_producer"] =
                model.producerVersion.isEmpty ? model.producerName : "\(model.producerName) \(model.producerVersion)"
        }
        // Float inputs as onnxruntime's QuantizeLinear takes them (float32 x / scale, round half to
        // even, + zero point, saturate), in ONNX's NCHW layout; rank-4 outputs written back NCHW.
        var framed = tensors
        for index in framed.indices
        where graphInputs.contains(framed[index].name) || outputs.contains(framed[index].name) {
            if framed[index].shape.count == 4 { framed[index].layout = .nchw }
            if graphInputs.contains(framed[index].name), let q = framed[index].quantization, q.scales.count == 1 {
                framed[index].floatInput = FloatInputQuantization(
                    operation: .divide, factor: q.scales[0], rounding: .halfEven)
            }
        }
        return Graph(
            name: graphName, tensors: framed, constants: constants, nodes: nodes, inputs: graphInputs, outputs: outputs,
            metadata: metadata)
    }

    /// `qdq`, `qoperator` or `mixed`.
    var form: String {
        switch (usedQDQ, usedQOperator) {
        case (true, true): "mixed"
        case (false, true): "qoperator"
        default: "qdq"
        }
    }

    private var graphName: String {
        if let file {
            let base = file.split(separator: "/").last.map(String.init) ?? file
            return base.hasSuffix(".onnx") ? String(base.dropLast(5)) : base
        }
        return model.graph.name.isEmpty ? "onnx_model" : model.graph.name
    }

    // MARK: Dispatch

    private mutating func convert(_ node: ONNXNode) throws(ModelError) {
        let context = ONNXNodeContext(node: node, file: file)
        switch (node.domain, node.opType) {
        case ("", "QuantizeLinear"): try convertQuantizeLinear(context)
        case ("", "DequantizeLinear"): try convertDequantizeLinear(context)
        case ("", "QLinearConv"): try convertQLinearConv(context)
        case ("", "QLinearMatMul"): try convertQLinearMatMul(context)
        case ("com.microsoft", "QGemm"): try convertQGemm(context)
        case ("com.microsoft", "QLinearAdd"): try convertQLinearAdd(context)
        case ("com.microsoft", "QLinearConcat"): try convertQLinearConcat(context)
        case ("com.microsoft", "QLinearAveragePool"): try convertQLinearAveragePool(context)
        case ("com.microsoft", "QLinearGlobalAveragePool"): try convertQLinearGlobalAveragePool(context)
        case ("com.microsoft", "QLinearSigmoid"): try convertQLinearSigmoid(context)
        case ("", "Conv"), ("", "Gemm"), ("", "MatMul"), ("", "Add"), ("", "Concat"), ("", "AveragePool"),
            ("", "GlobalAveragePool"), ("", "Sigmoid"):
            try holdFloatOperation(context)
        case ("", "MaxPool"), ("", "Relu"), ("", "Clip"), ("", "Reshape"), ("", "Flatten"), ("", "Pad"):
            try convertDataMovement(context)
        default:
            let domain = node.domain.isEmpty ? "ai.onnx" : node.domain
            throw context.error(
                "unsupported operator '\(node.opType)' (domain \(domain)); see docs/import-onnx.md for the supported ones"
            )
        }
    }

    // MARK: Values

    /// The value of input `slot` (which must be present).
    func value(_ context: ONNXNodeContext, _ slot: Int) throws(ModelError) -> ONNXValue {
        guard let name = context.input(slot) else { throw context.error("input \(slot) is missing") }
        guard let value = values[name] else {
            throw context.error(
                "input \(slot) '\(name)' is not produced by any earlier node, initializer or graph input")
        }
        return value
    }

    /// Input `slot` as a quantized activation.
    func activation(_ context: ONNXNodeContext, _ slot: Int) throws(ModelError) -> ONNXActivation {
        guard case .activation(let a) = try value(context, slot) else {
            throw context.error("input \(slot) '\(context.input(slot) ?? "")' is not a quantized activation")
        }
        return a
    }

    /// Input `slot` as the DequantizeLinear output of an activation (QDQ form).
    func dequantizedActivation(_ context: ONNXNodeContext, _ slot: Int) throws(ModelError) -> ONNXActivation {
        guard case .dequantized(let a) = try value(context, slot) else {
            throw context.error(
                "input \(slot) '\(context.input(slot) ?? "")' must come from a DequantizeLinear of a quantized activation"
            )
        }
        return a
    }

    /// Input `slot` as an initializer.
    func initializer(_ context: ONNXNodeContext, _ slot: Int) throws(ModelError) -> ONNXTensor {
        guard case .initializer(let tensor) = try value(context, slot) else {
            throw context.error("input \(slot) '\(context.input(slot) ?? "")' must be an initializer (a constant)")
        }
        return tensor
    }

    // MARK: Declarations

    /// Declares an activation tensor for `output` and records it as the value of its ONNX name.
    mutating func declareActivation(_ output: ONNXOutputQuantization, shape: [Int], layout: ONNXActivation.Layout)
        -> ONNXActivation
    {
        let name = uniqueName(output.onnxName)
        let activation = ONNXActivation(
            name: name, shape: shape, type: output.type, scale: output.scale, zeroPoint: output.zeroPoint,
            layout: layout)
        tensors.append(
            TensorInfo(
                name: name, shape: activation.graphShape, elementType: output.type,
                quantization: Quantization(scale: Double(output.scale), zeroPoint: output.zeroPoint)))
        values[output.onnxName] = .activation(activation)
        return activation
    }

    /// Declares a constant tensor and returns its graph name.
    mutating func declareConstant(_ base: String, shape: [Int], data: ConstantData, quantization: Quantization?)
        -> String
    {
        let name = uniqueName(base)
        tensors.append(TensorInfo(name: name, shape: shape, elementType: data.elementType, quantization: quantization))
        constants[name] = data
        return name
    }

    /// Appends a node named after the ONNX node (made unique).
    mutating func addNode(
        _ context: ONNXNodeContext, suffix: String = "", _ operation: Operation, inputs: [String], output: String
    ) {
        var name = context.node.label + suffix
        var counter = 2
        let stem = name
        while nodeNames.contains(name) {
            name = "\(stem)#\(counter)"
            counter += 1
        }
        nodeNames.insert(name)
        nodes.append(Node(name: name, operation: operation, inputs: inputs, outputs: [output]))
    }

    /// Declares a tensor the importer introduces (no ONNX counterpart) and returns its name.
    mutating func declareIntermediate(_ base: String, shape: [Int], type: ElementType, quantization: Quantization?)
        -> String
    {
        let name = uniqueName(base)
        tensors.append(TensorInfo(name: name, shape: shape, elementType: type, quantization: quantization))
        return name
    }

    private mutating func uniqueName(_ base: String) -> String {
        var name = base.isEmpty ? "tensor" : base
        var counter = 2
        let stem = name
        while usedNames.contains(name) {
            name = "\(stem)#\(counter)"
            counter += 1
        }
        usedNames.insert(name)
        return name
    }

    // MARK: Requantizers

    /// Converts a float-scale requantizer under the policy and records it in the report. With
    /// `onnxruntimeScales` (the float32 factors MLAS multiplies by), the accumulators on which it
    /// differs from onnxruntime are counted exactly.
    mutating func requantizer(
        _ scaled: ScaledRequantization, onnxruntimeScales: [Float]?, _ context: ONNXNodeContext
    ) throws(ModelError) -> RequantConversion {
        let conversion: RequantConversion
        do {
            conversion = try policy.convert(scaled)
        } catch {
            throw context.error("requantizer: \(error.message)")
        }
        requantizerCount += 1
        worstRelativeError = max(worstRelativeError, conversion.relativeError)
        if conversion.weightFactors != nil {
            countDisagreements(nil)  // the weights changed: accumulators are not comparable
        } else if let scales = onnxruntimeScales {
            countDisagreements(ONNXRequantizationCheck.disagreements(conversion.requantizer, scales: scales))
        }
        return conversion
    }

    /// Adds `count` to the exhaustive disagreement total (nil makes the total unknown).
    mutating func countDisagreements(_ count: Int?) {
        if let count, let total = disagreements {
            disagreements = total + count
        } else {
            disagreements = nil
        }
    }

    /// The clamp of a requantized output: the type's range, narrowed by a fused Relu or Clip.
    func outputClamp(_ output: ONNXOutputQuantization, activation: ONNXNode?) throws(ModelError) -> (
        min: Int32, max: Int32
    ) {
        var low = output.type.minValue
        var high = output.type.maxValue
        guard let activation else { return (low, high) }
        let range = try floatRange(ONNXNodeContext(node: activation, file: file))
        let quantize = { (v: Float) in
            ONNXRuntimeArithmetic.quantize(v, scale: output.scale, zeroPoint: output.zeroPoint, type: output.type)
        }
        if let lower = range.min { low = max(low, quantize(lower)) }
        if let upper = range.max { high = min(high, quantize(upper)) }
        if low > high {
            throw ModelError(file: file, node: activation.label, "the activation's range is empty after quantization")
        }
        return (low, high)
    }

    /// The float range of a Relu (`[0, ∞)`) or Clip node (its min and max inputs or attributes).
    func floatRange(_ context: ONNXNodeContext) throws(ModelError) -> (min: Float?, max: Float?) {
        if context.node.opType == "Relu" { return (0, nil) }
        var bounds: [Float?] = [nil, nil]
        for (slot, attribute) in [(1, "min"), (2, "max")] {
            if let name = context.input(slot) {
                guard case .initializer(let tensor) = values[name] else {
                    throw context.error("the Clip bound '\(name)' must be a float initializer")
                }
                let data = try tensor.floatValues(file: file)
                guard data.count == 1 else { throw context.error("the Clip bound '\(name)' must be a scalar") }
                bounds[slot - 1] = data[0]
            } else if let value = context.node.attribute(attribute)?.f {
                bounds[slot - 1] = value
            }
        }
        return (bounds[0], bounds[1])
    }
}
