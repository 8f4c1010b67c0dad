/// A set of layer (node) indices, as `--trace-layers 0,3-5` gives it.
public struct TraceLayerSet: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The indices, sorted and unique.
    public var indices: [Int]

    /// The given indices, sorted and deduplicated.
    public init(_ indices: [Int]) {
        self.indices = Array(Set(indices)).sorted()
    }

    /// Parses a comma-separated list of indices and inclusive ranges, e.g. `0,3-5`.
    public init(parsing text: String) throws(TraceError) {
        var result: [Int] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = part.trimmingSpaces
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count), let low = Int(bounds[0]), low >= 0,
                let high = bounds.count == 2 ? Int(bounds[1]) : low, high >= low
            else {
                throw TraceError(.usage, "layer list '\(text)': '\(item)' is not an index or a range like 3-5")
            }
            result.append(contentsOf: low...high)
        }
        self.init(result)
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
