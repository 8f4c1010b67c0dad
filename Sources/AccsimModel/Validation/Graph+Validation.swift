import AccsimArithmetic

extension Graph {
    /// Checks every invariant the engine relies on and throws the first problem found, naming the
    /// node and the field: unique names, legal shapes and types, consistent quantization, constants
    /// matching their tensors, every tensor produced exactly once, nodes in an order where every
    /// input exists before it is read (which rules out cycles), output shapes equal to the shapes
    /// implied by the operation, and every operation's parameters in range.
    public func validate() throws(ModelError) {
        var infos: [String: TensorInfo] = [:]
        for (index, tensor) in tensors.enumerated() {
            let field = "tensors[\(index)]"
            if tensor.name.isEmpty { throw ModelError(field: field + ".name", "tensor name is empty") }
            if infos[tensor.name] != nil {
                throw ModelError(field: field + ".name", "tensor '\(tensor.name)' is declared twice")
            }
            try Self.validateTensor(tensor, field: field)
            infos[tensor.name] = tensor
        }
        for name in constants.keys.sorted() {
            guard let info = infos[name] else {
                throw ModelError(field: "constants", "constant data for undeclared tensor '\(name)'")
            }
            let data = constants[name]!
            if data.elementType != info.elementType {
                throw ModelError(
                    field: "constants.\(name)",
                    "data is \(data.elementType.rawValue) but tensor '\(name)' is \(info.elementType.rawValue)")
            }
            if data.bytes.count != info.byteCount {
                throw ModelError(
                    field: "constants.\(name)",
                    "holds \(data.bytes.count) bytes but tensor '\(name)' of shape \(info.shape) needs \(info.byteCount)"
                )
            }
            if info.elementType == .int4, info.elementCount % 2 == 1, let last = data.bytes.last, last >> 4 != 0 {
                throw ModelError(
                    field: "constants.\(name)",
                    "int4 tensor '\(name)' has \(info.elementCount) elements; the unused high nibble of its last byte must be 0"
                )
            }
        }
        if inputs.isEmpty { throw ModelError(field: "inputs", "graph has no inputs") }
        if outputs.isEmpty { throw ModelError(field: "outputs", "graph has no outputs") }
        var available = Set<String>(constants.keys)
        for (index, name) in inputs.enumerated() {
            guard infos[name] != nil else {
                throw ModelError(field: "inputs[\(index)]", "graph input '\(name)' is not a declared tensor")
            }
            if constants[name] != nil {
                throw ModelError(field: "inputs[\(index)]", "graph input '\(name)' is a constant")
            }
            if !available.insert(name).inserted {
                throw ModelError(field: "inputs[\(index)]", "graph input '\(name)' is listed twice")
            }
        }
        for (index, tensor) in tensors.enumerated() {
            try Self.validateFrameworkIO(
                tensor, field: "tensors[\(index)]", isInput: inputs.contains(tensor.name),
                isOutput: outputs.contains(tensor.name))
        }

        var producer: [String: Int] = [:]
        var nodeNames = Set<String>()
        for (index, node) in nodes.enumerated() {
            if node.name.isEmpty { throw ModelError(field: "nodes[\(index)].name", "node name is empty") }
            if !nodeNames.insert(node.name).inserted {
                throw ModelError(node: node.name, field: "name", "node name is used twice")
            }
            for (slot, output) in node.outputs.enumerated() {
                if let other = producer[output] {
                    throw ModelError(
                        node: node.name, field: "outputs[\(slot)]",
                        "tensor '\(output)' is already produced by node '\(nodes[other].name)'")
                }
                if constants[output] != nil || inputs.contains(output) {
                    throw ModelError(
                        node: node.name, field: "outputs[\(slot)]",
                        "tensor '\(output)' is a graph input or constant and cannot be produced by a node")
                }
                producer[output] = index
            }
        }

        for (index, node) in nodes.enumerated() {
            for (slot, input) in node.inputs.enumerated() where !available.contains(input) {
                guard infos[input] != nil else {
                    throw ModelError(node: node.name, field: "inputs[\(slot)]", "tensor '\(input)' is not declared")
                }
                if let later = producer[input] {
                    if later == index {
                        throw ModelError(
                            node: node.name, field: "inputs[\(slot)]", "node reads its own output '\(input)' (a cycle)")
                    }
                    let cycle = cycleThrough(nodeIndex: index, producer: producer)
                    if let cycle {
                        throw ModelError(
                            node: node.name, field: "inputs[\(slot)]",
                            "the graph has a cycle: \(cycle.joined(separator: " -> "))")
                    }
                    throw ModelError(
                        node: node.name, field: "inputs[\(slot)]",
                        "tensor '\(input)' is produced by node '\(nodes[later].name)', which comes later; nodes must be listed in execution order"
                    )
                }
                throw ModelError(
                    node: node.name, field: "inputs[\(slot)]",
                    "tensor '\(input)' is neither a graph input, a constant, nor produced by any node")
            }
            if node.outputs.count != 1 {
                throw ModelError(
                    node: node.name, field: "outputs",
                    "has \(node.outputs.count) outputs; every operation has exactly one")
            }
            guard let output = infos[node.outputs[0]] else {
                throw ModelError(node: node.name, field: "outputs[0]", "tensor '\(node.outputs[0])' is not declared")
            }
            let operands = node.inputs.map { infos[$0]! }
            do {
                try NodeChecker(node: node, inputs: operands, output: output, constants: constants).check()
            } catch let error {
                var located = error
                located.node = node.name
                throw located
            }
            available.insert(output.name)
        }
        for (index, name) in outputs.enumerated() where !available.contains(name) {
            throw ModelError(field: "outputs[\(index)]", "graph output '\(name)' is never produced")
        }
    }

