/// The members of a JSON object: unique string keys in a fixed order, each with a value.
///
/// Equality and hashing take the order into account: `{"a":1,"b":2}` and `{"b":2,"a":1}` are
/// different values (they serialise differently).
public struct JSONObject: Sendable, Hashable {
    /// The keys, in order.
    public private(set) var keys: [String]
    /// The values, in the order of ``keys``.
    public private(set) var values: [JSONValue]
    /// Position of each key in ``keys``.
    private var positions: [String: Int]

    /// An empty object.
    public init() {
        keys = []
        values = []
        positions = [:]
    }

    /// Number of members.
    public var count: Int { keys.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { keys.isEmpty }

    /// The members in order.
    public var members: [(key: String, value: JSONValue)] {
        Array(zip(keys, values)).map { (key: $0.0, value: $0.1) }
    }

    /// The value of `key`. Setting a new key appends it; setting an existing key replaces its value
    /// in place; setting `nil` removes the member.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let index = positions[key] else { return nil }
            return values[index]
        }
        set {
            if let index = positions[key] {
                if let newValue {
                    values[index] = newValue
                } else {
                    keys.remove(at: index)
                    values.remove(at: index)
                    positions[key] = nil
                    for position in index..<keys.count { positions[keys[position]] = position }
                }
            } else if let newValue {
                positions[key] = keys.count
                keys.append(key)
                values.append(newValue)
            }
        }
    }

    /// Appends a member whose key must not be present yet; returns false (and changes nothing) when
    /// the key is already present.
    @discardableResult
    public mutating func appendUnique(_ key: String, _ value: JSONValue) -> Bool {
        guard positions[key] == nil else { return false }
        positions[key] = keys.count
        keys.append(key)
        values.append(value)
        return true
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.keys == rhs.keys && lhs.values == rhs.values
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(keys)
        hasher.combine(values)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// An object with the literal's members in order; a repeated key keeps its first position and
    /// its last value.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init()
        for (key, value) in elements { self[key] = value }
    }
}
