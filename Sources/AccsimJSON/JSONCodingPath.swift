/// Renders coding paths as the key paths users see in error messages:
/// `nodes[3].attributes.requantizer.zero_point`, with `metadata["odd key"]` for keys that are not
/// plain identifiers.
public enum JSONCodingPath {
    /// The rendered form of `path`; empty for the root.
    public static func render(_ path: [any CodingKey]) -> String {
        var result = ""
        for key in path { append(key, to: &result) }
        return result
    }

    /// `base` extended by one key.
    public static func appending(_ key: any CodingKey, to base: String) -> String {
        var result = base
        append(key, to: &result)
        return result
    }

    /// `base` extended by an object member name.
    public static func appending(member name: String, to base: String) -> String {
        appending(JSONKey(name), to: base)
    }

    /// Whether `key` stands for an array index (accsim's index keys and the standard library's
    /// both spell their string value `Index N`).
    static func isIndex(_ key: any CodingKey) -> Int? {
        guard let index = key.intValue, key.stringValue == "Index \(index)" else { return nil }
        return index
    }

    private static func append(_ key: any CodingKey, to result: inout String) {
        if let index = isIndex(key) {
            result += "[\(index)]"
            return
        }
        let name = key.stringValue
        if isPlain(name) {
            if !result.isEmpty { result += "." }
            result += name
        } else {
            var escaped = ""
            for scalar in name.unicodeScalars {
                switch scalar {
                case "\"": escaped += "\\\""
                case "\\": escaped += "\\\\"
                default: escaped.unicodeScalars.append(scalar)
                }
            }
            result += "[\"\(escaped)\"]"
        }
    }

    private static func isPlain(_ name: String) -> Bool {
        guard !name.isEmpty else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x5F || byte == 0x2D
        }
    }
}

/// A coding key for an array index (`Index N`, like the standard library's) or any object key.
struct JSONKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(_ string: String) {
        stringValue = string
        intValue = nil
    }

    init(index: Int) {
        stringValue = "Index \(index)"
        intValue = index
    }

    init?(stringValue: String) { self.init(stringValue) }

    init?(intValue: Int) { self.init(index: intValue) }
}
