import AccsimJSON

/// One varied key's value at a point.
public struct SweepAssignment: Sendable, Hashable {
    /// The config key path.
    public var key: String
    /// Its value.
    public var value: JSONValue

    /// An assignment as given.
    public init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }

    /// The `--set`-style override `key=value` (the value as compact JSON).
    public var override: String {
        "\(key)=\(SweepValueIdentity.text(value))"
    }
}

/// One point of the grid: a model and a value for every varied key.
public struct SweepPoint: Sendable, Hashable {
    /// Position in grid order.
    public var index: Int
    /// Which model (index into the sweep's models).
    public var modelIndex: Int
    /// The varied keys' values, in dimension order.
    public var assignments: [SweepAssignment]

    /// A point as given.
    public init(index: Int, modelIndex: Int, assignments: [SweepAssignment]) {
        self.index = index
        self.modelIndex = modelIndex
        self.assignments = assignments
    }

    /// The overrides that turn the base config into this point's config.
    public var overrides: [String] { assignments.map(\.override) }
}
