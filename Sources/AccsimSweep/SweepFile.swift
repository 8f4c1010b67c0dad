import AccsimJSON
import Foundation

/// A sweep described in a file (JSON, versioned, strict: an unknown key is an error naming its
/// path), for spaces too large or too complex for the command line (docs/sweep-format.md):
///
/// ```json
/// {
///   "version": 1,
///   "hw": "HardwareConfigs/16x16-ws.json",
///   "set": {"dram.latency_cycles": 50},
///   "models": ["Models/digits.q", {"file": "Models/digits.q", "input": "x.npy", "labels": "y.npy"}],
///   "axes": [
///     {"array.rows": [8, 16, 32]},
///     {"sram.weight.kib": "64:512:*2"},
///     {"array.dataflow": ["weight_stationary", "output_stationary"], "array.overflow": ["wrap", "saturate"]}
///   ],
///   "adapt_requant": false
/// }
/// ```
///
/// Each element of `axes` is one dimension; several keys in one element are zipped. A key's values
/// are a JSON array (taken as they are) or a string in the `--vary` syntax (lists and ranges).
/// Paths are relative to the current directory, as on the command line.
public struct SweepFile: Sendable {
    /// A model entry.
    public struct Model: Sendable, Hashable {
        /// The model file.
        public var file: String
        /// Inputs `[N, …]` as .npy.
        public var input: String?
        /// Labels `[N]` as .npy.
        public var labels: String?
    }

    /// The base hardware config (a path or a bundled name); nil: the defaults.
    public var hw: String?
    /// Fixed overrides, `key=value`.
    public var overrides: [String]
    /// The models.
    public var models: [Model]
    /// The grid's dimensions.
    public var dimensions: [SweepDimension]
    /// Whether requantizers that do not fit are converted.
    public var adaptRequant: Bool

    /// Reads and decodes `path`.
    public static func read(path: String) throws(SweepError) -> SweepFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SweepError("\(path): cannot read the sweep file")
        }
        return try decode([UInt8](data), name: path)
    }

    /// Decodes sweep-file bytes; `name` names the file in errors.
    public static func decode(_ bytes: [UInt8], name: String) throws(SweepError) -> SweepFile {
        let root: JSONValue
        do {
            root = try JSONParser().parse(bytes)
        } catch {
            throw SweepError("\(name): \(error.description)")
        }
        let reader = Reader(name: name)
        return try reader.file(root)
    }

    /// Strict reading with key paths in errors.
    private struct Reader {
        let name: String

        func fail(_ path: String, _ message: String) -> SweepError {
            SweepError("\(name): \(path.isEmpty ? "" : "\(path): ")\(message)")
        }

        func members(_ value: JSONValue, _ path: String, allowed: [String]) throws(SweepError) -> JSONObject {
            guard case .object(let object) = value else {
                throw fail(path, "expected an object, found \(value.kindDescription)")
            }
            for key in object.keys where !allowed.contains(key) {
                throw fail(
                    path.isEmpty ? key : "\(path).\(key)",
                    "unknown key '\(key)' (expected one of: \(allowed.joined(separator: ", ")))")
            }
            return object
        }

        func string(_ value: JSONValue?, _ path: String) throws(SweepError) -> String? {
            guard let value else { return nil }
            guard case .string(let string) = value else {
                throw fail(path, "expected a string, found \(value.kindDescription)")
            }
            return string
        }

        func file(_ root: JSONValue) throws(SweepError) -> SweepFile {
            let object = try members(root, "", allowed: ["version", "hw", "set", "models", "axes", "adapt_requant"])
            guard case .int(let version)? = object["version"] else {
                throw fail("version", "required: the sweep file version (\(SweepSchema.sweepFileVersion))")
            }
            guard version >= 1, version <= Int64(SweepSchema.sweepFileVersion) else {
                throw fail(
                    "version",
                    "sweep file version \(version) is not one this accsim reads (\(SweepSchema.sweepFileVersion))")
            }
            let hw = try string(object["hw"], "hw")
            var overrides: [String] = []
            if let set = object["set"] {
                guard case .object(let members) = set else {
                    throw fail("set", "expected an object of key paths and values")
                }
                for (key, value) in members.members {
                    try SweepDimension.checkKeyPath(key, source: "\(name): set")
                    overrides.append(SweepAssignment(key: key, value: value).override)
                }
            }
            guard case .array(let modelValues)? = object["models"], !modelValues.isEmpty else {
                throw fail("models", "required: a non-empty array of model files")
            }
            var models: [Model] = []
            for (index, value) in modelValues.enumerated() {
                let path = "models[\(index)]"
                if case .string(let file) = value {
                    models.append(Model(file: file))
                    continue
                }
                let entry = try members(value, path, allowed: ["file", "input", "labels"])
                guard let file = try string(entry["file"], "\(path).file") else {
                    throw fail("\(path).file", "required")
                }
                models.append(
                    Model(
                        file: file, input: try string(entry["input"], "\(path).input"),
                        labels: try string(entry["labels"], "\(path).labels")))
            }
            var dimensions: [SweepDimension] = []
            if let axes = object["axes"] {
                guard case .array(let axisValues) = axes else { throw fail("axes", "expected an array of objects") }
                for (index, axis) in axisValues.enumerated() {
                    dimensions.append(try dimension(axis, "axes[\(index)]"))
                }
            }
            var adapt = false
            if let value = object["adapt_requant"] {
                guard case .bool(let flag) = value else { throw fail("adapt_requant", "expected true or false") }
                adapt = flag
            }
            return SweepFile(hw: hw, overrides: overrides, models: models, dimensions: dimensions, adaptRequant: adapt)
        }

        func dimension(_ value: JSONValue, _ path: String) throws(SweepError) -> SweepDimension {
            guard case .object(let object) = value, !object.isEmpty else {
                throw fail(path, "expected an object of one or more key paths and their values")
            }
            let source = "\(name): \(path)"
            var lists: [(key: String, values: [JSONValue])] = []
            for (key, list) in object.members {
                try SweepDimension.checkKeyPath(key, source: source)
                switch list {
                case .array(let values):
                    guard !values.isEmpty else { throw fail("\(path).\(key)", "no values") }
                    lists.append((key, values))
                case .string(let text):
                    lists.append((key, try SweepValueList.parse(text, argument: "\(source).\(key)")))
                default:
                    throw fail(
                        "\(path).\(key)",
                        "expected an array of values or a string such as \"64:512:*2\", found \(list.kindDescription)")
                }
            }
            return try SweepDimension.zipped(lists, source: source)
        }
    }
}
