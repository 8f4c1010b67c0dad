import AccsimHardware

/// Chooses the SRAM tile sizes and loop order of a GEMM layer.
///
/// Candidates per dimension come from ``tileCandidates(extent:unit:)``: output rows of a conv (or
/// the single row of an FC) with unit 1; input channels of a conv with unit 1, or reduction
/// elements of an FC with unit `R` when k lies along the array rows (weight and input stationary);
/// filters with unit `C` when n lies along the columns (weight and output stationary). For each
/// row and channel candidate the filter candidates also include the most filters that fit the
/// weight and accumulator buffers (and that number rounded down to a multiple of `C`), so a layer
/// whose full reduction fits only a few filters at a time keeps its inputs resident without
/// falling back to one filter per tile. A candidate
/// is kept when its largest tile fits every buffer (half of it when double-buffered). Every kept
/// candidate is estimated under both loop orders; the winner has the fewest DRAM bytes read, then
/// the fewest array folds (each fold pays the array's fill and drain), then the fewest SRAM tiles,
/// then weights-outer, then the larger mT, nT, kT, in that order.
struct TilingSearch {
    let lowering: GEMMLowering
    let layout: FoldLayout
    let input: BufferSpace
    let weight: BufferSpace
    let output: BufferSpace

    /// The chosen tiling and the estimates of both orders at its tile sizes.
    struct Choice {
        var tiling: GEMMTiling
        var estimates: [DRAMReadEstimate]
    }

    /// The bytes per buffer of the largest tile of `rows` m-units, `channels` k-units and `filters`.
    func requirement(rows: Int, channels: Int, filters: Int) -> TileRequirement {
        let kTile = channels * lowering.kUnit
        let inputBytes: Int
        switch lowering.source {
        case .conv2D(let g):
            inputBytes = g.maxInputRows(rowsPerTile: rows) * g.inputWidth * channels * lowering.inputElementBytes
        case .fullyConnected:
            inputBytes = kTile * lowering.inputElementBytes
        }
        return TileRequirement(
            input: inputBytes, weight: kTile * filters * lowering.weightElementBytes,
            output: rows * lowering.mUnit * filters * 4)
    }

    /// The DRAM bytes read with `rows`, `channels`, `filters` per tile in `order` (see
    /// docs/mapping.md): a tile is loaded whenever it differs from the previous step's tile of the
    /// same buffer, so an operand whose tile never changes between consecutive steps is loaded once.
    func estimate(_ order: LoopOrder, rows: Int, channels: Int, filters: Int) -> DRAMReadEstimate {
        let shape = lowering.shape
        let mTiles = ceilDiv(lowering.mUnits, rows)
        let kTiles = ceilDiv(lowering.kUnits, channels)
        let nTiles = ceilDiv(shape.n, filters)
        // Every byte of one group's operands once (conv: halo rows once per m-tile that reads them).
        let inputOnce: Int
        switch lowering.source {
        case .conv2D(let g):
            inputOnce = g.totalInputRows(rowsPerTile: rows) * g.inputWidth * g.groupInputChannels * lowering.inputElementBytes
        case .fullyConnected:
            inputOnce = shape.k * lowering.inputElementBytes
        }
        let weightOnce = shape.k * shape.n * lowering.weightElementBytes
        let inputPasses: Int
        let weightPasses: Int
        switch order {
        case .weightsOuter:
            // for n: for m: for k — the weight tile (n, k) survives the m loop only when k has one chunk;
            // the input tile (m, k) survives the n loop only when m and k have one tile each.
            weightPasses = kTiles == 1 ? 1 : mTiles
            inputPasses = (mTiles == 1 && kTiles == 1) ? 1 : nTiles
        case .inputsOuter:
            // for m: for n: for k — symmetric.
            inputPasses = kTiles == 1 ? 1 : nTiles
            weightPasses = (nTiles == 1 && kTiles == 1) ? 1 : mTiles
        }
        return DRAMReadEstimate(
            order: order, inputBytes: lowering.groups * inputPasses * inputOnce,
            weightBytes: lowering.groups * weightPasses * weightOnce, biasBytes: lowering.biasBytes)
    }

