import AccsimArithmetic

/// The register-level machine behind output stationary: each PE owns one output and accumulates
/// it while A streams in from the left and B from the top; then the outputs shift out downwards.
///
/// Registers, one hop per cycle:
/// - **compute**: at cycle `t` the left edge of row `r < m` receives `a[r][t − r]` and the top of
///   column `c < n` receives `b[t − c][c]` (bubbles when out of range). In every cycle PE(r, c)
///   takes its A operand from the left and its B operand from above, adds their product to its
///   accumulator when both are valid, and latches both for its right and lower neighbours. So
///   PE(r, c) adds `a[r][j] · b[j][c]` at cycle `j + r + c`, in increasing `j`. The machine runs
///   until every operand has left the array, and the compute phase is counted up to and including
///   the last cycle with a MAC: operands still travelling through unused PEs towards the far
///   edges after it are dropped, they overlap the drain.
/// - **drain**: every cycle each accumulator takes the value of the one above (row 0 becomes
///   empty) and the value in row `R − 1` leaves through the bottom edge; a value that holds a
///   finished output is captured. The drain ends with the cycle that captures the last output.
struct OutputStationaryMachine {
    let rows: Int
    let cols: Int
    let overflow: OverflowMode

    /// Runs the machine; returns the observed phases and `C[m×n]` row-major.
    func run(a: [Int32], b: [Int32], shape: GEMMShape, onEdge: ((ArrayEdgeEvent) -> Void)?)
        -> (cycles: TileCycles, output: [Int32])
    {
        let (m, k, n) = (shape.m, shape.k, shape.n)
        let cellCount = rows * cols
        var aReg = [Int32](repeating: 0, count: cellCount)
        var aValid = [Bool](repeating: false, count: cellCount)
        var bReg = [Int32](repeating: 0, count: cellCount)
        var bValid = [Bool](repeating: false, count: cellCount)
        var acc = [Int32](repeating: 0, count: cellCount)
        // Which output row an accumulator holds, or −1 when it holds none; moves with the value.
        var accRow = [Int](repeating: -1, count: cellCount)
        var leftValue = [Int32](repeating: 0, count: rows)
        var leftValid = [Bool](repeating: false, count: rows)
        var topValue = [Int32](repeating: 0, count: cols)
        var topValid = [Bool](repeating: false, count: cols)

        // Compute. The feeders have nothing left to inject from cycle max(m, n) − 1 + k on.
        let feedEnd = max(m, n) - 1 + k
        var lastMacCycle = -1
        var t = 0
        while true {
            precondition(t < 2 * (feedEnd + rows + cols), "output stationary machine did not finish")
            for r in 0..<rows {
                let j = t - r
                leftValid[r] = r < m && j >= 0 && j < k
                leftValue[r] = leftValid[r] ? a[r * k + j] : 0
                if leftValid[r] { onEdge?(ArrayEdgeEvent(cycle: t, edge: .left, index: r, value: leftValue[r])) }
            }
            for c in 0..<cols {
                let j = t - c
                topValid[c] = c < n && j >= 0 && j < k
                topValue[c] = topValid[c] ? b[j * n + c] : 0
                if topValid[c] { onEdge?(ArrayEdgeEvent(cycle: t, edge: .top, index: c, value: topValue[c])) }
            }
            var anyOperandInFlight = false
            // In place from the bottom-right corner: every PE reads its neighbours' previous values.
            for r in stride(from: rows - 1, through: 0, by: -1) {
                for c in stride(from: cols - 1, through: 0, by: -1) {
                    let cell = r * cols + c
                    let aIn = c == 0 ? leftValue[r] : aReg[cell - 1]
                    let aInValid = c == 0 ? leftValid[r] : aValid[cell - 1]
                    let bIn = r == 0 ? topValue[c] : bReg[cell - cols]
                    let bInValid = r == 0 ? topValid[c] : bValid[cell - cols]
                    if aInValid && bInValid {
                        acc[cell] = overflow.add(acc[cell], aIn * bIn)
                        accRow[cell] = r
                        lastMacCycle = t
                    }
                    aReg[cell] = aIn
                    aValid[cell] = aInValid
                    bReg[cell] = bIn
                    bValid[cell] = bInValid
                    anyOperandInFlight = anyOperandInFlight || aInValid || bInValid
                }
            }
            t += 1
            if t >= feedEnd && !anyOperandInFlight { break }
        }
        let computeCycles = lastMacCycle + 1

        // Drain: shift down; row R − 1 leaves through the bottom edge each cycle.
        var output = [Int32](repeating: 0, count: m * n)
        var captured = 0
        var drainCycles = 0
        let bottom = (rows - 1) * cols
        while captured < m * n {
            precondition(drainCycles < 2 * rows, "output stationary drain did not finish")
            for c in 0..<cols where accRow[bottom + c] >= 0 {
                output[accRow[bottom + c] * n + c] = acc[bottom + c]
                captured += 1
                onEdge?(
                    ArrayEdgeEvent(
                        cycle: computeCycles + drainCycles, edge: .bottom, index: c, value: acc[bottom + c]))
            }
            for r in stride(from: rows - 1, to: 0, by: -1) {
                for c in 0..<cols {
                    acc[r * cols + c] = acc[(r - 1) * cols + c]
                    accRow[r * cols + c] = accRow[(r - 1) * cols + c]
                }
            }
            for c in 0..<cols {
                acc[c] = 0
                accRow[c] = -1
            }
            drainCycles += 1
        }
        return (TileCycles(preload: 0, stream: computeCycles, drain: drainCycles), output)
    }
}
