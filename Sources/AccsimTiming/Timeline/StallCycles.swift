/// Stall cycles by cause.
public struct StallCycles: Sendable, Hashable {
    /// Cycles waiting for input loads.
    public var input: Int
    /// Cycles waiting for weight (or bias) loads.
    public var weight: Int
    /// Cycles waiting for output stores.
    public var output: Int
    /// Cycles the vector unit waited.
    public var vector: Int

    /// Stall cycles as given (all zero by default).
    public init(input: Int = 0, weight: Int = 0, output: Int = 0, vector: Int = 0) {
        self.input = input
        self.weight = weight
        self.output = output
        self.vector = vector
    }

    /// No stalls.
    public static let zero = StallCycles()

    /// The cycles attributed to `cause`.
    public subscript(cause: StallCause) -> Int {
        get {
            switch cause {
            case .input: input
            case .weight: weight
            case .output: output
            case .vector: vector
            }
        }
        set {
            switch cause {
            case .input: input = newValue
            case .weight: weight = newValue
            case .output: output = newValue
            case .vector: vector = newValue
            }
        }
    }

    /// All stall cycles.
    public var total: Int { input + weight + output + vector }

    /// Cause-wise sum.
    public static func + (lhs: StallCycles, rhs: StallCycles) -> StallCycles {
        StallCycles(
            input: lhs.input + rhs.input, weight: lhs.weight + rhs.weight,
            output: lhs.output + rhs.output, vector: lhs.vector + rhs.vector)
    }
}
