extension JSONError {
    /// Any error thrown while decoding the value at `path`, as a JSONError: JSONErrors unchanged,
    /// the standard library's `DecodingError`s with their own path, anything else at `path`.
    init(decoding error: any Error, at path: [any CodingKey]) {
        if let error = error as? JSONError {
            self = error
        } else if let error = error as? DecodingError {
            switch error {
            case .keyNotFound(let key, let context):
                self.init(
                    .missingKey, path: JSONCodingPath.render(context.codingPath + [key]),
                    "missing required key '\(key.stringValue)'")
            case .typeMismatch(_, let context):
                self.init(.typeMismatch, path: JSONCodingPath.render(context.codingPath), context.debugDescription)
            case .valueNotFound(let type, let context):
                self.init(
                    .typeMismatch, path: JSONCodingPath.render(context.codingPath), "expected \(type), found null")
            case .dataCorrupted(let context):
                self.init(.invalidValue, path: JSONCodingPath.render(context.codingPath), context.debugDescription)
            @unknown default:
                self.init(.invalidValue, path: JSONCodingPath.render(path), "\(error)")
            }
        } else {
            self.init(.invalidValue, path: JSONCodingPath.render(path), "\(error)")
        }
    }

    /// `expected …, found …` for a value of the wrong JSON type.
    static func typeMismatch(expected: String, found value: JSONValue, at path: [any CodingKey]) -> JSONError {
        JSONError(.typeMismatch, path: JSONCodingPath.render(path), "expected \(expected), found \(describe(value))")
    }

    /// A value for messages: strings and numbers with their text (strings shortened), containers
    /// by kind.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let integer): return "\(integer)"
        case .double(let double): return "\(double)"
        case .string(let string):
            let shown = string.count > 40 ? String(string.prefix(40)) + "…" : string
            return "the string \"\(shown)\""
        case .array(let elements): return "an array of \(elements.count) element\(elements.count == 1 ? "" : "s")"
        case .object: return "an object"
        }
    }
}
