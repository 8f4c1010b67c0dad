import AccsimJSON

/// A result row read back from a file (JSONL or CSV), for resume, merge and Pareto: its fields as
/// a JSON object (the varied keys under `values`, as in JSONL) and its original line.
public struct SweepRecord: Sendable, Hashable {
    /// The row's keys and values.
    public var fields: JSONObject
    /// The line as read, without its newline.
    public var line: String

    /// The point id.
    public var id: String { fields["id"]?.stringValue ?? "" }
    /// The grid index, if present.
    public var index: Int? { fields["index"]?.intValue.map(Int.init) }
    /// The model name.
    public var model: String { fields["model"]?.stringValue ?? "" }
    /// Whether the point was simulated (`status` is `ok`).
    public var isOK: Bool { fields["status"]?.stringValue == SweepRow.Status.ok.rawValue }
    /// The setup hash (empty when the row has none).
    public var setupHash: String { fields["setup_hash"]?.stringValue ?? "" }
    /// The varied keys' values, in order.
    public var values: JSONObject { fields["values"]?.objectValue ?? JSONObject() }

    /// A record of fields and line as given.
    public init(fields: JSONObject, line: String) {
        self.fields = fields
        self.line = line
    }

    /// Parses one JSONL line; `where` names it in errors.
    public static func parseJSONLine(_ line: String, where location: String) throws(SweepError) -> SweepRecord {
        let value: JSONValue
        do {
            value = try JSONParser().parse(line)
        } catch {
            throw SweepError(.file, "\(location): not a JSON object: \(error.message)")
        }
        guard case .object(let object) = value else {
            throw SweepError(.file, "\(location): a row is a JSON object, found \(value.kindDescription)")
        }
        let record = SweepRecord(fields: object, line: line)
        try record.check(location)
        return record
    }

    /// Parses one CSV line under `header`; `where` names it in errors.
    public static func parseCSVLine(_ line: String, header: [String], where location: String) throws(SweepError)
        -> SweepRecord
    {
        guard let fields = SweepCSV.fields(of: line) else {
            throw SweepError(.file, "\(location): unterminated quoted field")
        }
        guard fields.count == header.count else {
            throw SweepError(.file, "\(location): \(fields.count) fields under a header of \(header.count) columns")
        }
        var object = JSONObject()
        var values = JSONObject()
        for (column, text) in zip(header, fields) where !text.isEmpty {
            if column.hasPrefix("values.") {
                values[String(column.dropFirst(7))] = (try? JSONParser().parse(text)) ?? .string(text)
            } else {
                object[column] = Self.csvValue(column: column, text: text)
            }
        }
        object["values"] = .object(values)
        let record = SweepRecord(fields: object, line: line)
        try record.check(location)
        return record
    }

    /// A CSV field as the JSON value its column holds: text columns stay strings, numbers parse.
    private static func csvValue(column: String, text: String) -> JSONValue {
        let textColumns: Set<String> = [
            "id", "model", "model_file", "model_hash", "status", "config_hash", "setup_hash", "data_key",
            "output_crc32", "error",
        ]
        if textColumns.contains(column) { return .string(text) }
        switch try? JSONParser().parse(text) {
        case .int(let value)?: return .int(value)
        case .double(let value)?: return .double(value)
        default: return .string(text)
        }
    }

    /// Every row has a readable `schema_version` and an `id`.
    private func check(_ location: String) throws(SweepError) {
        guard let version = fields["schema_version"]?.intValue else {
            throw SweepError(.file, "\(location): no schema_version: not a sweep result row")
        }
        guard version <= Int64(SweepSchema.version) else {
            throw SweepError(
                .file, "\(location): schema_version \(version) is newer than this accsim reads (\(SweepSchema.version))"
            )
        }
        guard fields["id"]?.stringValue != nil else {
            throw SweepError(.file, "\(location): no id: not a sweep result row")
        }
    }
}
