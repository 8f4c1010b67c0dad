import AccsimArithmetic
import AccsimModel

/// Converts a decoded ``TFLiteModel`` into a ``Graph``, one operator at a time in execution order.
///
/// Tensors are declared in the graph when first used, under their TFLite names (made unique with
/// `#index` when needed); constants (weights, biases) carry their data, transformed where accsim's
/// layout differs. The per-operator conversions live in the `TFLiteGraphBuilder+…` extensions.
struct TFLiteGraphBuilder {
    let model: TFLiteModel
    let kernels: TFLiteImporter.Options.Kernels
    let file: String?

    var tensors: [TensorInfo] = []
    var constants: [String: ConstantData] = [:]
    var nodes: [Node] = []
    /// Positions LiteRT's optimized kernels round differently from the imported graph.
    var inexact: [String] = []
    /// Graph names of declared TFLite tensors (constants keyed with their layout transform).
    private var declared: [String: String] = [:]
    private var usedNames: Set<String> = []

    init(model: TFLiteModel, kernels: TFLiteImporter.Options.Kernels, file: String?) {
        self.model = model
        self.kernels = kernels
        self.file = file
    }

    var subgraph: TFLiteSubGraph { model.subgraph }

    /// Converts every operator and assembles the graph.
    mutating func build() throws(ModelError) -> Graph {
        var inputs: [String] = []
        for (position, raw) in subgraph.inputs.enumerated() {
            let tensor = try graphTensor(raw, role: "subgraphs[0].inputs[\(position)]")
            if hasData(tensor) {
                throw ModelError(
                    file: file, field: "subgraphs[0].inputs[\(position)]", "graph input \(tensor.label) is a constant")
            }
            inputs.append(try declareActivation(tensor, context: nil))
        }
        for op in subgraph.operators {
            try convert(op)
        }
        var outputs: [String] = []
        for (position, raw) in subgraph.outputs.enumerated() {
            let tensor = try graphTensor(raw, role: "subgraphs[0].outputs[\(position)]")
            guard let name = declared[key(tensor.index)] else {
                throw ModelError(
                    file: file, field: "subgraphs[0].outputs[\(position)]",
                    "graph output \(tensor.label) is never produced")
            }
            outputs.append(name)
        }
        var metadata: [String: String] = [
            "semantics": kernels == .optimized ? "tflite" : "tflite_reference",
            "producer": "accsim TFLiteImporter (LiteRT \(kernels.rawValue) kernels)",
            "source_model": file ?? "(in memory)",
        ]
        if let description = model.description, !description.isEmpty {
            metadata["tflite_description"] = description
        }
        if !inexact.isEmpty {
            metadata["tflite_inexact"] = inexact.joined(separator: "; ")
        }
        // Float inputs as LiteRT's QUANTIZE takes them: float32 x / scale, rounded half away from
        // zero (std::round), + zero point, clamped. TFLite is NHWC already: no layout key.
        var framed = tensors
        for index in framed.indices where inputs.contains(framed[index].name) {
            if let q = framed[index].quantization, q.scales.count == 1, q.scales[0] > 0 {
                framed[index].floatInput = FloatInputQuantization(
                    operation: .divide, factor: q.scales[0], rounding: .halfAway)
            }
        }
        return Graph(
            name: graphName, tensors: framed, constants: constants, nodes: nodes,
            inputs: inputs, outputs: outputs, metadata: metadata)
    }

    private var graphName: String {
        if let file {
            let base = file.split(separator: "/").last.map(String.init) ?? file
            return base.hasSuffix(".tflite") ? String(base.dropLast(7)) : base
        }
        if let name = subgraph.name, !name.isEmpty { return name }
        return "tflite_model"
    }

    // MARK: Tensors

    /// The subgraph tensor with index `raw`, checked against the tensor list.
    func graphTensor(_ raw: Int32, role: String) throws(ModelError) -> TFLiteTensor {
        guard raw >= 0, Int(raw) < subgraph.tensors.count else {
            throw ModelError(
                file: file, field: role,
                "tensor index \(raw) is outside the subgraph's \(subgraph.tensors.count) tensors")
        }
        return subgraph.tensors[Int(raw)]
    }

