/// The subset of Python literals a NumPy `.npy` header is written in: a dict with string keys,
/// strings, integers, `True`/`False`/`None`, tuples and lists.
indirect enum PythonLiteral {
    case string(String)
    case int(Int)
    case bool(Bool)
    case none
    case tuple([PythonLiteral])
    case list([PythonLiteral])
    case dict([(key: String, value: PythonLiteral)])

    /// A short description for error messages.
    var summary: String {
        switch self {
        case .string(let string): "'\(string)'"
        case .int(let integer): "\(integer)"
        case .bool(let flag): flag ? "True" : "False"
        case .none: "None"
        case .tuple: "a tuple"
        case .list: "a list"
        case .dict: "a dict"
        }
    }

    /// Parses one literal filling `bytes` (surrounding whitespace allowed).
    static func parse(_ bytes: [UInt8]) throws(ModelError) -> PythonLiteral {
        var parser = PythonLiteralParser(bytes: bytes)
        return try parser.parseDocument()
    }
}

/// Recursive-descent parser of ``PythonLiteral``; nesting is limited, every access bounds-checked.
struct PythonLiteralParser {
    let bytes: [UInt8]
    var position = 0
    private static let maxDepth = 16

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func parseDocument() throws(ModelError) -> PythonLiteral {
        skipWhitespace()
        let value = try parseValue(depth: 0)
        skipWhitespace()
        if position < bytes.count { throw error("unexpected text after the header dictionary") }
        return value
    }

    private mutating func parseValue(depth: Int) throws(ModelError) -> PythonLiteral {
        guard depth < Self.maxDepth else { throw error("nested too deeply") }
        guard let byte = peek() else { throw error("unexpected end of the header") }
        switch byte {
        case UInt8(ascii: "{"):
            position += 1
            var members: [(key: String, value: PythonLiteral)] = []
            try parseSequence(closing: UInt8(ascii: "}")) { (parser: inout PythonLiteralParser) throws(ModelError) in
                guard case .string(let key) = try parser.parseValue(depth: depth + 1) else {
                    throw parser.error("dictionary keys must be strings")
                }
                parser.skipWhitespace()
                guard parser.peek() == UInt8(ascii: ":") else {
                    throw parser.error("expected ':' after the key '\(key)'")
                }
                parser.position += 1
                parser.skipWhitespace()
                let value = try parser.parseValue(depth: depth + 1)
                if members.contains(where: { $0.key == key }) { throw parser.error("the key '\(key)' appears twice") }
                members.append((key, value))
            }
            return .dict(members)
        case UInt8(ascii: "("), UInt8(ascii: "["):
            position += 1
            var elements: [PythonLiteral] = []
            let closing = byte == UInt8(ascii: "(") ? UInt8(ascii: ")") : UInt8(ascii: "]")
            try parseSequence(closing: closing) { (parser: inout PythonLiteralParser) throws(ModelError) in
                elements.append(try parser.parseValue(depth: depth + 1))
            }
            return byte == UInt8(ascii: "(") ? .tuple(elements) : .list(elements)
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            return .string(try parseString(quote: byte))
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .int(try parseInteger())
        default:
            if consume("True") { return .bool(true) }
            if consume("False") { return .bool(false) }
            if consume("None") { return .none }
            throw error("unexpected character")
        }
    }

    /// Elements separated by commas up to `closing`, a trailing comma allowed.
    private mutating func parseSequence(closing: UInt8, element: (inout PythonLiteralParser) throws(ModelError) -> Void)
        throws(ModelError)
    {
        while true {
            skipWhitespace()
            if peek() == closing {
                position += 1
                return
            }
            try element(&self)
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                position += 1
            case closing:
                position += 1
                return
            default:
                throw error("expected ',' or '\(Character(Unicode.Scalar(closing)))'")
            }
        }
    }

    private mutating func parseString(quote: UInt8) throws(ModelError) -> String {
        let start = position
        position += 1
        var content: [UInt8] = []
        while let byte = peek() {
            position += 1
            if byte == quote { return String(decoding: content, as: UTF8.self) }
            if byte == UInt8(ascii: "\\") {
                guard let escaped = peek() else { break }
                position += 1
                content.append(escaped)
            } else {
                content.append(byte)
            }
        }
        position = start
        throw error("unterminated string")
    }

    private mutating func parseInteger() throws(ModelError) -> Int {
        var negative = false
        if peek() == UInt8(ascii: "-") || peek() == UInt8(ascii: "+") {
            negative = peek() == UInt8(ascii: "-")
            position += 1
        }
        var value = 0
        var digits = 0
        while let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = shifted.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            if overflow1 || overflow2 { throw error("integer too large") }
            value = next
            digits += 1
            position += 1
        }
        if digits == 0 { throw error("expected digits") }
        if peek() == UInt8(ascii: "L") || peek() == UInt8(ascii: "l") { position += 1 }  // Python 2 longs
        return negative ? -value : value
    }

    private mutating func consume(_ word: String) -> Bool {
        let utf8 = Array(word.utf8)
        guard position + utf8.count <= bytes.count, Array(bytes[position..<position + utf8.count]) == utf8 else {
            return false
        }
        position += utf8.count
        return true
    }

    private func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x00 {
            position += 1
        }
    }

    fileprivate func error(_ message: String) -> ModelError {
        ModelError(field: "header", "malformed header: \(message) at header byte \(position)")
    }
}
