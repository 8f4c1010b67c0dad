import AccsimArithmetic

/// The register-level machine behind weight and input stationary: one operand block sits in the
/// PEs, the other streams in from the left, partial sums flow down the columns.
///
/// In operand-neutral terms: a stationary block `S[depth×width]` (PE(j, c) holds `S[j][c]`) and a
/// stream of `length` vectors `X[s][0..<depth]`; the machine computes
/// `Y[s][c] = Σ_j S[j][c] · X[s][j]`, summed down the column in increasing `j`.
/// Weight stationary: `S = B`, `X = A`, `Y = C`. Input stationary: `S = Aᵀ`, `X = Bᵀ`, `Y = Cᵀ`.
///
/// Registers, one hop per cycle:
/// - **preload**: every cycle each row's stationary register takes the value of the row above and
///   row 0 takes the next row from the top edge, deepest row first (`S[depth−1]` … `S[0]`), so
///   after `depth` cycles rows `0..<depth` hold `S`. Rows below keep whatever they held: they only
///   ever see bubbles, so they never multiply.
/// - **stream**: at stream cycle `t` the left edge of row `j < depth` receives `X[t − j][j]` (a
///   bubble when out of range). In every cycle PE(j, c) takes its operand from the left (the edge
///   for `c = 0`) and its partial sum from above (a bubble, i.e. an empty sum, for `j = 0`), adds
///   `S[j][c] · operand` when the operand is valid, and latches both for its right and lower
///   neighbours. A partial sum that has taken at least one product and leaves row `R − 1` of a
///   used column is captured: column `c`'s captures are `Y[0][c]`, `Y[1][c]`, … in order.
/// The stream ends with the cycle that captures the last result.
struct StationaryArrayMachine {
    let rows: Int
    let cols: Int
    let overflow: OverflowMode

    /// Runs the machine; returns the observed phases and `Y[length×width]` row-major.
    func run(
        stationary: [Int32], depth: Int, width: Int, stream: [Int32], length: Int,
        onEdge: ((ArrayEdgeEvent) -> Void)?
    ) -> (cycles: TileCycles, output: [Int32]) {
        let cellCount = rows * cols
        var weight = [Int32](repeating: 0, count: cellCount)
        var cycle = 0

        // Preload: shift the stationary block in from the top, deepest row first.
        for step in 0..<depth {
            for r in stride(from: rows - 1, to: 0, by: -1) {
                for c in 0..<cols { weight[r * cols + c] = weight[(r - 1) * cols + c] }
            }
            let sourceRow = depth - 1 - step
            for c in 0..<cols {
                let value: Int32 = c < width ? stationary[sourceRow * width + c] : 0
                weight[c] = value
                if c < width { onEdge?(ArrayEdgeEvent(cycle: cycle, edge: .top, index: c, value: value)) }
            }
            cycle += 1
        }
        let preloadCycles = cycle

        // Stream.
        var operand = [Int32](repeating: 0, count: cellCount)
        var operandValid = [Bool](repeating: false, count: cellCount)
        var psum = [Int32](repeating: 0, count: cellCount)
        var psumValid = [Bool](repeating: false, count: cellCount)
        var edgeValue = [Int32](repeating: 0, count: rows)
        var edgeValid = [Bool](repeating: false, count: rows)
        var output = [Int32](repeating: 0, count: length * width)
        var capturedInColumn = [Int](repeating: 0, count: width)
        var captured = 0
        let bottom = (rows - 1) * cols
        // A bound that only a broken machine reaches; it keeps a bug from looping forever.
        let cycleLimit = 2 * (length + rows + cols + depth)
        var t = 0
        while captured < length * width {
            precondition(t < cycleLimit, "stationary machine did not finish")
            for j in 0..<rows {
                let s = t - j
                edgeValid[j] = j < depth && s >= 0 && s < length
                edgeValue[j] = edgeValid[j] ? stream[s * depth + j] : 0
                if edgeValid[j] { onEdge?(ArrayEdgeEvent(cycle: cycle, edge: .left, index: j, value: edgeValue[j])) }
            }
            // Update in place from the bottom-right corner, so that every PE still reads its left
            // and upper neighbours' values of the previous cycle.
            for r in stride(from: rows - 1, through: 0, by: -1) {
                for c in stride(from: cols - 1, through: 0, by: -1) {
                    let cell = r * cols + c
                    let inValid = c == 0 ? edgeValid[r] : operandValid[cell - 1]
                    let inValue = c == 0 ? edgeValue[r] : operand[cell - 1]
                    var sum: Int32 = r == 0 ? 0 : psum[cell - cols]
                    var sumValid = r == 0 ? false : psumValid[cell - cols]
                    if inValid {
                        sum = overflow.add(sum, weight[cell] * inValue)
                        sumValid = true
                    }
                    operand[cell] = inValue
                    operandValid[cell] = inValid
                    psum[cell] = sum
                    psumValid[cell] = sumValid
                }
            }
            for c in 0..<width where psumValid[bottom + c] {
                output[capturedInColumn[c] * width + c] = psum[bottom + c]
                capturedInColumn[c] += 1
                captured += 1
                onEdge?(ArrayEdgeEvent(cycle: cycle, edge: .bottom, index: c, value: psum[bottom + c]))
            }
            cycle += 1
            t += 1
        }
        return (TileCycles(preload: preloadCycles, stream: t, drain: 0), output)
    }
}
