import AccsimJSON

/// The values of one varied key, as written after `key=` in `--vary` and `--zip`: a comma-separated
/// list whose elements are single values or ranges.
///
/// - A value is JSON when it parses as JSON (`16`, `0.5`, `true`, `"half_up"`, `["tflite","floor"]`)
///   and a plain string otherwise (`saturate`), as in `--set`.
/// - `a:b:+k` is the arithmetic range a, a+k, a+2k, … ≤ b; `a:b` is `a:b:+1`.
/// - `a:b:*k` is the geometric range a, a·k, a·k², … ≤ b (a > 0, k > 1).
/// - Range bounds and steps are numbers; the values are integers when a, b and k all are.
/// - Commas inside brackets, braces and quotes do not split, so JSON arrays are single values.
public enum SweepValueList {
    /// The most values one range may produce.
    public static let maxRangeCount = 1_000_000

    /// The values of `text`; `argument` names the command-line argument in errors.
    public static func parse(_ text: String, argument: String) throws(SweepError) -> [JSONValue] {
        let elements = try SweepTextSplitter.split(text, separators: [","], argument: argument)
        guard !elements.isEmpty else { throw SweepError("\(argument): no values after '='") }
        var values: [JSONValue] = []
        for element in elements {
            guard !element.isEmpty else {
                throw SweepError("\(argument): empty value in the list '\(text)'")
            }
            values += try parseElement(element, argument: argument)
        }
        return values
    }

    /// One list element: a JSON value, a range, or a plain string.
    static func parseElement(_ element: String, argument: String) throws(SweepError) -> [JSONValue] {
        if let first = element.first, "[{\"".contains(first) {
            do {
                return [try JSONParser().parse(element)]
            } catch {
                throw SweepError("\(argument): '\(element)' is not valid JSON: \(error.message)")
            }
        }
        if element.contains(":") {
            return try SweepRange.parse(element, argument: argument).values()
        }
        return [(try? JSONParser().parse(element)) ?? .string(element)]
    }
}
