/// The `Encoder` behind ``JSONWriter``: encodes any `Encodable` into a ``JSONEncodingNode`` tree.
/// Keys keep the order in which the type encodes them; nil optionals encoded with
/// `encodeIfPresent` (what synthesized conformances do) are omitted.
final class JSONValueEncoder: Encoder {
    let node: JSONEncodingNode
    let codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any]

    init(node: JSONEncodingNode, codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: Any]) {
        self.node = node
        self.codingPath = codingPath
        self.userInfo = userInfo
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.becomeObject()
        return KeyedEncodingContainer(
            JSONKeyedEncodingContainer<Key>(encoder: self, node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.becomeArray()
        return JSONUnkeyedEncodingContainer(encoder: self, node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONSingleValueEncodingContainer(encoder: self)
    }

    /// The slot for `value` at `path`: primitives directly, everything else through its
    /// `encode(to:)`.
    func box<T: Encodable>(_ value: T, at path: [any CodingKey]) throws -> JSONEncodingSlot {
        if let primitive = try Self.primitive(value, at: path) { return .value(primitive) }
        let child = JSONEncodingNode()
        try value.encode(to: JSONValueEncoder(node: child, codingPath: path, userInfo: userInfo))
        return .node(child)
    }

    /// The JSON value of a standard-library scalar, nil for any other type.
    static func primitive(_ value: some Encodable, at path: [any CodingKey]) throws(JSONError) -> JSONValue? {
        switch value {
        case let v as JSONValue: return v
        case let v as Bool: return .bool(v)
        case let v as String: return .string(v)
        case let v as Double: return try double(v, at: path)
        case let v as Float: return try float(v, at: path)
        case let v as Int: return .int(Int64(v))
        case let v as Int8: return .int(Int64(v))
        case let v as Int16: return .int(Int64(v))
        case let v as Int32: return .int(Int64(v))
        case let v as Int64: return .int(v)
        case let v as UInt: return try unsigned(UInt64(v), at: path)
        case let v as UInt8: return .int(Int64(v))
        case let v as UInt16: return .int(Int64(v))
        case let v as UInt32: return .int(Int64(v))
        case let v as UInt64: return try unsigned(v, at: path)
        default: return nil
        }
    }

    static func double(_ value: Double, at path: [any CodingKey]) throws(JSONError) -> JSONValue {
        guard value.isFinite else {
            throw JSONError(
                .unencodable, path: JSONCodingPath.render(path),
                "\(value) cannot be written in JSON (only finite numbers can)")
        }
        return .double(value)
    }

    /// A Float as the Double its shortest decimal form denotes (`0.1` rather than
    /// `0.10000000149011612`), which reads back to the same Float.
    static func float(_ value: Float, at path: [any CodingKey]) throws(JSONError) -> JSONValue {
        guard value.isFinite else {
            throw JSONError(
                .unencodable, path: JSONCodingPath.render(path),
                "\(value) cannot be written in JSON (only finite numbers can)")
        }
        return .double(Double(value.description) ?? Double(value))
    }

    static func unsigned(_ value: UInt64, at path: [any CodingKey]) throws(JSONError) -> JSONValue {
        guard let exact = Int64(exactly: value) else {
            throw JSONError(
                .unencodable, path: JSONCodingPath.render(path),
                "\(value) exceeds the largest integer accsim's JSON holds (\(Int64.max))")
        }
        return .int(exact)
    }
}

/// Writes the members of an object node.
struct JSONKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: JSONValueEncoder
    let node: JSONEncodingNode
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws {
        node.set(.value(.null), forKey: key.stringValue)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        node.set(try encoder.box(value, at: codingPath + [key]), forKey: key.stringValue)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let child = JSONEncodingNode()
        child.becomeObject()
        node.set(.node(child), forKey: key.stringValue)
        return KeyedEncodingContainer(
            JSONKeyedEncodingContainer<NestedKey>(encoder: encoder, node: child, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = JSONEncodingNode()
        child.becomeArray()
        node.set(.node(child), forKey: key.stringValue)
        return JSONUnkeyedEncodingContainer(encoder: encoder, node: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        superEncoder(forKey: JSONKey("super"))
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        superEncoder(forKey: key as any CodingKey)
    }

    private func superEncoder(forKey key: any CodingKey) -> any Encoder {
        let child = JSONEncodingNode()
        node.set(.node(child), forKey: key.stringValue)
        return JSONValueEncoder(node: child, codingPath: codingPath + [key], userInfo: encoder.userInfo)
    }
}

/// Appends the elements of an array node.
struct JSONUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let encoder: JSONValueEncoder
    let node: JSONEncodingNode
    let codingPath: [any CodingKey]

    var count: Int { node.elementCount }

    private var nextPath: [any CodingKey] { codingPath + [JSONKey(index: node.elementCount)] }

    mutating func encodeNil() throws {
        node.append(.value(.null))
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        node.append(try encoder.box(value, at: nextPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<
        NestedKey
    > {
        let path = nextPath
        let child = JSONEncodingNode()
        child.becomeObject()
        node.append(.node(child))
        return KeyedEncodingContainer(
            JSONKeyedEncodingContainer<NestedKey>(encoder: encoder, node: child, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = nextPath
        let child = JSONEncodingNode()
        child.becomeArray()
        node.append(.node(child))
        return JSONUnkeyedEncodingContainer(encoder: encoder, node: child, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let path = nextPath
        let child = JSONEncodingNode()
        node.append(.node(child))
        return JSONValueEncoder(node: child, codingPath: path, userInfo: encoder.userInfo)
    }
}

/// Sets the encoder's node to one value.
struct JSONSingleValueEncodingContainer: SingleValueEncodingContainer {
    let encoder: JSONValueEncoder

    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws {
        encoder.node.set(.null)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        switch try encoder.box(value, at: codingPath) {
        case .value(let primitive):
            encoder.node.set(primitive)
        case .node(let child):
            encoder.node.set(child.finished())
        }
    }
}
