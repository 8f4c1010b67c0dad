import AccsimHardware

extension ArrayTimingModel {
    /// The tiles a layer's GEMM is cut into: the row extent `Sr` in chunks of `R`, the column
    /// extent `Sc` in chunks of `C` (the last chunk of each may be smaller), the stream extent `T`
    /// whole. Ordered as SCALE-Sim runs them: column folds outer, row folds inner (for weight
    /// stationary: all `k` chunks of one block of filters, then the next block).
    ///
    /// - Precondition: every dimension of `gemm` is at least 1.
    public func folds(of gemm: GEMMShape) -> [GEMMShape] {
        precondition(gemm.isNonEmpty, "GEMM dimensions must be at least 1, got \(gemm)")
        let d = dataflow.foldDimensions(of: gemm)
        var tiles: [GEMMShape] = []
        tiles.reserveCapacity(ceilDiv(d.rows, rows) * ceilDiv(d.cols, cols))
        for colStart in stride(from: 0, to: d.cols, by: cols) {
            for rowStart in stride(from: 0, to: d.rows, by: rows) {
                let fold = FoldDimensions(
                    rows: min(rows, d.rows - rowStart), cols: min(cols, d.cols - colStart), stream: d.stream)
                tiles.append(dataflow.shape(of: fold))
            }
        }
        return tiles
    }

    /// The array cycles of a whole layer under this model's convention: its folds
    /// (``folds(of:)``) run back to back, with no overlap between one fold and the next.
    ///
    /// Natively every fold is timed with its own used dimensions; under SCALE-Sim's convention
    /// every fold takes the same time and this equals ``scaleSimLayerCycles(_:)``. Computed in
    /// constant time (folds come in at most four distinct shapes).
    ///
    /// - Precondition: every dimension of `gemm` is at least 1.
    public func layerCycles(_ gemm: GEMMShape) -> LayerCycles {
        precondition(gemm.isNonEmpty, "GEMM dimensions must be at least 1, got \(gemm)")
        switch convention {
        case .scaleSim:
            return scaleSimLayerCycles(gemm)
        case .native:
            let d = dataflow.foldDimensions(of: gemm)
            var phases = TileCycles.zero
            var folds = 0
            for rowChunk in Self.chunks(of: d.rows, size: rows) {
                for colChunk in Self.chunks(of: d.cols, size: cols) {
                    let fold = FoldDimensions(rows: rowChunk.size, cols: colChunk.size, stream: d.stream)
                    let tile = dataflow.shape(of: fold)
                    let count = rowChunk.count * colChunk.count
                    phases += nativeTileCycles(tile) * count
                    folds += count
                }
            }
            return LayerCycles(folds: folds, phases: phases)
        }
    }

    /// `extent` cut into chunks of `size`: the full chunks and the remainder, each with its count.
    private static func chunks(of extent: Int, size: Int) -> [(size: Int, count: Int)] {
        var result: [(size: Int, count: Int)] = []
        if extent / size > 0 { result.append((size, extent / size)) }
        if extent % size > 0 { result.append((extent % size, 1)) }
        return result
    }
}
