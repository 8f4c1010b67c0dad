/// Which records a tool shows: by kind, by layer and by cycle.
public struct TraceFilter: Sendable, Hashable {
    /// Kinds to keep (nil: all).
    public var kinds: Set<TraceRecord.Kind>?
    /// Layers to keep (nil: all).
    public var layers: TraceLayerSet?
    /// Cycles to keep, by each record's first cycle.
    public var window: CycleWindow

    /// A filter as given; by default everything passes.
    public init(kinds: Set<TraceRecord.Kind>? = nil, layers: TraceLayerSet? = nil, window: CycleWindow = .all) {
        self.kinds = kinds
        self.layers = layers
        self.window = window
    }

    /// Parses a comma-separated list of kinds as the dump names them (`edge,sram`).
    public static func kinds(parsing text: String) throws(TraceError) -> Set<TraceRecord.Kind> {
        var kinds: Set<TraceRecord.Kind> = []
        for part in text.split(separator: ",") {
            guard let kind = TraceRecord.Kind(rawValue: String(part.trimmingSpaces)) else {
                let known = TraceRecord.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                throw TraceError(.usage, "unknown record kind '\(part)'; known kinds: \(known)")
            }
            kinds.insert(kind)
        }
        return kinds
    }

    /// Whether `record` passes.
    public func accepts(_ record: TraceRecord) -> Bool {
        if let kinds, !kinds.contains(record.kind) { return false }
        if let layers, !layers.contains(record.layer) { return false }
        return window.contains(record.cycle)
    }
}