    /// Whether `tensor` has constant data.
    func hasData(_ tensor: TFLiteTensor) -> Bool {
        Int(tensor.buffer) < model.buffers.count && !model.buffers[Int(tensor.buffer)].data.isEmpty
    }

    /// The constant data of `tensor`, checked against its shape and element size.
    func data(_ tensor: TFLiteTensor, elementSize: Int, _ context: OperatorContext) throws(ModelError) -> ArraySlice<
        UInt8
    > {
        guard Int(tensor.buffer) < model.buffers.count else {
            throw context.error(
                "\(tensor.label) refers to buffer \(tensor.buffer), but the model has \(model.buffers.count) buffers")
        }
        let range = model.buffers[Int(tensor.buffer)].data
        guard !range.isEmpty else { throw context.error("\(tensor.label) must be a constant but has no data") }
        let count = try elementCount(tensor, context)
        guard range.count == count * elementSize else {
            throw context.error(
                "\(tensor.label) of shape \(tensor.shape) needs \(count * elementSize) bytes of data but its buffer \(tensor.buffer) holds \(range.count)"
            )
        }
        return model.file.bytes[range]
    }

    /// The element count of `tensor`'s shape (every extent positive, rank at least 1).
    func elementCount(_ tensor: TFLiteTensor, _ context: OperatorContext?) throws(ModelError) -> Int {
        let shape = try intShape(tensor, context)
        return shape.reduce(1, *)
    }

    /// `tensor`'s shape as `[Int]`, checked: rank 1…8, extents 1…2^24, at most 2^31 elements.
    func intShape(_ tensor: TFLiteTensor, _ context: OperatorContext?) throws(ModelError) -> [Int] {
        func fail(_ message: String) -> ModelError {
            context?.error(message) ?? ModelError(file: file, field: tensor.path + ".shape", message)
        }
        guard (1...8).contains(tensor.shape.count) else {
            throw fail("\(tensor.label) has rank \(tensor.shape.count); accsim needs tensors of rank 1 to 8")
        }
        var count = 1
        for extent in tensor.shape {
            guard extent > 0, extent <= 1 << 24 else {
                throw fail("\(tensor.label) has shape \(tensor.shape); extents must lie in 1...2^24")
            }
            count *= Int(extent)
            guard count <= 1 << 31 else { throw fail("\(tensor.label) of shape \(tensor.shape) is too large") }
        }
        return tensor.shape.map(Int.init)
    }

    /// The accsim element type of an int8 or int16 activation tensor (int8 for anything else,
    /// which ``activationQuantization(_:_:)`` rejects).
    func activationType(_ tensor: TFLiteTensor) -> ElementType {
        tensor.tensorType == .int16 ? .int16 : .int8
    }

    /// Per-tensor quantization of an int8 or int16 activation, checked: one finite positive
    /// scale, a zero point in the type's range (0 for int16, as LiteRT's 16x8 kernels require).
    func activationQuantization(_ tensor: TFLiteTensor, _ context: OperatorContext?) throws(ModelError) -> (
        scale: Float, zeroPoint: Int32
    ) {
        func fail(_ message: String) -> ModelError {
            context?.error(message) ?? ModelError(file: file, field: tensor.path, message)
        }
        guard let type = tensor.tensorType, type == .int8 || type == .int16 else {
            let type = TFLiteSchema.TensorType.name(of: tensor.type)
            throw fail(
                "\(tensor.label) is \(type); accsim imports int8 and int16 activations (float and uint8 tensors are not supported)"
            )
        }
        if type == .int16, let context, !Self.int16Operators.contains(context.builtin) {
            throw fail(
                "\(tensor.label) is int16; accsim imports int16 \(Self.int16Operators.map(\.description).sorted().joined(separator: ", ")) but not int16 \(context.builtin)"
            )
        }
        if tensor.isSparse { throw fail("\(tensor.label) is sparse, which is not supported") }
        if tensor.isVariable { throw fail("\(tensor.label) is a variable tensor, which is not supported") }
        guard let q = tensor.quantization, !q.isEmpty else {
            throw fail("\(tensor.label) is int8 without quantization parameters")
        }
        if q.hasDetails { throw fail("\(tensor.label) uses custom quantization details, which are not supported") }
        guard q.scales.count == 1, q.zeroPoints.count == 1 else {
            throw fail(
                "\(tensor.label) has \(q.scales.count) scales and \(q.zeroPoints.count) zero points; activations are quantized per tensor"
            )
        }
        let scale = q.scales[0]
        guard scale.isFinite, scale > 0 else {
            throw fail("\(tensor.label) has scale \(scale); scales must be positive and finite")
        }
        guard (-128...127).contains(q.zeroPoints[0]) else {
            throw fail("\(tensor.label) has zero point \(q.zeroPoints[0]), outside the int8 range")
        }
        if type == .int16 && q.zeroPoints[0] != 0 {
            throw fail("\(tensor.label) is int16 with zero point \(q.zeroPoints[0]); LiteRT's int16 kernels require 0")
        }
        return (scale, Int32(q.zeroPoints[0]))
    }

