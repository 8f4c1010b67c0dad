import AccsimModel

/// The operator being converted: where it is in the file, what it is, and how its errors read
/// (`subgraphs[0].operators[3]: CONV_2D: tensor 5 'x' is FLOAT32; …`).
struct OperatorContext: Sendable {
    let op: TFLiteOperator
    let builtin: TFLiteBuiltinOperator
    let file: String?

    /// The graph name of the node converted from this operator (`op3_conv_2d`); nodes the importer
    /// adds around it extend it (`op3_conv_2d/flatten`).
    var nodeName: String { "op\(op.index)_\(builtin.description.lowercased())" }

    /// An error about this operator.
    func error(_ message: String) -> ModelError {
        ModelError(file: file, field: op.path, "\(builtin): \(message)")
    }
}
