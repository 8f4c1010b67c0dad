/// The JSON manifest of a `.q` file (docs/model-format.md, "Manifest"): everything but the
/// constant bytes. Encodes with keys in the documented order and `metadata` keys sorted, so equal
/// manifests give identical bytes.
public struct QModelManifest: Sendable, Hashable, Codable {
    /// Equal to the header's `format_version`.
    public var version: Int
    /// The model's name.
    public var name: String
    /// Free-form string metadata (`producer`, `source_model`, `semantics`, `dataset`, …).
    /// Optional in the file (absent means empty).
    public var metadata: [String: String]
    /// Names of the graph inputs.
    public var inputs: [String]
    /// Names of the graph outputs.
    public var outputs: [String]
    /// Every tensor, in graph order.
    public var tensors: [TensorInfo]
    /// Where each constant tensor's bytes are. Optional in the file (absent means none).
    public var constants: [QModelConstantEntry]
    /// The nodes in execution order.
    public var nodes: [Node]

    public init(
        version: Int = Int(QModelFormat.version), name: String, metadata: [String: String], inputs: [String],
        outputs: [String], tensors: [TensorInfo], constants: [QModelConstantEntry], nodes: [Node]
    ) {
        self.version = version
        self.name = name
        self.metadata = metadata
        self.inputs = inputs
        self.outputs = outputs
        self.tensors = tensors
        self.constants = constants
        self.nodes = nodes
    }

    enum CodingKeys: String, CodingKey {
        case version, name, metadata, inputs, outputs, tensors, constants, nodes
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(Int.self, forKey: .version)
        name = try container.decode(String.self, forKey: .name)
        metadata = try container.decodeIfPresent([String: String].self, forKey: .metadata) ?? [:]
        inputs = try container.decode([String].self, forKey: .inputs)
        outputs = try container.decode([String].self, forKey: .outputs)
        tensors = try container.decode([TensorInfo].self, forKey: .tensors)
        constants = try container.decodeIfPresent([QModelConstantEntry].self, forKey: .constants) ?? []
        nodes = try container.decode([Node].self, forKey: .nodes)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(name, forKey: .name)
        var metadataContainer = container.nestedContainer(keyedBy: MetadataKey.self, forKey: .metadata)
        for key in metadata.keys.sorted() {
            try metadataContainer.encode(metadata[key] ?? "", forKey: MetadataKey(stringValue: key))
        }
        try container.encode(inputs, forKey: .inputs)
        try container.encode(outputs, forKey: .outputs)
        try container.encode(tensors, forKey: .tensors)
        try container.encode(constants, forKey: .constants)
        try container.encode(nodes, forKey: .nodes)
    }

    /// A metadata key: any string.
    private struct MetadataKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// Where one constant tensor's bytes lie in a `.q` file.
public struct QModelConstantEntry: Sendable, Hashable, Codable {
    /// The tensor's name.
    public var tensor: String
    /// Absolute byte offset of the blob, a multiple of 64.
    public var offset: Int
    /// Length of the blob: element count × element width.
    public var length: Int
    /// CRC-32 of the blob.
    public var crc32: UInt32

    public init(tensor: String, offset: Int, length: Int, crc32: UInt32) {
        self.tensor = tensor
        self.offset = offset
        self.length = length
        self.crc32 = crc32
    }
}
