import AccsimArithmetic

/// Per-sample classification results of an output tensor `[N, classes]`.
public enum Classification {
    /// The index of the largest value of each row (the first one on ties, as NumPy's argmax).
    public static func argmax(_ tensor: IntTensor) -> [Int] {
        guard tensor.shape.count >= 2, let rows = tensor.shape.first, rows > 0 else { return [] }
        let width = tensor.count / rows
        guard width > 0 else { return [] }
        return (0..<rows).map { row in
            var best = 0
            let base = row * width
            for column in 1..<width where tensor.values[base + column] > tensor.values[base + best] {
                best = column
            }
            return best
        }
    }

    /// Number of predictions equal to their label.
    public static func correctCount(predictions: [Int], labels: [Int]) -> Int {
        zip(predictions, labels).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
    }
}
