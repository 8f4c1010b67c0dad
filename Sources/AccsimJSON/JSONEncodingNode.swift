/// One slot of a value tree under construction: a finished value, or a node a container is still
/// writing into.
enum JSONEncodingSlot {
    case value(JSONValue)
    case node(JSONEncodingNode)

    var finished: JSONValue {
        switch self {
        case .value(let value): value
        case .node(let node): node.finished()
        }
    }
}

/// A value under construction by ``JSONValueEncoder``: containers hold a reference and add
/// members or elements; ``finished()`` turns the tree into a ``JSONValue``.
final class JSONEncodingNode {
    enum Kind {
        case unset, single, array, object
    }

    private(set) var kind: Kind = .unset
    private var single: JSONValue = .null
    private var elements: [JSONEncodingSlot] = []
    private var keys: [String] = []
    private var members: [JSONEncodingSlot] = []
    private var positions: [String: Int] = [:]

    /// Makes this node an object (keeping its members if it already is one).
    func becomeObject() {
        guard kind != .object else { return }
        kind = .object
        elements = []
    }

    /// Makes this node an array (keeping its elements if it already is one).
    func becomeArray() {
        guard kind != .array else { return }
        kind = .array
        keys = []
        members = []
        positions = [:]
    }

    /// Makes this node a single value.
    func set(_ value: JSONValue) {
        kind = .single
        single = value
        elements = []
        keys = []
        members = []
        positions = [:]
    }

    /// Sets member `key` (replacing an earlier value of the same key in place).
    func set(_ slot: JSONEncodingSlot, forKey key: String) {
        if let index = positions[key] {
            members[index] = slot
        } else {
            positions[key] = keys.count
            keys.append(key)
            members.append(slot)
        }
    }

    /// Appends an array element.
    func append(_ slot: JSONEncodingSlot) {
        elements.append(slot)
    }

    /// Number of array elements so far.
    var elementCount: Int { elements.count }

    /// The finished value; a node nothing was written into becomes `{}`.
    func finished() -> JSONValue {
        switch kind {
        case .unset:
            return .object(JSONObject())
        case .single:
            return single
        case .array:
            return .array(elements.map(\.finished))
        case .object:
            var object = JSONObject()
            for index in keys.indices { object.appendUnique(keys[index], members[index].finished) }
            return .object(object)
        }
    }
}
