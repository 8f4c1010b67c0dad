import AccsimJSON

/// The CSV form of result rows: one column per row key, the varied keys as `values.KEY`; a key a
/// row lacks is an empty field.
public enum SweepCSV {
    /// The columns before the varied keys.
    public static let leadingColumns = ["schema_version", "id", "index", "model", "model_file", "model_hash"]
    /// The columns after the varied keys (`error` last: it is free text).
    public static let trailingColumns =
        ["status", "config_hash", "setup_hash"] + SweepRow.Metrics.keys
        + ["data_key", "output_crc32", "samples", "correct", "top1", "error"]

    /// The header for a sweep varying `keys`.
    public static func header(keys: [String]) -> [String] {
        leadingColumns + keys.map { "values." + $0 } + trailingColumns
    }

    /// The header as a line, with its newline.
    public static func headerLine(keys: [String]) -> [UInt8] {
        headerLine(columns: header(keys: keys))
    }

    /// A header of `columns` as a line, with its newline.
    public static func headerLine(columns: [String]) -> [UInt8] {
        Array((columns.map(quote).joined(separator: ",") + "\n").utf8)
    }

    /// `row` as a CSV line under `header`, with its newline.
    public static func line(_ row: SweepRow, header: [String]) -> [UInt8] {
        let object = row.jsonObject()
        let values = object["values"]?.objectValue ?? JSONObject()
        let fields = header.map { column -> String in
            let value = column.hasPrefix("values.") ? values[String(column.dropFirst(7))] : object[column]
            return value.map(text) ?? ""
        }
        return Array((fields.map(quote).joined(separator: ",") + "\n").utf8)
    }

    /// A value as a CSV field's text: strings as they are, anything else as compact JSON.
    static func text(_ value: JSONValue) -> String {
        if case .string(let string) = value { return string }
        return SweepValueIdentity.text(value)
    }

    /// `field` quoted when it holds a comma, a quote, a line break or edge spaces.
    static func quote(_ field: String) -> String {
        let needsQuotes =
            field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            || field.hasPrefix(" ") || field.hasSuffix(" ")
        guard needsQuotes else { return field }
        return "\"" + field.replacingAll("\"", with: "\"\"") + "\""
    }

    /// The fields of one CSV line (without its newline); nil when a quoted field is unterminated.
    static func fields(of line: String) -> [String]? {
        var fields: [String] = []
        var current = ""
        var inQuotes = false
        var afterQuote = false
        for character in line {
            if inQuotes {
                if character == "\"" {
                    inQuotes = false
                    afterQuote = true
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                if afterQuote { current.append("\"") }
                inQuotes = true
                afterQuote = false
            } else if character == "," {
                fields.append(current)
                current = ""
                afterQuote = false
            } else {
                current.append(character)
                afterQuote = false
            }
        }
        guard !inQuotes else { return nil }
        fields.append(current)
        return fields
    }
}

extension String {
    /// The string with every occurrence of `target` replaced by `replacement`.
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
