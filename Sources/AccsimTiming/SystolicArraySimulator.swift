import AccsimArithmetic
import AccsimHardware

/// A cycle-stepped, register-level model of one tile on the systolic array: operands and partial
/// sums move one hop per cycle, every PE adds its product with the array's ``OverflowMode``.
///
/// It defines accsim's native timing: ``ArrayTimingModel`` under ``TimingConvention/native`` must
/// give exactly the cycles observed here, and the results must equal a plain GEMM under wrap. It is
/// meant for small arrays and tiles (tests, trace windows): each cycle costs `O(R·C)` work. The
/// register semantics per dataflow are written out in docs/timing.md.
public struct SystolicArraySimulator: Sendable, Hashable {
    /// Physical rows `R`.
    public var rows: Int
    /// Physical columns `C`.
    public var cols: Int
    /// Which operand stays in the PEs.
    public var dataflow: Dataflow
    /// What every addition in the array does on int32 overflow.
    public var overflow: OverflowMode

    /// A model of an `rows × cols` array. Both must be at least 1.
    public init(rows: Int, cols: Int, dataflow: Dataflow, overflow: OverflowMode) {
        precondition(rows >= 1 && cols >= 1, "array dimensions must be at least 1, got \(rows)×\(cols)")
        self.rows = rows
        self.cols = cols
        self.dataflow = dataflow
        self.overflow = overflow
    }

    /// A model of the configured array.
    public init(array: ArrayConfig) {
        self.init(rows: array.rows, cols: array.cols, dataflow: array.dataflow, overflow: array.overflow)
    }

    /// Runs one tile `C = A · B` through the array, register by register.
    ///
    /// - Parameters:
    ///   - a: `A[m×k]`, row-major.
    ///   - b: `B[k×n]`, row-major.
    ///   - shape: `m`, `k`, `n`; must fit the array under this dataflow (`Sr ≤ R`, `Sc ≤ C`, see
    ///     ``FoldDimensions``).
    ///   - onEdge: called, in cycle order, for every value entering or leaving an edge of the array
    ///     (``ArrayEdgeEvent``); `nil` records nothing and costs nothing.
    /// - Returns: the observed cycles and `C[m×n]`, each element accumulated in hardware order
    ///   (increasing `j`, with ``OverflowMode/add(_:_:)`` for every addition, starting from 0).
    /// - Precondition: operands lie in −32768…32767 (int8, uint8, zero-point-adjusted int8 and
    ///   int16 values all do), so that every product is exact in int32.
    public func run(
        a: [Int32], b: [Int32], shape: GEMMShape, onEdge: ((ArrayEdgeEvent) -> Void)? = nil
    ) -> SteppedTile {
        let (m, k, n) = (shape.m, shape.k, shape.n)
        precondition(shape.isNonEmpty, "tile dimensions must be at least 1, got \(shape)")
        precondition(a.count == m * k, "A holds \(a.count) values, a \(m)×\(k) block needs \(m * k)")
        precondition(b.count == k * n, "B holds \(b.count) values, a \(k)×\(n) block needs \(k * n)")
        let d = dataflow.foldDimensions(of: shape)
        precondition(
            d.rows <= rows && d.cols <= cols,
            "tile \(shape) does not fit a \(rows)×\(cols) \(dataflow.rawValue) array")
        precondition(
            a.allSatisfy(Self.operandRange.contains) && b.allSatisfy(Self.operandRange.contains),
            "operands must lie in \(Self.operandRange)")

        switch dataflow {
        case .weightStationary:
            // PE(j, c) holds b[j][c]; stream s = i carries row i of A (a[i][j] into row j).
            let machine = StationaryArrayMachine(rows: rows, cols: cols, overflow: overflow)
            let run = machine.run(stationary: b, depth: k, width: n, stream: a, length: m, onEdge: onEdge)
            return SteppedTile(shape: shape, cycles: run.cycles, output: run.output)
        case .inputStationary:
            // PE(j, i) holds a[i][j]; stream s = f carries column f of B (b[j][f] into row j).
            let machine = StationaryArrayMachine(rows: rows, cols: cols, overflow: overflow)
            let run = machine.run(
                stationary: Self.transpose(a, rows: m, cols: k), depth: k, width: m,
                stream: Self.transpose(b, rows: k, cols: n), length: n, onEdge: onEdge)
            // The machine's output is indexed [f][i]; C is [i][f].
            return SteppedTile(shape: shape, cycles: run.cycles, output: Self.transpose(run.output, rows: n, cols: m))
        case .outputStationary:
            let machine = OutputStationaryMachine(rows: rows, cols: cols, overflow: overflow)
            let run = machine.run(a: a, b: b, shape: shape, onEdge: onEdge)
            return SteppedTile(shape: shape, cycles: run.cycles, output: run.output)
        }
    }

    /// The operand values whose products are exact in int32.
    static let operandRange: ClosedRange<Int32> = -32768...32767

    /// `values[rows×cols]` row-major, transposed to `[cols×rows]` row-major.
    static func transpose(_ values: [Int32], rows: Int, cols: Int) -> [Int32] {
        var result = [Int32](repeating: 0, count: values.count)
        for r in 0..<rows {
            for c in 0..<cols {
                result[c * rows + r] = values[r * cols + c]
            }
        }
        return result
    }
}
