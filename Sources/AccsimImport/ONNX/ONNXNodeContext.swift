import AccsimModel

/// The ONNX node being converted: how its errors read and how its attributes are read.
/// Errors name the node (its name, or `OpType#index`), the field path (`graph.node[3]`) and the
/// operator: `graph.node[3]: node 'conv1': Conv: …`.
struct ONNXNodeContext: Sendable {
    let node: ONNXNode
    let file: String?

    /// An error about this node.
    func error(_ message: String) -> ModelError {
        ModelError(file: file, node: node.label, field: node.path, "\(node.opType): \(message)")
    }

    /// The name of input `slot`, nil when absent or empty (an omitted optional input).
    func input(_ slot: Int) -> String? {
        slot < node.inputs.count && !node.inputs[slot].isEmpty ? node.inputs[slot] : nil
    }

    /// The name of output 0.
    func output() throws(ModelError) -> String {
        guard let name = node.outputs.first, !name.isEmpty else { throw error("has no output") }
        if node.outputs.count > 1, node.outputs.dropFirst().contains(where: { !$0.isEmpty }) {
            throw error("has \(node.outputs.count) outputs; only the first is supported")
        }
        return name
    }

    /// An integer attribute, `fallback` when absent.
    func int(_ name: String, _ fallback: Int) throws(ModelError) -> Int {
        guard let attribute = node.attribute(name) else { return fallback }
        guard let value = attribute.i, let narrow = Int(exactly: value), abs(narrow) <= 1 << 30 else {
            throw error("attribute '\(name)' must be an integer of reasonable size")
        }
        return narrow
    }

    /// An integer-list attribute, nil when absent.
    func ints(_ name: String) throws(ModelError) -> [Int]? {
        guard let attribute = node.attribute(name) else { return nil }
        var result: [Int] = []
        for value in attribute.ints {
            guard let narrow = Int(exactly: value), abs(narrow) <= 1 << 30 else {
                throw error("attribute '\(name)' holds \(value), which is out of range")
            }
            result.append(narrow)
        }
        return result
    }

    /// A float attribute, `fallback` when absent.
    func float(_ name: String, _ fallback: Float) throws(ModelError) -> Float {
        guard let attribute = node.attribute(name) else { return fallback }
        guard let value = attribute.f else { throw error("attribute '\(name)' must be a float") }
        return value
    }

    /// A string attribute, `fallback` when absent.
    func string(_ name: String, _ fallback: String) throws(ModelError) -> String {
        guard let attribute = node.attribute(name) else { return fallback }
        guard let bytes = attribute.s, let text = String(validating: bytes, as: UTF8.self) else {
            throw error("attribute '\(name)' must be a UTF-8 string")
        }
        return text
    }
}
