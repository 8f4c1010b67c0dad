/// Conversions of JSON values to Swift scalars, with the strict rules of ``StrictJSONDecoder``:
/// integers only from integer literals and only in range, doubles from any number, Floats from
/// any number within Float's range, Bools only from `true`/`false`, Strings only from strings.
enum JSONUnboxing {
    static func integer<I: FixedWidthInteger>(_ type: I.Type, from value: JSONValue, at path: [any CodingKey])
        throws(JSONError) -> I
    {
        switch value {
        case .int(let integer):
            guard let result = I(exactly: integer) else {
                throw JSONError(
                    .invalidValue, path: JSONCodingPath.render(path),
                    "\(integer) is out of range for \(I.self) (\(I.min)...\(I.max))")
            }
            return result
        case .double(let double):
            if double.rounded(.towardZero) == double {
                if I(exactly: double) == nil {
                    throw JSONError(
                        .invalidValue, path: JSONCodingPath.render(path),
                        "\(double) is out of range for \(I.self) (\(I.min)...\(I.max))")
                }
                throw JSONError(
                    .invalidValue, path: JSONCodingPath.render(path),
                    "expected an integer (\(I.self)), found \(double): integers are written without fraction or exponent"
                )
            }
            throw JSONError(
                .invalidValue, path: JSONCodingPath.render(path), "expected an integer (\(I.self)), found \(double)")
        default:
            throw JSONError.typeMismatch(expected: "an integer (\(I.self))", found: value, at: path)
        }
    }

    static func double(from value: JSONValue, at path: [any CodingKey]) throws(JSONError) -> Double {
        switch value {
        case .int(let integer): return Double(integer)
        case .double(let double): return double
        default: throw JSONError.typeMismatch(expected: "a number", found: value, at: path)
        }
    }

    static func float(from value: JSONValue, at path: [any CodingKey]) throws(JSONError) -> Float {
        let double = try double(from: value, at: path)
        let float = Float(double)
        guard float.isFinite else {
            throw JSONError(.invalidValue, path: JSONCodingPath.render(path), "\(double) is out of range for Float")
        }
        return float
    }

    static func bool(from value: JSONValue, at path: [any CodingKey]) throws(JSONError) -> Bool {
        guard case .bool(let flag) = value else {
            throw JSONError.typeMismatch(expected: "true or false", found: value, at: path)
        }
        return flag
    }

    static func string(from value: JSONValue, at path: [any CodingKey]) throws(JSONError) -> String {
        guard case .string(let string) = value else {
            throw JSONError.typeMismatch(expected: "a string", found: value, at: path)
        }
        return string
    }

    /// `value` as a standard-library scalar or a ``JSONValue`` when `T` is one of those; nil for
    /// every other type (which then decodes through its `init(from:)`).
    static func primitive<T>(_ type: T.Type, from value: JSONValue, at path: [any CodingKey]) throws(JSONError) -> T? {
        switch type {
        case is JSONValue.Type: return value as? T
        case is Bool.Type: return try bool(from: value, at: path) as? T
        case is String.Type: return try string(from: value, at: path) as? T
        case is Double.Type: return try double(from: value, at: path) as? T
        case is Float.Type: return try float(from: value, at: path) as? T
        case is Int.Type: return try integer(Int.self, from: value, at: path) as? T
        case is Int8.Type: return try integer(Int8.self, from: value, at: path) as? T
        case is Int16.Type: return try integer(Int16.self, from: value, at: path) as? T
        case is Int32.Type: return try integer(Int32.self, from: value, at: path) as? T
        case is Int64.Type: return try integer(Int64.self, from: value, at: path) as? T
        case is UInt.Type: return try integer(UInt.self, from: value, at: path) as? T
        case is UInt8.Type: return try integer(UInt8.self, from: value, at: path) as? T
        case is UInt16.Type: return try integer(UInt16.self, from: value, at: path) as? T
        case is UInt32.Type: return try integer(UInt32.self, from: value, at: path) as? T
        case is UInt64.Type: return try integer(UInt64.self, from: value, at: path) as? T
        default: return nil
        }
    }

    /// Decodes `value` as a `T` in a scope of its own: after `T` has finished, every object it
    /// opened is checked for unknown keys. When `T` fails because a required key is missing from
    /// an object that also holds an unknown key, the unknown key is reported instead (it is most
    /// likely the misspelt missing one).
    static func decode<T: Decodable>(
        _ type: T.Type, from value: JSONValue, at path: [any CodingKey], userInfo: [CodingUserInfoKey: Any]
    ) throws(JSONError) -> T {
        if let primitive = try primitive(type, from: value, at: path) { return primitive }
        let tracker = JSONKeyTracker()
        let decoder = JSONValueDecoder(value: value, codingPath: path, userInfo: userInfo, tracker: tracker)
        let result: T
        do {
            result = try T(from: decoder)
        } catch {
            let converted = JSONError(decoding: error, at: path)
            if converted.kind == .missingKey, let unknown = tracker.unknownKeyError(onlyWhereMissing: true) {
                throw unknown
            }
            throw converted
        }
        if let unknown = tracker.unknownKeyError() { throw unknown }
        return result
    }
}