    /// A cycle of node names through node `nodeIndex`, if there is one.
    private func cycleThrough(nodeIndex: Int, producer: [String: Int]) -> [String]? {
        // Depth-first search backwards along "reads a tensor produced by" edges.
        var path: [Int] = []
        var visited = Set<Int>()
        func search(_ current: Int) -> Bool {
            path.append(current)
            for input in nodes[current].inputs {
                guard let next = producer[input] else { continue }
                if next == nodeIndex { return true }
                if visited.insert(next).inserted, search(next) { return true }
            }
            path.removeLast()
            return false
        }
        guard search(nodeIndex) else { return nil }
        // path[k] reads from path[k+1] and the last one reads from nodeIndex: reverse for data flow.
        return ([nodeIndex] + path.reversed()).map { nodes[$0].name }
    }

    private static func validateTensor(_ tensor: TensorInfo, field: String) throws(ModelError) {
        if tensor.shape.isEmpty {
            throw ModelError(field: field + ".shape", "tensor '\(tensor.name)' has an empty shape")
        }
        for (axis, extent) in tensor.shape.enumerated() where extent <= 0 {
            throw ModelError(
                field: field + ".shape[\(axis)]",
                "tensor '\(tensor.name)' has extent \(extent); extents must be positive")
        }
        var elements = 1
        for extent in tensor.shape {
            let (product, overflow) = elements.multipliedReportingOverflow(by: extent)
            if overflow || product > 1 << 40 {
                throw ModelError(
                    field: field + ".shape", "tensor '\(tensor.name)' of shape \(tensor.shape) is too large")
            }
            elements = product
        }
        guard let quantization = tensor.quantization else { return }
        let q = field + ".quantization"
        if quantization.scales.isEmpty {
            throw ModelError(field: q + ".scales", "tensor '\(tensor.name)' has no scales")
        }
        if quantization.scales.count != quantization.zeroPoints.count {
            throw ModelError(
                field: q + ".zero_points",
                "tensor '\(tensor.name)' has \(quantization.scales.count) scales but \(quantization.zeroPoints.count) zero points"
            )
        }
        for (i, scale) in quantization.scales.enumerated() where !(scale.isFinite && scale > 0) {
            throw ModelError(
                field: q + ".scales[\(i)]",
                "tensor '\(tensor.name)' has scale \(scale); scales must be positive and finite")
        }
        for (i, zp) in quantization.zeroPoints.enumerated() where !tensor.elementType.contains(Int64(zp)) {
            throw ModelError(
                field: q + ".zero_points[\(i)]",
                "tensor '\(tensor.name)' has zero point \(zp), outside the \(tensor.elementType.rawValue) range")
        }
        if quantization.scales.count > 1 {
            guard let axis = quantization.axis, tensor.shape.indices.contains(axis) else {
                throw ModelError(
                    field: q + ".axis", "tensor '\(tensor.name)' has per-channel quantization but no valid axis")
            }
            if tensor.shape[axis] != quantization.scales.count {
                throw ModelError(
                    field: q + ".scales",
                    "tensor '\(tensor.name)' has \(quantization.scales.count) scales but extent \(tensor.shape[axis]) on axis \(axis)"
                )
            }
        }
    }
}

extension Graph {
    /// The version 2 keys of a tensor: `layout` only on rank-4 graph inputs and outputs,
    /// `float_input` only on graph inputs, with a positive finite factor and a rounding a float
    /// input can use.
    static func validateFrameworkIO(_ tensor: TensorInfo, field: String, isInput: Bool, isOutput: Bool)
        throws(ModelError)
    {
        if let layout = tensor.layout {
            if !(isInput || isOutput) {
                throw ModelError(
                    field: field + ".layout",
                    "tensor '\(tensor.name)' is not a graph input or output; only those have a layout")
            }
            if tensor.shape.count != 4 {
                throw ModelError(
                    field: field + ".layout",
                    "layout '\(layout.rawValue)' needs a rank-4 tensor; '\(tensor.name)' has shape \(tensor.shape)")
            }
        }
        if let floatInput = tensor.floatInput {
            if !isInput {
                throw ModelError(field: field + ".float_input", "tensor '\(tensor.name)' is not a graph input")
            }
            if !(floatInput.factor > 0 && floatInput.factor.isFinite && Float(floatInput.factor).isFinite) {
                throw ModelError(
                    field: field + ".float_input.factor", "\(floatInput.factor) is not a positive finite float32")
            }
            if !FloatInputQuantization.roundingModes.contains(floatInput.rounding) {
                let allowed = FloatInputQuantization.roundingModes.map(\.rawValue).joined(separator: ", ")
                throw ModelError(
                    field: field + ".float_input.rounding", "'\(floatInput.rounding.rawValue)' is not one of \(allowed)"
                )
            }
        }
    }
}
