/// Writes a ``JSONValue`` as UTF-8 text, deterministically.
///
/// - Object members in their stored order; strings escaped per RFC 8259 (`"`, `\`, and control
///   characters; everything else is written as UTF-8).
/// - Integers in decimal; doubles in the shortest form that reads back to the same Double
///   (Swift's `description`: `0.1`, `1e-05`, `1e+16`, integral values with `.0`). A non-finite
///   double is an error naming its path.
/// - Pretty style: two-space indentation, `"key": value`, arrays holding only scalars on one line
///   (`[1, 8, 8, 1]`), empty containers as `[]` and `{}`. Compact style: no whitespace at all.
struct JSONSerializer {
    private(set) var output: [UInt8] = []
    private let pretty: Bool
    private var path: [JSONKey] = []

    init(pretty: Bool) {
        self.pretty = pretty
    }

    mutating func write(_ value: JSONValue, indent: Int = 0) throws(JSONError) {
        switch value {
        case .null: append("null")
        case .bool(let flag): append(flag ? "true" : "false")
        case .int(let integer): append(String(integer))
        case .double(let double):
            guard double.isFinite else {
                throw JSONError(
                    .unencodable, path: JSONCodingPath.render(path),
                    "\(double) cannot be written in JSON (only finite numbers can)")
            }
            append(double.description)
        case .string(let string): writeString(string)
        case .array(let elements): try writeArray(elements, indent: indent)
        case .object(let object): try writeObject(object, indent: indent)
        }
    }

    private mutating func writeArray(_ elements: [JSONValue], indent: Int) throws(JSONError) {
        if elements.isEmpty {
            append("[]")
            return
        }
        let inline = !pretty || elements.allSatisfy(\.isScalar)
        output.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            if pretty {
                if inline {
                    if index > 0 { output.append(UInt8(ascii: " ")) }
                } else {
                    newline(indent: indent + 2)
                }
            }
            path.append(JSONKey(index: index))
            try write(element, indent: indent + 2)
            path.removeLast()
        }
        if pretty && !inline { newline(indent: indent) }
        output.append(UInt8(ascii: "]"))
    }

    private mutating func writeObject(_ object: JSONObject, indent: Int) throws(JSONError) {
        if object.isEmpty {
            append("{}")
            return
        }
        output.append(UInt8(ascii: "{"))
        for index in 0..<object.keys.count {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            if pretty { newline(indent: indent + 2) }
            writeString(object.keys[index])
            output.append(UInt8(ascii: ":"))
            if pretty { output.append(UInt8(ascii: " ")) }
            path.append(JSONKey(object.keys[index]))
            try write(object.values[index], indent: indent + 2)
            path.removeLast()
        }
        if pretty { newline(indent: indent) }
        output.append(UInt8(ascii: "}"))
    }

    private mutating func writeString(_ string: String) {
        output.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\\"): append("\\\\")
            case 0x08: append("\\b")
            case 0x0C: append("\\f")
            case 0x0A: append("\\n")
            case 0x0D: append("\\r")
            case 0x09: append("\\t")
            case 0..<0x20:
                let digits = String(byte, radix: 16, uppercase: false)
                append("\\u00" + (digits.count == 1 ? "0" : "") + digits)
            default:
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    private mutating func newline(indent: Int) {
        output.append(0x0A)
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
    }

    private mutating func append(_ text: String) {
        output.append(contentsOf: text.utf8)
    }
}

extension JSONValue {
    /// Whether this is neither an array nor an object.
    var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }
}
