/// How the dump writes names: as they are when they contain no whitespace, `=`, `"` or control
/// characters (and are not empty), else as a JSON string literal.
enum TextField {
    static func name(_ value: String) -> String {
        let plain =
            !value.isEmpty
            && value.unicodeScalars.allSatisfy { scalar in
                scalar.value > 0x20 && scalar != "=" && scalar != "\"" && scalar != "\\" && scalar.value != 0x7F
            }
        if plain { return value }
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// `0x` and lowercase hex digits.
    static func hex(_ value: Int) -> String { "0x" + String(value, radix: 16) }

    /// `a:b` for a half-open range.
    static func range(_ range: Range<Int>) -> String { "\(range.lowerBound):\(range.upperBound)" }
}
