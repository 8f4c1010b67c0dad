import AccsimJSON

/// One dimension of the grid: one config key (`--vary`) or several keys varied together
/// (`--zip`), with the value of every key at each position.
public struct SweepDimension: Sendable, Hashable {
    /// The config key paths (`array.rows`), at least one.
    public var keys: [String]
    /// `values[i][j]` is the value of `keys[j]` at position `i`.
    public var values: [[JSONValue]]
    /// Where the dimension came from (`--vary 'array.rows=8,16'`, `axes[1]`), for error messages.
    public var source: String

    /// A dimension as given; see ``parseVary(_:)`` and ``parseZip(_:)`` for the argument forms.
    public init(keys: [String], values: [[JSONValue]], source: String) {
        self.keys = keys
        self.values = values
        self.source = source
    }

    /// Number of positions.
    public var count: Int { values.count }

    /// Parses `--vary key.path=VALUES` (``SweepValueList``).
    public static func parseVary(_ argument: String) throws(SweepError) -> SweepDimension {
        let source = "--vary '\(argument)'"
        let (key, values) = try parseAssignment(argument, source: source)
        return try checked(SweepDimension(keys: [key], values: values.map { [$0] }, source: source))
    }

    /// Parses `--zip 'key=VALUES key=VALUES …'`: several keys (separated by spaces or `;`) whose
    /// lists have the same length and advance together.
    public static func parseZip(_ argument: String) throws(SweepError) -> SweepDimension {
        let source = "--zip '\(argument)'"
        let pieces = try SweepTextSplitter.split(argument, separators: [" ", "\t", ";"], argument: source).filter {
            !$0.isEmpty
        }
        guard !pieces.isEmpty else { throw SweepError("\(source): expected 'key=VALUES key=VALUES …'") }
        var lists: [(String, [JSONValue])] = []
        for piece in pieces {
            lists.append(try parseAssignment(piece, source: source))
        }
        return try zipped(lists, source: source)
    }

    /// A dimension from keys and their value lists, which must have equal lengths.
    public static func zipped(_ lists: [(key: String, values: [JSONValue])], source: String) throws(SweepError)
        -> SweepDimension
    {
        guard let length = lists.first?.values.count else { throw SweepError("\(source): no keys") }
        for list in lists where list.values.count != length {
            let counts = lists.map { "\($0.key): \($0.values.count)" }.joined(separator: ", ")
            throw SweepError("\(source): zipped keys need the same number of values (\(counts))")
        }
        let rows = (0..<length).map { index in lists.map { $0.values[index] } }
        return try checked(SweepDimension(keys: lists.map(\.key), values: rows, source: source))
    }

    /// `key=VALUES` split and parsed.
    static func parseAssignment(_ text: String, source: String) throws(SweepError) -> (String, [JSONValue]) {
        guard let equals = text.firstIndex(of: "=") else {
            throw SweepError("\(source): expected key.path=VALUES, found '\(text)'")
        }
        let key = String(text[..<equals]).trimmingSpaces()
        try checkKeyPath(key, source: source)
        let values = try SweepValueList.parse(String(text[text.index(after: equals)...]), argument: source)
        return (key, values)
    }

    /// A key path is dot-separated non-empty names.
    static func checkKeyPath(_ key: String, source: String) throws(SweepError) {
        let parts = key.split(separator: ".", omittingEmptySubsequences: false)
        if key.isEmpty || parts.contains(where: \.isEmpty) {
            throw SweepError("\(source): '\(key)' is not a key path like array.rows")
        }
    }

    /// Rejects repeated keys and repeated positions (two positions with equal values would be the
    /// same configuration twice).
    static func checked(_ dimension: SweepDimension) throws(SweepError) -> SweepDimension {
        if let repeated = firstRepeat(dimension.keys) {
            throw SweepError("\(dimension.source): key '\(repeated)' appears twice")
        }
        var seen = Set<[SweepValueIdentity]>()
        for row in dimension.values where !seen.insert(row.map(SweepValueIdentity.init)).inserted {
            let text = row.map(SweepValueIdentity.text).joined(separator: ", ")
            throw SweepError("\(dimension.source): value \(text) is listed twice")
        }
        return dimension
    }

    private static func firstRepeat(_ keys: [String]) -> String? {
        var seen = Set<String>()
        return keys.first { !seen.insert($0).inserted }
    }
}

/// A value compared as the config sees it: `8` and `8.0` are the same number.
struct SweepValueIdentity: Hashable {
    var value: JSONValue

    init(_ value: JSONValue) {
        if case .double(let number) = value, number.rounded() == number, abs(number) < 9.0e15 {
            self.value = .int(Int64(number))
        } else {
            self.value = value
        }
    }

    /// Compact JSON text of `value`.
    static func text(_ value: JSONValue) -> String {
        String(decoding: (try? JSONWriter(style: .compact).serialize(value)) ?? [], as: UTF8.self)
    }
}
