import AccsimHardware

extension ArrayTimingModel {
    /// SCALE-Sim's per-fold compute cycles for a fold whose stream extent is `stream` (`T`), with
    /// the FULL array dimensions `R`, `C` whatever part of the array the fold uses:
    ///
    /// | dataflow | `T` | preload | stream | total |
    /// | --- | --- | --- | --- | --- |
    /// | output stationary | `k` | 0 | `T + R + C − 2` | `T + R + C − 2` |
    /// | weight stationary | `m` | `R` | `T + R + C − 2` | `2R + C + T − 2` |
    /// | input stationary | `n` | `R` | `T + R + C − 2` | `2R + C + T − 2` |
    ///
    /// SCALE-Sim reports one number per fold; the split into phases is accsim's reading of its
    /// demand matrices (weight and input stationary prepend `R` cycles for loading the stationary
    /// operand; no drain is counted separately). See docs/timing.md.
    public func scaleSimFoldCycles(stream: Int) -> TileCycles {
        precondition(stream >= 1, "the stream extent T must be at least 1, got \(stream)")
        let streaming = stream + rows + cols - 2
        switch dataflow {
        case .outputStationary: return TileCycles(preload: 0, stream: streaming, drain: 0)
        case .weightStationary, .inputStationary: return TileCycles(preload: rows, stream: streaming, drain: 0)
        }
    }

    /// SCALE-Sim's compute cycles of a whole layer, whatever this model's convention:
    /// `folds × per-fold` with `folds = ceil(Sr/R) · ceil(Sc/C)` and the per-fold count of
    /// ``scaleSimFoldCycles(stream:)`` with `T` the layer's full stream extent.
    ///
    /// - Precondition: every dimension of `gemm` is at least 1.
    public func scaleSimLayerCycles(_ gemm: GEMMShape) -> LayerCycles {
        precondition(gemm.isNonEmpty, "GEMM dimensions must be at least 1, got \(gemm)")
        let d = dataflow.foldDimensions(of: gemm)
        let folds = ceilDiv(d.rows, rows) * ceilDiv(d.cols, cols)
        return LayerCycles(folds: folds, phases: scaleSimFoldCycles(stream: d.stream) * folds)
    }
}

/// `ceil(a / b)` for `a ≥ 0`, `b ≥ 1`.
func ceilDiv(_ a: Int, _ b: Int) -> Int {
    (a + b - 1) / b
}
