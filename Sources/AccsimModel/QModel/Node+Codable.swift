import AccsimArithmetic
import AccsimSuggestions

/// A node in the manifest: `{ "name", "op", "inputs", "outputs", "attributes" }` with `op` the
/// operation's ``Operation/Kind`` name and `attributes` its parameter struct (for `requantize`,
/// `{ "requantizer": {…} }`).
extension Node: Codable {
    enum CodingKeys: String, CodingKey {
        case name, op, inputs, outputs, attributes
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decode(String.self, forKey: .name)
        let op = try container.decode(String.self, forKey: .op)
        guard let kind = Operation.Kind(rawValue: op) else {
            let known = Operation.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw DecodingError.dataCorruptedError(
                forKey: .op, in: container,
                debugDescription: "unknown op '\(op)'"
                    + "\(Suggestion.didYouMean(op, among: Operation.Kind.allCases.map(\.rawValue))) (known ops: \(known))"
            )
        }
        let inputs = try container.decode([String].self, forKey: .inputs)
        let outputs = try container.decode([String].self, forKey: .outputs)
        let operation = try Operation.decodeAttributes(of: kind, from: container, forKey: .attributes)
        self.init(name: name, operation: operation, inputs: inputs, outputs: outputs)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(operation.kind.rawValue, forKey: .op)
        try container.encode(inputs, forKey: .inputs)
        try container.encode(outputs, forKey: .outputs)
        try operation.encodeAttributes(to: &container, forKey: .attributes)
    }
}
