import AccsimJSON
import AccsimSuggestions
import Foundation

/// A hardware config as resolved for a run: where it came from, the config itself and its hash.
public struct ResolvedHardware: Sendable, Hashable {
    /// The config's `name` (the file name's stem when the file does not set one).
    public var name: String
    /// The file it was read from.
    public var file: String
    public var config: HardwareConfig
    /// Hash of the resolved config's canonical JSON (see ``HardwareConfig/hash``).
    public var hash: String { config.hash }

    public init(name: String, file: String, config: HardwareConfig) {
        self.name = name
        self.file = file
        self.config = config
    }
}

/// Reads hardware configs: a file is layered over ``HardwareConfig/standard`` (so every key has a
/// default), then `--set key.path=value` overrides are applied, then the result is decoded
/// strictly (unknown keys are errors with their key path) and validated.
public enum HardwareConfigLoader {
    /// Environment variable naming extra directories (colon-separated) searched for bundled configs.
    public static let searchPathVariable = "ACCSIM_CONFIG_PATH"

    /// Loads `pathOrName`: a JSON file, or the name of a bundled config (`8x8`, `8x8.json`).
    public static func load(_ pathOrName: String, overrides: [String] = []) throws(HardwareConfigError)
        -> ResolvedHardware
    {
        let path = try locate(pathOrName)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HardwareConfigError(file: path, "cannot read the file")
        }
        do {
            let config = try resolve(bytes: [UInt8](data), defaultName: stem(of: path), overrides: overrides)
            return ResolvedHardware(name: config.name, file: path, config: config)
        } catch {
            var located = error
            if located.file == nil { located.file = path }
            throw located
        }
    }

    /// Resolves config text: defaults, then the file's keys, then the overrides; decoded and validated.
    public static func resolve(bytes: [UInt8], defaultName: String = "default", overrides: [String] = [])
        throws(HardwareConfigError) -> HardwareConfig
    {
        let parsed: JSONValue
        do {
            parsed = try JSONParser().parse(bytes)
        } catch {
            throw HardwareConfigError(
                keyPath: error.path.isEmpty ? nil : error.path,
                error.message + (error.location.map { " (line \($0.line), column \($0.column))" } ?? ""))
        }
        guard case .object(let fileObject) = parsed else {
            throw HardwareConfigError("a hardware config is a JSON object, found \(parsed.kindDescription)")
        }
        if case .int(let version)? = fileObject["version"], version > Int64(HardwareConfig.currentVersion) {
            throw HardwareConfigError(
                keyPath: "version",
                "config version \(version) is newer than this accsim reads (\(HardwareConfig.currentVersion))")
        }
        var standard = HardwareConfig.standard
        standard.name = defaultName
        var tree: JSONValue
        do {
            tree = try JSONWriter().value(of: standard)
        } catch {
            throw HardwareConfigError("internal: cannot encode the default config: \(error)")
        }
        tree = merge(parsed, over: tree)
        for override in overrides {
            try apply(override: override, to: &tree)
        }
        let config: HardwareConfig
        do {
            config = try StrictJSONDecoder().decode(HardwareConfig.self, from: tree)
        } catch {
            throw HardwareConfigError(
                keyPath: error.path.isEmpty ? nil : error.path, withSuggestion(error.message, error, in: tree))
        }
        try config.validate()
        return config
    }

    /// `config` with `overrides` applied (for configs that come from elsewhere, such as a
    /// SCALE-Sim `.cfg`), decoded strictly and validated.
    public static func apply(overrides: [String], to config: HardwareConfig) throws(HardwareConfigError)
        -> HardwareConfig
    {
        guard !overrides.isEmpty else { return config }
        var tree: JSONValue
        do {
            tree = try JSONWriter().value(of: config)
        } catch {
            throw HardwareConfigError("internal: cannot encode the config: \(error)")
        }
        for override in overrides {
            try apply(override: override, to: &tree)
        }
        let result: HardwareConfig
        do {
            result = try StrictJSONDecoder().decode(HardwareConfig.self, from: tree)
        } catch {
            throw HardwareConfigError(keyPath: error.path.isEmpty ? nil : error.path, error.message)
        }
        try result.validate()
        return result
    }

    /// `override` is `key.path=value`; the value is JSON when it parses as JSON (numbers, true,
    /// false, null, quoted strings, arrays, objects) and a plain string otherwise.
    static func apply(override: String, to tree: inout JSONValue) throws(HardwareConfigError) {
        guard let equals = override.firstIndex(of: "=") else {
            throw HardwareConfigError("--set '\(override)': expected key.path=value")
        }
        let path = String(override[..<equals])
        let text = String(override[override.index(after: equals)...])
        let keys = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if keys.isEmpty || keys.contains(where: \.isEmpty) {
            throw HardwareConfigError("--set '\(override)': '\(path)' is not a key path like array.rows")
        }
        let value = (try? JSONParser().parse(text)) ?? .string(text)
        try set(value, at: keys[...], in: &tree, fullPath: path)
    }

    private static func set(_ value: JSONValue, at keys: ArraySlice<String>, in tree: inout JSONValue, fullPath: String)
        throws(HardwareConfigError)
    {
        guard let key = keys.first else {
            tree = value
            return
        }
        guard case .object(var object) = tree else {
            throw HardwareConfigError(keyPath: fullPath, "--set: '\(key)' is not inside an object")
        }
        guard var child = object[key] else {
            let known = object.keys.joined(separator: ", ")
            let prefix = fullPath.split(separator: ".").prefix(while: { $0 != key }).joined(separator: ".")
            let suggestion = Suggestion.closest(to: key, among: object.keys).map {
                "did you mean '\(prefix.isEmpty ? $0 : prefix + "." + $0)'? "
            }
            throw HardwareConfigError(
                keyPath: fullPath, "--set: unknown key '\(key)' (\(suggestion ?? "")known here: \(known))")
        }
        try set(value, at: keys.dropFirst(), in: &child, fullPath: fullPath)
        object[key] = child
        tree = .object(object)
    }

    /// An unknown key's message with the closest key of its object. The decoder cannot suggest one
    /// here: the file is merged over the defaults, so the key meant (`rows` for `rwos`) is present.
    static func withSuggestion(_ message: String, _ error: JSONError, in tree: JSONValue) -> String {
        guard error.kind == .unknownKey, !message.contains("did you mean"), message.hasSuffix(")") else {
            return message
        }
        var parts = error.path.split(separator: ".").map(String.init)
        guard let key = parts.popLast() else { return message }
        var node = tree
        for part in parts {
            guard let child = node[part] else { return message }
            node = child
        }
        guard case .object(let object) = node, let suggestion = Suggestion.closest(to: key, among: object.keys) else {
            return message
        }
        return message.dropLast() + "; did you mean '\(suggestion)'?)"
    }

    /// `top` layered over `base`: objects merge key by key (recursively), anything else replaces.
    /// Keys only in `top` are kept, so the strict decoder can reject unknown ones by path.
    static func merge(_ top: JSONValue, over base: JSONValue) -> JSONValue {
        guard case .object(let topObject) = top, case .object(var merged) = base else { return top }
        for (key, value) in topObject.members {
            merged[key] = merged[key].map { merge(value, over: $0) } ?? value
        }
        return .object(merged)
    }

    /// The file a path or bundled name refers to.
    static func locate(_ pathOrName: String) throws(HardwareConfigError) -> String {
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: pathOrName) { return pathOrName }
        let bundled = bundledConfigs()
        if !pathOrName.contains("/") {
            let name = pathOrName.hasSuffix(".json") ? String(pathOrName.dropLast(5)) : pathOrName
            if let found = bundled.first(where: { $0.name == name }) { return found.path }
        }
        throw HardwareConfigError(file: pathOrName, notFoundMessage(pathOrName, bundled: bundled))
    }

    /// `no such file …` with the bundled config whose name is closest to the file's stem
    /// (`configs/8x8.json`: `did you mean 8x8, HardwareConfigs/8x8.json?`), else the bundled names.
    static func notFoundMessage(_ pathOrName: String, bundled: [(name: String, path: String)]) -> String {
        let what = pathOrName.contains("/") ? "no such file" : "no such file, and no bundled config of that name"
        let wanted = stem(of: pathOrName)
        let names = bundled.map(\.name)
        if let name = names.contains(wanted) ? wanted : Suggestion.closest(to: wanted, among: names),
            let path = bundled.first(where: { $0.name == name })?.path
        {
            return what + " (did you mean \(name), \(displayPath(path))?)"
        }
        guard !bundled.isEmpty else { return what }
        return what + " (bundled: \(bundled.map(\.name).joined(separator: ", ")))"
    }

    /// `path` relative to the current directory when it lies below it.
    private static func displayPath(_ path: String) -> String {
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path + "/"
        return path.hasPrefix(current) ? String(path.dropFirst(current.count)) : path
    }

    /// Directories holding bundled configs: `$ACCSIM_CONFIG_PATH`, then `HardwareConfigs/` in the
    /// current directory or any parent, then next to the executable or any of its parents
    /// (which finds the repository's folder from `.build/debug/accsim`).
    public static func bundledDirectories() -> [String] {
        var directories: [String] = []
        if let extra = ProcessInfo.processInfo.environment[searchPathVariable] {
            directories += extra.split(separator: ":").map(String.init)
        }
        func ancestors(of path: String) -> [String] {
            var url = URL(fileURLWithPath: path).standardizedFileURL
            var found: [String] = []
            for _ in 0..<8 {
                found.append(url.appendingPathComponent("HardwareConfigs").path)
                let parent = url.deletingLastPathComponent()
                if parent.path == url.path { break }
                url = parent
            }
            return found
        }
        directories += ancestors(of: FileManager.default.currentDirectoryPath)
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").deletingLastPathComponent().path
        directories += ancestors(of: executable)
        var seen = Set<String>()
        return directories.filter { seen.insert($0).inserted && FileManager.default.fileExists(atPath: $0) }
    }

    /// Names of the bundled configs found, sorted.
    public static func bundledNames() -> [String] {
        bundledConfigs().map(\.name)
    }

    /// The bundled configs found, by name (sorted), each with the first file of that name in the
    /// search order of ``bundledDirectories()``.
    public static func bundledConfigs() -> [(name: String, path: String)] {
        var paths: [String: String] = [:]
        for directory in bundledDirectories() {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for file in files.sorted() where file.hasSuffix(".json") && paths[String(file.dropLast(5))] == nil {
                paths[String(file.dropLast(5))] = directory + "/" + file
            }
        }
        return paths.keys.sorted().map { ($0, paths[$0]!) }
    }

    private static func stem(of path: String) -> String {
        let file = URL(fileURLWithPath: path).lastPathComponent
        return file.hasSuffix(".json") ? String(file.dropLast(5)) : file
    }
}
