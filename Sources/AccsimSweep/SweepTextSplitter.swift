/// Splits argument text at separators that are not inside brackets, braces or double quotes, so
/// JSON arrays and quoted strings stay whole.
enum SweepTextSplitter {
    /// The pieces of `text` between top-level `separators`, trimmed of spaces. Unbalanced brackets
    /// or an unterminated string are errors naming `argument`.
    static func split(_ text: String, separators: Set<Character>, argument: String) throws(SweepError) -> [String] {
        var pieces: [String] = []
        var current = ""
        var depth = 0
        var inString = false
        var escaped = false
        for character in text {
            if inString {
                current.append(character)
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    inString = false
                }
                continue
            }
            switch character {
            case "\"":
                inString = true
                current.append(character)
            case "[", "{":
                depth += 1
                current.append(character)
            case "]", "}":
                depth -= 1
                guard depth >= 0 else { throw SweepError("\(argument): unbalanced '\(character)' in '\(text)'") }
                current.append(character)
            default:
                if depth == 0 && separators.contains(character) {
                    pieces.append(current)
                    current = ""
                } else {
                    current.append(character)
                }
            }
        }
        guard !inString else { throw SweepError("\(argument): unterminated string in '\(text)'") }
        guard depth == 0 else { throw SweepError("\(argument): unbalanced brackets in '\(text)'") }
        pieces.append(current)
        return pieces.map { $0.trimmingSpaces() }
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[start...end])
    }
}
