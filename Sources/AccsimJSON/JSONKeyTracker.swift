import AccsimSuggestions

/// Remembers every object a keyed container was opened on while one value is decoded, which keys
/// the decoded type accepts and which it asked for, so that unknown keys are reported (with the
/// keys the type expected) once the type has finished decoding.
final class JSONKeyTracker {
    /// One object seen through keyed containers.
    final class Entry {
        let path: [any CodingKey]
        let keys: [String]
        private(set) var accepted: [Bool]
        private(set) var requested: [String] = []
        private var requestedSet: Set<String> = []
        /// Whether a required key of this object was found missing.
        var missingKeyReported = false

        init(path: [any CodingKey], object: JSONObject) {
            self.path = path
            keys = object.keys
            accepted = [Bool](repeating: false, count: object.keys.count)
        }

        /// Marks the keys `Key(stringValue:)` accepts.
        func accept<Key: CodingKey>(_ type: Key.Type) {
            for index in keys.indices where !accepted[index] {
                accepted[index] = Key(stringValue: keys[index]) != nil
            }
        }

        /// Records that the type asked for `key`.
        func request(_ key: String) {
            if requestedSet.insert(key).inserted { requested.append(key) }
        }

        /// The error for the first key no container accepted, if any. When the type stopped early
        /// (at a missing key) the keys it asked for may be incomplete, which the message says.
        func unknownKeyError(complete: Bool) -> JSONError? {
            guard let index = accepted.firstIndex(of: false) else { return nil }
            let key = keys[index]
            var details: [String] = []
            if !requested.isEmpty {
                details.append(
                    (complete ? "expected one of: " : "expected keys include: ") + requested.joined(separator: ", "))
            }
            if let suggestion = closestKey(to: key) { details.append("did you mean '\(suggestion)'?") }
            let suffix = details.isEmpty ? "" : " (" + details.joined(separator: "; ") + ")"
            let path = JSONCodingPath.appending(member: key, to: JSONCodingPath.render(path))
            return JSONError(.unknownKey, path: path, "unknown key '\(key)'\(suffix)")
        }

        /// The requested key nearest to `key` by edit distance, when it is a plausible typo.
        private func closestKey(to key: String) -> String? {
            Suggestion.closest(to: key, among: requested.filter { !keys.contains($0) })
        }
    }

    private var entries: [Entry] = []
    private var entriesByPath: [String: Entry] = [:]

    /// The entry of the object at `path`, accepting the keys of `Key`.
    func entry<Key: CodingKey>(for object: JSONObject, at path: [any CodingKey], keyedBy type: Key.Type) -> Entry {
        let rendered = JSONCodingPath.render(path)
        let entry: Entry
        if let existing = entriesByPath[rendered] {
            entry = existing
        } else {
            entry = Entry(path: path, object: object)
            entries.append(entry)
            entriesByPath[rendered] = entry
        }
        entry.accept(type)
        return entry
    }

    /// The first unknown key, in the order the objects were opened; with `onlyWhereMissing`, only
    /// objects that also lack a required key (where the unknown key is likely a misspelling).
    func unknownKeyError(onlyWhereMissing: Bool = false) -> JSONError? {
        for entry in entries where !onlyWhereMissing || entry.missingKeyReported {
            if let error = entry.unknownKeyError(complete: !onlyWhereMissing) { return error }
        }
        return nil
    }
}
