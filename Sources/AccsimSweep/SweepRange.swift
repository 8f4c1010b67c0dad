import AccsimJSON

/// A numeric range of a varied key: `a:b:+k` (arithmetic), `a:b:*k` (geometric) or `a:b` (step 1).
public struct SweepRange: Sendable, Hashable {
    /// How the range steps.
    public enum Step: Sendable, Hashable {
        /// Add the number each time.
        case add(Double)
        /// Multiply by the number each time.
        case multiply(Double)
    }

    /// The first value.
    public var start: Double
    /// The bound: no value exceeds it.
    public var end: Double
    /// The step.
    public var step: Step
    /// Whether start, end and step are all integers (the values are then integers).
    public var isIntegral: Bool

    /// Parses `text` (`a:b`, `a:b:+k`, `a:b:*k`); `argument` names the argument in errors.
    public static func parse(_ text: String, argument: String) throws(SweepError) -> SweepRange {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
        let form = "expected a:b, a:b:+k or a:b:*k"
        guard parts.count == 2 || parts.count == 3 else {
            throw SweepError("\(argument): malformed range '\(text)': \(form)")
        }
        func number(_ part: String, _ what: String) throws(SweepError) -> (Double, Bool) {
            switch try? JSONParser().parse(part) {
            case .int(let value)?: return (Double(value), true)
            case .double(let value)?: return (value, false)
            default:
                throw SweepError("\(argument): malformed range '\(text)': \(what) '\(part)' is not a number (\(form))")
            }
        }
        let (start, startIntegral) = try number(parts[0], "the start")
        let (end, endIntegral) = try number(parts[1], "the end")
        var step = Step.add(1)
        var stepIntegral = true
        if parts.count == 3 {
            let stepText = parts[2]
            guard let sign = stepText.first, sign == "+" || sign == "*" else {
                throw SweepError(
                    "\(argument): malformed range '\(text)': the step '\(stepText)' must start with + or * (\(form))")
            }
            let (amount, integral) = try number(String(stepText.dropFirst()), "the step")
            stepIntegral = integral
            step = sign == "+" ? .add(amount) : .multiply(amount)
        }
        guard start <= end else {
            throw SweepError(
                "\(argument): malformed range '\(text)': the start \(parts[0]) is above the end \(parts[1])")
        }
        switch step {
        case .add(let amount):
            guard amount > 0 else {
                throw SweepError("\(argument): malformed range '\(text)': the step must be positive")
            }
        case .multiply(let factor):
            guard factor > 1 else {
                throw SweepError("\(argument): malformed range '\(text)': the factor must be above 1")
            }
            guard start > 0 else {
                throw SweepError("\(argument): malformed range '\(text)': a geometric range must start above 0")
            }
        }
        let range = SweepRange(
            start: start, end: end, step: step, isIntegral: startIntegral && endIntegral && stepIntegral)
        if range.isIntegral && max(abs(start), abs(end)) > 9_007_199_254_740_992 {
            throw SweepError("\(argument): range '\(text)': integer ranges must stay within ±2⁵³")
        }
        guard range.count <= SweepValueList.maxRangeCount else {
            throw SweepError("\(argument): range '\(text)' has more than \(SweepValueList.maxRangeCount) values")
        }
        return range
    }

    /// Number of values.
    public var count: Int {
        switch step {
        case .add(let amount):
            let steps = ((end - start) / amount * (1 + 1e-12)).rounded(.down)
            return steps >= Double(SweepValueList.maxRangeCount) ? SweepValueList.maxRangeCount + 1 : Int(steps) + 1
        case .multiply(let factor):
            var count = 0
            var value = start
            while value <= end * (1 + 1e-12) && count <= SweepValueList.maxRangeCount {
                count += 1
                value *= factor
            }
            return count
        }
    }

    /// The values, in increasing order.
    public func values() -> [JSONValue] {
        (0..<count).map { index in
            let value: Double
            switch step {
            case .add(let amount): value = start + Double(index) * amount
            case .multiply(let factor): value = start * Self.power(factor, index)
            }
            return isIntegral ? .int(Int64(value.rounded())) : .double(value)
        }
    }

    /// `base` to the non-negative integer power `exponent`, by repeated multiplication (exact for
    /// integers within 2⁵³, and the same bytes on every platform).
    private static func power(_ base: Double, _ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<exponent { result *= base }
        return result
    }
}