    /// The array folds one group needs under `tiling`: the sum over its SRAM tiles of each tile's
    /// folds (tiles of at most two sizes per dimension: full ones and a remainder).
    func folds(of tiling: GEMMTiling) -> Int {
        func sizes(_ extent: Int, _ tile: Int) -> [(size: Int, count: Int)] {
            let full = extent / tile, rest = extent % tile
            return [(tile, full), (rest, rest > 0 ? 1 : 0)].filter { $0.count > 0 }
        }
        let shape = lowering.shape
        var total = 0
        for (m, mCount) in sizes(shape.m, tiling.mTile) {
            for (k, kCount) in sizes(shape.k, tiling.kTile) {
                for (n, nCount) in sizes(shape.n, tiling.nTile) {
                    total += mCount * kCount * nCount * layout.foldCount(m: m, k: k, n: n)
                }
            }
        }
        return total
    }

    /// The best candidate, or an error naming the buffer the smallest tile overflows.
    func choose(layer: String) throws(MappingError) -> Choice {
        let rowCandidates = tileCandidates(extent: lowering.mUnits, unit: 1)
        let kUnit: Int
        switch lowering.source {
        case .conv2D: kUnit = 1
        case .fullyConnected: kUnit = layout.dataflow == .outputStationary ? 1 : layout.rows
        }
        let channelCandidates = tileCandidates(extent: lowering.kUnits, unit: kUnit)
        let filterCandidates = tileCandidates(
            extent: lowering.shape.n, unit: layout.dataflow == .inputStationary ? 1 : layout.cols)

        var best: (key: [Int], choice: Choice)?
        let filterUnit = layout.dataflow == .inputStationary ? 1 : layout.cols
        for rows in rowCandidates {
            for channels in channelCandidates {
                // The most filters whose weights and accumulators fit beside this row/channel tile.
                let kTile = channels * lowering.kUnit
                let byWeights = weight.tileBytes / max(1, kTile * lowering.weightElementBytes)
                let byAccumulators = output.tileBytes / max(1, rows * lowering.mUnit * 4)
                let fitting = min(lowering.shape.n, byWeights, byAccumulators)
                var candidates = filterCandidates
                for extra in [fitting, fitting / filterUnit * filterUnit] where extra >= 1 && !candidates.contains(extra) {
                    candidates.append(extra)
                }
                for filters in candidates {
                    let need = requirement(rows: rows, channels: channels, filters: filters)
                    guard need.shortfalls(input: input, weight: weight, output: output).isEmpty else { continue }
                    let estimates = LoopOrder.allCases.map { estimate($0, rows: rows, channels: channels, filters: filters) }
                    let tiling = { (order: LoopOrder) in
                        GEMMTiling(
                            mTile: rows * lowering.mUnit, kTile: channels * lowering.kUnit, nTile: filters, order: order,
                            mTiles: ceilDiv(lowering.mUnits, rows), kTiles: ceilDiv(lowering.kUnits, channels),
                            nTiles: ceilDiv(lowering.shape.n, filters))
                    }
                    for (rank, estimate) in estimates.enumerated() {
                        let candidate = tiling(estimate.order)
                        let key = [estimate.totalBytes, folds(of: candidate), candidate.tilesPerGroup, rank,
                                   -candidate.mTile, -candidate.nTile, -candidate.kTile]
                        if let current = best, !key.lexicographicallyPrecedes(current.key) { continue }
                        best = (key, Choice(tiling: candidate, estimates: estimates))
                    }
                }
            }
        }
        if let best { return best.choice }

        let smallest = requirement(rows: 1, channels: 1, filters: 1)
        let problems = smallest.shortfalls(input: input, weight: weight, output: output)
        let message = "the smallest tile " + problems.map(\.message).joined(separator: "; and ")
        throw MappingError(layer: layer, buffer: problems.first?.key, message)
    }
}

/// `ceil(a / b)` for `a ≥ 0`, `b ≥ 1`.
func ceilDiv(_ a: Int, _ b: Int) -> Int {
    (a + b - 1) / b
}