    /// The graph name of `tensor` if it was declared as an activation (a graph input or the output
    /// of a converted operator).
    func declaredActivation(_ tensor: TFLiteTensor) -> String? {
        declared[key(tensor.index)]
    }

    /// The TFLite operators whose int16x8 kernels accsim imports bit-exactly (docs/import-tflite.md).
    static let int16Operators: Set<TFLiteBuiltinOperator> = [
        .conv2D, .depthwiseConv2D, .fullyConnected, .add, .maxPool2D, .averagePool2D, .reshape, .quantize, .mean,
        .logistic, .tanh, .softmax,
    ]

    /// Declares the int8 or int16 activation `tensor` in the graph (once) and returns its graph name.
    mutating func declareActivation(_ tensor: TFLiteTensor, context: OperatorContext?) throws(ModelError) -> String {
        if let name = declared[key(tensor.index)] { return name }
        let (scale, zeroPoint) = try activationQuantization(tensor, context)
        let shape = try intShape(tensor, context)
        let name = uniqueName(tensor.name.isEmpty ? "tensor\(tensor.index)" : tensor.name, index: tensor.index)
        tensors.append(
            TensorInfo(
                name: name, shape: shape, elementType: activationType(tensor),
                quantization: Quantization(scale: Double(scale), zeroPoint: zeroPoint)))
        declared[key(tensor.index)] = name
        return name
    }

    /// Declares a constant derived from TFLite tensor `index` (`transform` names the layout
    /// change, empty for none) once, and returns its graph name.
    mutating func declareConstant(
        index: Int, transform: String, baseName: String, shape: [Int], data: ConstantData, quantization: Quantization?
    ) -> String {
        let lookup = key(index, transform)
        if let name = declared[lookup] { return name }
        let name = uniqueName(transform.isEmpty ? baseName : baseName + "/" + transform, index: index)
        tensors.append(TensorInfo(name: name, shape: shape, elementType: data.elementType, quantization: quantization))
        constants[name] = data
        declared[lookup] = name
        return name
    }

    /// Declares a tensor the importer introduces (not in the TFLite model) and returns its name.
    mutating func declareIntermediate(
        _ base: String, shape: [Int], type: ElementType = .int8, quantization: Quantization?
    ) -> String {
        let name = uniqueName(base, index: nil)
        tensors.append(TensorInfo(name: name, shape: shape, elementType: type, quantization: quantization))
        return name
    }

    /// Appends a node.
    mutating func addNode(_ name: String, _ operation: Operation, inputs: [String], output: String) {
        nodes.append(Node(name: name, operation: operation, inputs: inputs, outputs: [output]))
    }

    private func key(_ index: Int, _ transform: String = "") -> String {
        transform.isEmpty ? String(index) : "\(index)/\(transform)"
    }

    private mutating func uniqueName(_ base: String, index: Int?) -> String {
        var name = base
        if usedNames.contains(name), let index { name = "\(base)#\(index)" }
        var suffix = 2
        let stem = name
        while usedNames.contains(name) {
            name = "\(stem)#\(suffix)"
            suffix += 1
        }
        usedNames.insert(name)
        return name
    }
}
