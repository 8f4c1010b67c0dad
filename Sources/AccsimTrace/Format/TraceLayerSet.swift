import AccsimSuggestions

/// A set of layer (node) indices, as `--trace-layers 0,3-5` (or `conv1,fully_connected`) gives it.
public struct TraceLayerSet: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The indices, sorted and unique.
    public var indices: [Int]

    /// The given indices, sorted and deduplicated.
    public init(_ indices: [Int]) {
        self.indices = Array(Set(indices)).sorted()
    }

    /// Parses a comma-separated list of indices and inclusive ranges, e.g. `0,3-5`.
    public init(parsing text: String) throws(TraceError) {
        try self.init(parsing: text, layers: nil)
    }

    /// Parses a comma-separated list of indices, inclusive ranges, layer names and op names, e.g.
    /// `0,3-5,fc,conv2d` (an op name selects every layer of that op). `layers` gives each layer's
    /// name and op by index; an item naming neither is an error suggesting the closest name.
    public init(parsing text: String, layers: [(name: String, op: String)]?) throws(TraceError) {
        var result: [Int] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = part.trimmingSpaces
            if let range = Self.range(item) {
                result.append(contentsOf: range)
                continue
            }
            guard let layers, !item.isEmpty, !item.allSatisfy({ $0.isNumber || $0 == "-" }) else {
                throw TraceError(.usage, "layer list '\(text)': '\(item)' is not an index or a range like 3-5")
            }
            let name = String(item)
            let matches = layers.indices.filter { layers[$0].name == name || layers[$0].op == name }
            guard !matches.isEmpty else {
                var known = layers.map(\.name)
                for layer in layers where !known.contains(layer.op) { known.append(layer.op) }
                throw TraceError(
                    .usage,
                    "layer list '\(text)': no layer or op '\(name)' in the model"
                        + Suggestion.didYouMean(name, among: known)
                        + " (layers and ops: \(known.joined(separator: ", ")))")
            }
            result += matches
        }
        self.init(result)
    }

    /// `3` or `3-5` as a range of indices, or nil.
    private static func range(_ item: Substring) -> ClosedRange<Int>? {
        let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(bounds.count), let low = Int(bounds[0]), low >= 0,
            let high = bounds.count == 2 ? Int(bounds[1]) : low, high >= low
        else { return nil }
        return low...high
    }

    /// Whether `layer` is in the set.
    public func contains(_ layer: Int) -> Bool {
        var low = 0
        var high = indices.count
        while low < high {
            let mid = (low + high) / 2
            if indices[mid] < layer { low = mid + 1 } else { high = mid }
        }
        return low < indices.count && indices[low] == layer
    }

    /// Compact ranges: `0,3-5`.
    public var description: String {
        var parts: [String] = []
        var index = 0
        while index < indices.count {
            var end = index
            while end + 1 < indices.count && indices[end + 1] == indices[end] + 1 { end += 1 }
            parts.append(end == index ? "\(indices[index])" : "\(indices[index])-\(indices[end])")
            index = end + 1
        }
        return parts.joined(separator: ",")
    }

    public init(from decoder: any Decoder) throws {
        indices = try [Int](from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try indices.encode(to: encoder)
    }
}

extension Substring {
    /// Without leading and trailing spaces.
    var trimmingSpaces: Substring {
        var result = self
        while result.first == " " { result.removeFirst() }
        while result.last == " " { result.removeLast() }
        return result
    }
}
