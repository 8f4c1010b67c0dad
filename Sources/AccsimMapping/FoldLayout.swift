import AccsimHardware
import AccsimTiming

/// How an SRAM tile is cut into folds: per dataflow one GEMM dimension spans the array rows (at
/// most `R` per fold), one the columns (at most `C`), the third streams whole.
///
/// | dataflow | rows (≤ R) | columns (≤ C) | streams |
/// | --- | --- | --- | --- |
/// | weight stationary | k | n | m |
/// | output stationary | m | n | k |
/// | input stationary | k | m | n |
///
/// Folds run column chunks outer, row chunks inner — the order of ``ArrayTimingModel/folds(of:)``;
/// for weight and input stationary that puts the reduction innermost.
public struct FoldLayout: Sendable, Hashable {
    /// Which operand stays in the processing elements.
    public var dataflow: Dataflow
    /// Physical rows `R`.
    public var rows: Int
    /// Physical columns `C`.
    public var cols: Int

    /// A layout for an `rows × cols` array.
    public init(dataflow: Dataflow, rows: Int, cols: Int) {
        self.dataflow = dataflow
        self.rows = rows
        self.cols = cols
    }

    /// The folds of a tile covering `m × k × n` (GEMM coordinates), in execution order.
    public func folds(m: Range<Int>, k: Range<Int>, n: Range<Int>) -> [Fold] {
        let (rowRange, colRange, streamRange) = split(m: m, k: k, n: n)
        var folds: [Fold] = []
        folds.reserveCapacity(foldCount(m: m.count, k: k.count, n: n.count))
        for colStart in stride(from: colRange.lowerBound, to: colRange.upperBound, by: cols) {
            let colChunk = colStart..<min(colStart + cols, colRange.upperBound)
            for rowStart in stride(from: rowRange.lowerBound, to: rowRange.upperBound, by: rows) {
                let rowChunk = rowStart..<min(rowStart + rows, rowRange.upperBound)
                folds.append(join(rows: rowChunk, cols: colChunk, stream: streamRange))
            }
        }
        return folds
    }

    /// Number of folds of a tile of `m × k × n`: `ceil(rows extent / R) · ceil(column extent / C)`.
    public func foldCount(m: Int, k: Int, n: Int) -> Int {
        let d = dataflow.foldDimensions(of: GEMMShape(m: m, k: k, n: n))
        return (d.rows + rows - 1) / rows * ((d.cols + cols - 1) / cols)
    }

    /// The distinct fold shapes of a tile of `m × k × n` with how many folds have each, and how
    /// many of those start the reduction when the tile's reduction range starts at 0 (the folds of
    /// the first row chunk when k spans the rows, every fold when k streams).
    func foldShapes(m: Int, k: Int, n: Int, tileStartsReduction: Bool) -> [(
        shape: GEMMShape, count: Int, starting: Int
    )] {
        let d = dataflow.foldDimensions(of: GEMMShape(m: m, k: k, n: n))
        let kSpansRows = dataflow != .outputStationary
        var result: [(GEMMShape, Int, Int)] = []
        for rowChunk in Self.chunks(of: d.rows, size: rows) {
            for colChunk in Self.chunks(of: d.cols, size: cols) {
                let shape = dataflow.shape(
                    of: FoldDimensions(rows: rowChunk.size, cols: colChunk.size, stream: d.stream))
                let count = rowChunk.count * colChunk.count
                var starting = 0
                if tileStartsReduction {
                    // With k on the rows, only the folds of row chunk 0 (one per column chunk) start it.
                    starting = kSpansRows ? (rowChunk.isFirst ? colChunk.count : 0) : count
                }
                result.append((shape, count, starting))
            }
        }
        return result
    }

    private func split(m: Range<Int>, k: Range<Int>, n: Range<Int>) -> (Range<Int>, Range<Int>, Range<Int>) {
        switch dataflow {
        case .weightStationary: (k, n, m)
        case .outputStationary: (m, n, k)
        case .inputStationary: (k, m, n)
        }
    }

    private func join(rows r: Range<Int>, cols c: Range<Int>, stream s: Range<Int>) -> Fold {
        switch dataflow {
        case .weightStationary: Fold(m: s, k: r, n: c)
        case .outputStationary: Fold(m: r, k: s, n: c)
        case .inputStationary: Fold(m: c, k: r, n: s)
        }
    }

    /// `extent` in chunks of `size`: the full chunks (first) and the remainder, with counts.
    private static func chunks(of extent: Int, size: Int) -> [(size: Int, count: Int, isFirst: Bool)] {
        var result: [(Int, Int, Bool)] = []
        if extent / size > 0 { result.append((size, extent / size, true)) }
        if extent % size > 0 { result.append((extent % size, 1, extent / size == 0)) }
        return result
    }
}

extension Dataflow {
    /// The range of the GEMM dimension that streams through the array under this dataflow (m for
    /// weight stationary, k for output stationary, n for input stationary).
    public func streamRange(m: Range<Int>, k: Range<Int>, n: Range<Int>) -> Range<Int> {
        switch self {
        case .weightStationary: m
        case .outputStationary: k
        case .inputStationary: n
        }
    }
}
