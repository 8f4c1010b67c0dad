import AccsimExecution
import AccsimHardware
import AccsimTiming

/// Which operand element an array edge event of one fold carries, from the register timing of
/// docs/timing.md (fold-local coordinates: `A[i][j]`, `B[j][c]`, `C[i][c]`, cycles from the
/// fold's start; `k` = the fold's reduction length, `R` = physical rows):
///
/// | dataflow | top, cycle t, column x | left, cycle t, row x | bottom, cycle t, column x |
/// | --- | --- | --- | --- |
/// | WS | `B[k−1−t][x]` (preload, deepest row first) | `A[t−k−x][x]` | `C[t−k−x−R+1][x]` |
/// | IS | `A[x][k−1−t]` (Aᵀ preload) | `B[x][t−k−x]` | `C[x][t−k−x−R+1]` |
/// | OS | `B[t−x][x]` | `A[x][t−x]` | `C[R−1−(t−S)][x]`, S = compute cycles |
///
/// An RTL testbench can invert the same table to check its array from the trace alone.
struct FoldEdgeCoordinates {
    /// An element of A, B or C in fold-local coordinates.
    enum Operand: Equatable {
        case a(row: Int, column: Int)
        case b(row: Int, column: Int)
        case c(row: Int, column: Int)
    }

    let dataflow: Dataflow
    let rows: Int
    let k: Int
    /// Cycles of the fold's compute phase (output stationary), where its drain starts.
    let computeCycles: Int

    init(dataflow: Dataflow, rows: Int, shape: GEMMShape, cycles: TileCycles) {
        self.dataflow = dataflow
        self.rows = rows
        self.k = shape.k
        self.computeCycles = cycles.preload + cycles.stream
    }

    func operand(of event: ArrayEdgeEvent) -> Operand {
        let t = event.cycle
        let x = event.index
        switch (dataflow, event.edge) {
        case (.weightStationary, .top): return .b(row: k - 1 - t, column: x)
        case (.weightStationary, .left): return .a(row: t - k - x, column: x)
        case (.weightStationary, .bottom): return .c(row: t - k - x - rows + 1, column: x)
        case (.inputStationary, .top): return .a(row: x, column: k - 1 - t)
        case (.inputStationary, .left): return .b(row: x, column: t - k - x)
        case (.inputStationary, .bottom): return .c(row: x, column: t - k - x - rows + 1)
        case (.outputStationary, .top): return .b(row: t - x, column: x)
        case (.outputStationary, .left): return .a(row: x, column: t - x)
        case (.outputStationary, .bottom): return .c(row: rows - 1 - (t - computeCycles), column: x)
        }
    }
}
