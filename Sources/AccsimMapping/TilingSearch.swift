import AccsimHardware
import AccsimTiming

/// Chooses the SRAM tile sizes and loop order of a GEMM layer by the configured objective
/// (`mapping.objective`), measured on the layer's real schedule and timeline.
///
/// The space (docs/mapping.md): `mT` output pixels (any range of im2col rows; a multiple of the
/// array dimension m is laid along, for output and input stationary), `kT` whole input channels of
/// a conv (a multiple of `R / gcd(KH·KW, R)` channels when k is laid along the rows) or reduction
/// elements of an FC (a multiple of `R` on the rows), `nT` filters (a multiple of `C` on the
/// columns), and both loop orders. Per dimension the sizes are the full extent, the extent halved
/// again and again and split in 3…8 equal parts (rounded up to the unit), and 1; for every
/// combination of the others also the largest size that fits the buffers, that size rounded down
/// to the unit (and to whole output rows for m), and the equal split with as many tiles. Under
/// `convention = scale_sim` only sizes that are multiples of the unit (or the full extent) are in
/// the space, so every fold is a whole SCALE-Sim fold or a stream slice of one.
///
/// Every candidate that fits is given lower bounds on cycles (compute + first loads + last store,
/// and the DMA engine's busy time), DRAM bytes (exact) and energy. Candidates are evaluated in
/// increasing order of the objective's bound by building the layer and timing it; the search stops
/// when the next bound exceeds the best value found, so no candidate it skips can be better or
/// tie. Ties: the objective, then cycles, DRAM bytes, energy, fewer tiles, weights-outer, the
/// larger mT, nT, kT.
struct TilingSearch {
    let lowering: GEMMLowering
    let layout: FoldLayout
    let input: BufferSpace
    let weight: BufferSpace
    let output: BufferSpace
    var objective: MappingObjective = .latency
    var convention: TimingConvention = .native
    var requantizerLanes = 1
    var dma = DMACostModel(latencyCycles: 0, bandwidthBytesPerCycle: 1, burstBytes: 1)
    var energy = HardwareConfig.standard.energy
    var foldCycles: FoldCycleFunction = { _ in .zero }

    init(lowering: GEMMLowering, layout: FoldLayout, input: BufferSpace, weight: BufferSpace, output: BufferSpace) {
        self.lowering = lowering
        self.layout = layout
        self.input = input
        self.weight = weight
        self.output = output
    }

    /// A tiling in the search space, with the lower bound of its score.
    struct Candidate {
        var tiling: GEMMTiling
        var bound: MappingScore
    }

    /// A candidate scored.
    struct Evaluated {
        var tiling: GEMMTiling
        var score: MappingScore
    }

    /// The chosen candidate, how many candidates the space had and how many were scored.
    struct Choice {
        var best: Evaluated
        var ranked: [Evaluated]
        var estimates: [DRAMReadEstimate]
        var candidates: Int
        var evaluated: Int
    }

    // MARK: - Sizes and fitting

    /// Units per dimension: m in pixels, k in tiling units (conv channels, FC elements), n in filters.
    var units: (m: Int, k: Int, n: Int) {
        let r = layout.rows
        let c = layout.cols
        switch layout.dataflow {
        case .weightStationary: return (1, kRowUnit, c)
        case .outputStationary: return (r, 1, c)
        case .inputStationary: return (c, kRowUnit, 1)
        }
    }

    /// The k unit when k lies along the array rows: `R` elements of an FC, `R / gcd(taps, R)`
    /// channels of a conv (so the chunk is a whole number of row folds).
    private var kRowUnit: Int {
        switch lowering.source {
        case .conv2D(let g): return layout.rows / gcd(g.taps, layout.rows)
        case .fullyConnected: return layout.rows
        }
    }

    /// The static sizes of a dimension of `extent` with `unit`: the extent, its halvings, its
    /// splits into 3…8 equal parts, rounded up to the unit, and 1 (aligned: multiples of the unit
    /// and the extent only).
    func sizes(extent: Int, unit: Int) -> [Int] {
        var values = Set(tileCandidates(extent: extent, unit: unit))
        for parts in 3...8 where parts <= extent {
            values.insert(min(extent, roundUp(ceilDiv(extent, parts), unit)))
        }
        return values.filter(isAllowed(unit: unit, extent: extent)).sorted(by: >)
    }

    private func isAllowed(unit: Int, extent: Int) -> (Int) -> Bool {
        let aligned = convention == .scaleSim
        return { size in size >= 1 && size <= extent && (!aligned || size == extent || size % unit == 0) }
    }

    /// Input-row statistics per m size, memoised (a conv's pixel tiles read whole input rows).
    /// Indexed by m (an array, not a dictionary: the search asks thousands of times per layer).
    final class RowMemo {
        struct Entry {
            var most: Int32
            var total: Int32
            var nonEmpty: Int32
            var known: Bool
        }
        var stats: [Entry] = []
    }

    func rowStatistics(_ mT: Int, memo: RowMemo) -> (most: Int, total: Int, nonEmpty: Int) {
        if memo.stats.isEmpty {
            memo.stats = Array(
                repeating: RowMemo.Entry(most: 0, total: 0, nonEmpty: 0, known: false), count: lowering.shape.m + 1)
        }
        if mT < memo.stats.count, memo.stats[mT].known {
            let entry = memo.stats[mT]
            return (Int(entry.most), Int(entry.total), Int(entry.nonEmpty))
        }
        let value: (Int, Int, Int)
        switch lowering.source {
        case .conv2D(let g):
            var most = 0
            var total = 0
            var nonEmpty = 0
            for start in stride(from: 0, to: lowering.shape.m, by: mT) {
                let rows = g.inputRows(forPixels: start..<min(start + mT, lowering.shape.m)).count
                most = max(most, rows)
                total += rows
                if rows > 0 { nonEmpty += 1 }
            }
            value = (most, total, nonEmpty)
        case .fullyConnected:
            value = (1, ceilDiv(lowering.shape.m, mT), ceilDiv(lowering.shape.m, mT))
        }
        if mT < memo.stats.count, let most = Int32(exactly: value.0), let total = Int32(exactly: value.1),
            let nonEmpty = Int32(exactly: value.2)
        {
            memo.stats[mT] = RowMemo.Entry(most: most, total: total, nonEmpty: nonEmpty, known: true)
        }
        return value
    }

    /// The bytes per buffer of the largest tile of `mT` pixels, `kUnits` k-units and `nT` filters.
    func requirement(m mT: Int, kUnits: Int, n nT: Int, memo: RowMemo) -> TileRequirement {
        let kT = kUnits * lowering.kUnit
        let inputBytes: Int
        switch lowering.source {
        case .conv2D(let g):
            inputBytes = rowStatistics(mT, memo: memo).most * g.inputWidth * kUnits * lowering.inputElementBytes
        case .fullyConnected:
            inputBytes = kT * lowering.inputElementBytes
        }
        return TileRequirement(input: inputBytes, weight: kT * nT * lowering.weightElementBytes, output: mT * nT * 4)
    }

    private func fits(m: Int, kUnits: Int, n: Int, memo: RowMemo) -> Bool {
        requirement(m: m, kUnits: kUnits, n: n, memo: memo).fits(input: input, weight: weight, output: output)
    }

    /// The largest m that fits beside `kUnits` and `n` (0 when none), found by bisection on the
    /// accumulator and input bounds.
    private func largestFittingM(kUnits: Int, n: Int, memo: RowMemo) -> Int {
        var high = min(lowering.shape.m, output.tileBytes / max(1, n * 4))
        guard high >= 1 else { return 0 }
        if fits(m: high, kUnits: kUnits, n: n, memo: memo) { return high }
        var low = 0
        while high - low > 1 {
            let mid = (low + high) / 2
            if fits(m: mid, kUnits: kUnits, n: n, memo: memo) { low = mid } else { high = mid }
        }
        return low
    }

    /// Derived sizes from a fitting maximum: itself, rounded down to `unit` (and to `rowUnit`), and
    /// the equal split with as many tiles.
    private func derived(from fit: Int, extent: Int, unit: Int, rowUnit: Int = 1) -> [Int] {
        guard fit >= 1 else { return [] }
        var values = [fit, fit / unit * unit, roundUp(ceilDiv(extent, ceilDiv(extent, fit)), unit)]
        if rowUnit > 1 { values.append(fit / rowUnit * rowUnit) }
        return values.filter(isAllowed(unit: unit, extent: extent))
    }

    // MARK: - Candidates and bounds

    /// Every fitting candidate of the space with its lower bounds, in a deterministic order.
    func candidates(memo: RowMemo = RowMemo()) -> [Candidate] {
        let shape = lowering.shape
        let u = units
        let rowUnit: Int
        if case .conv2D(let g) = lowering.source { rowUnit = g.outputWidth } else { rowUnit = 1 }
        let mStatic = sizes(extent: shape.m, unit: u.m)
        let kStatic = sizes(extent: lowering.kUnits, unit: u.k)
        let nStatic = sizes(extent: shape.n, unit: u.n)
        var triples: [Triple] = []
        for k in kStatic {
            let kT = k * lowering.kUnit
            // The largest fitting m per n at this k (the bisection is asked again for the same n).
            var fits: [Int: Int] = [:]
            func largestFittingM(n: Int) -> Int {
                if let known = fits[n] { return known }
                let fit = self.largestFittingM(kUnits: k, n: n, memo: memo)
                fits[n] = fit
                return fit
            }
            for n in nStatic {
                let fit = largestFittingM(n: n)
                for m in mStatic + derived(from: fit, extent: shape.m, unit: u.m, rowUnit: rowUnit) {
                    triples.append(Triple(m: m, k: k, n: n))
                }
            }
            for m in mStatic {
                let nFit = min(
                    shape.n, weight.tileBytes / max(1, kT * lowering.weightElementBytes),
                    output.tileBytes / max(1, m * 4))
                for n in derived(from: nFit, extent: shape.n, unit: u.n) {
                    triples.append(Triple(m: m, k: k, n: n))
                    let fit = largestFittingM(n: n)
                    for m2 in derived(from: fit, extent: shape.m, unit: u.m, rowUnit: rowUnit) {
                        triples.append(Triple(m: m2, k: k, n: n))
                    }
                }
            }
        }
        var result: [Candidate] = []
        result.reserveCapacity(2 * triples.count)
        for triple in Self.sortedDistinct(triples) {
            let (m, k, n) = (triple.m, triple.k, triple.n)
            guard fits(m: m, kUnits: k, n: n, memo: memo) else { continue }
            var compute: Int?
            for order in LoopOrder.allCases {
                let tiling = GEMMTiling(
                    mTile: m, kTile: k * lowering.kUnit, nTile: n, order: order, mTiles: ceilDiv(shape.m, m),
                    kTiles: ceilDiv(lowering.kUnits, k), nTiles: ceilDiv(shape.n, n))
                // The compute bound does not depend on the loop order: made once per size triple.
                let cycles = compute ?? computeCycles(tiling)
                compute = cycles
                result.append(Candidate(tiling: tiling, bound: bound(tiling, memo: memo, computeCycles: cycles)))
            }
        }
        return result
    }

    /// A tile size triple of the space (m pixels, k units, n filters), ordered lexicographically.
    struct Triple: Hashable, Comparable {
        var m: Int
        var k: Int
        var n: Int

        static func < (a: Triple, b: Triple) -> Bool {
            (a.m, a.k, a.n) < (b.m, b.k, b.n)
        }
    }

    /// Each distinct triple once, in lexicographic order. The triples are packed into one integer
    /// each (21 bits per size) when they fit, which sorts several times faster than the structs.
    static func sortedDistinct(_ triples: [Triple]) -> [Triple] {
        let limit = 1 << 21
        guard triples.allSatisfy({ $0.m < limit && $0.k < limit && $0.n < limit }) else {
            var sorted = triples.sorted()
            var write = 0
            for index in sorted.indices where index == 0 || sorted[index] != sorted[write - 1] {
                sorted[write] = sorted[index]
                write += 1
            }
            return Array(sorted.prefix(write))
        }
        var keys = triples.map { UInt64($0.m) << 42 | UInt64($0.k) << 21 | UInt64($0.n) }
        keys.sort()
        var result: [Triple] = []
        result.reserveCapacity(keys.count)
        var previous: UInt64?
        for key in keys where key != previous {
            previous = key
            let mask: UInt64 = (1 << 21) - 1
            result.append(Triple(m: Int(key >> 42), k: Int(key >> 21 & mask), n: Int(key & mask)))
        }
        return result
    }

    /// `extent` cut into tiles of `tile`: (size, count) of the full tiles and the remainder; a
    /// piece with count 0 is absent.
    private static func pieces(_ extent: Int, _ tile: Int) -> Pieces {
        Pieces(full: (tile, extent / tile), rest: (extent % tile, extent % tile > 0 ? 1 : 0))
    }

    /// The full tiles and the remainder of one dimension, iterated without an array.
    struct Pieces: Sequence {
        var full: (size: Int, count: Int)
        var rest: (size: Int, count: Int)

        struct Iterator: IteratorProtocol {
            var pieces: Pieces
            var position = 0
            mutating func next() -> (size: Int, count: Int)? {
                while position < 2 {
                    let piece = position == 0 ? pieces.full : pieces.rest
                    position += 1
                    if piece.count > 0 { return piece }
                }
                return nil
            }
        }

        func makeIterator() -> Iterator { Iterator(pieces: self) }
    }

    /// The array cycles of one SRAM tile of `m × k × n` whose stream range starts at 0: the fold
    /// shapes of ``FoldLayout/foldShapes(m:k:n:tileStartsReduction:)`` (full and remainder chunks of
    /// the row and column extents), without making the list.
    private func tileArrayCycles(m: Int, k: Int, n: Int) -> Int {
        let dataflow = layout.dataflow
        let d = dataflow.foldDimensions(of: GEMMShape(m: m, k: k, n: n))
        var total = 0
        for (rowSize, rowCount) in Self.pieces(d.rows, layout.rows) {
            for (colSize, colCount) in Self.pieces(d.cols, layout.cols) {
                let shape = dataflow.shape(of: FoldDimensions(rows: rowSize, cols: colSize, stream: d.stream))
                total += rowCount * colCount * foldCycles(shape).total
            }
        }
        return total
    }

    /// Lower bounds of `tiling`'s score (DRAM bytes exact); `computeCycles` is
    /// ``computeCycles(_:)`` of the tiling when known.
    func bound(_ tiling: GEMMTiling, memo: RowMemo, computeCycles known: Int? = nil) -> MappingScore {
        let shape = lowering.shape
        let groups = lowering.groups
        let estimate = self.estimate(
            tiling.order, m: tiling.mTile, kUnits: tiling.kTile / lowering.kUnit,
            n: tiling.nTile, memo: memo)
        let outputBytes = groups * shape.m * shape.n * lowering.outputElementBytes
        let dramBytes = estimate.totalBytes + outputBytes
        let compute = known ?? computeCycles(tiling)
        return dmaBound(
            tiling, memo: memo, estimate: estimate, dramBytes: dramBytes, outputBytes: outputBytes, compute: compute)
    }

    /// Every tile's folds and requantizer, exactly: the compute part of the cycle bound (the same
    /// for both loop orders).
    func computeCycles(_ tiling: GEMMTiling) -> Int {
        let shape = lowering.shape
        let groups = lowering.groups
        var array = 0
        var requantizer = 0
        let stream = layout.dataflow
        for (m, mCount) in Self.pieces(shape.m, tiling.mTile) {
            for (n, nCount) in Self.pieces(shape.n, tiling.nTile) {
                requantizer += mCount * nCount * ceilDiv(m * n, requantizerLanes)
                for (k, kCount) in Self.pieces(shape.k, tiling.kTile) {
                    let count = mCount * nCount * kCount
                    if convention == .scaleSim {
                        // Stream slices after the first pay only their stream cycles.
                        let d = stream.foldDimensions(of: GEMMShape(m: m, k: k, n: n))
                        let folds = layout.foldCount(m: m, k: k, n: n)
                        let full = tileArrayCycles(m: m, k: k, n: n)
                        let first: Int
                        switch stream {
                        case .weightStationary: first = m == tiling.mTile || tiling.mTiles == 1 ? 1 : 0
                        case .outputStationary: first = k == tiling.kTile || tiling.kTiles == 1 ? 1 : 0
                        case .inputStationary: first = n == tiling.nTile || tiling.nTiles == 1 ? 1 : 0
                        }
                        // Tiles of this size that start the stream: exactly one per stream position 0.
                        let starting: Int
                        switch stream {
                        case .weightStationary: starting = first * nCount * kCount
                        case .outputStationary: starting = first * mCount * nCount
                        case .inputStationary: starting = first * mCount * kCount
                        }
                        array += starting * full + (count - starting) * folds * d.stream
                    } else {
                        array += count * tileArrayCycles(m: m, k: k, n: n)
                    }
                }
            }
        }
        // Under scale_sim each group's last step is one cycle shorter (GEMMItemBuilder).
        return groups * (array + requantizer - (convention == .scaleSim ? 1 : 0))
    }

    /// Lower bounds of `tiling`'s score, continued: the DMA and the energy.
    private func dmaBound(
        _ tiling: GEMMTiling, memo: RowMemo, estimate: DRAMReadEstimate, dramBytes: Int, outputBytes: Int,
        compute: Int
    ) -> MappingScore {
        let shape = lowering.shape
        let groups = lowering.groups

        // DMA: the first loads and the last store bracket the compute; the engine is busy for
        // every transfer's latency and bytes.
        let kT0 = min(tiling.kTile, shape.k)
        let nT0 = min(tiling.nTile, shape.n)
        let mT0 = min(tiling.mTile, shape.m)
        let stats = rowStatistics(tiling.mTile, memo: memo)
        var firstInput = 0
        switch lowering.source {
        case .conv2D(let g):
            firstInput =
                g.inputRows(forPixels: 0..<mT0).count * g.inputWidth * (kT0 / g.taps) * lowering.inputElementBytes
        case .fullyConnected:
            firstInput = kT0 * lowering.inputElementBytes
        }
        var prologue = dma.cycles(bytes: kT0 * nT0 * lowering.weightElementBytes)
        if firstInput > 0 { prologue += dma.cycles(bytes: firstInput) }
        if lowering.biasBytes > 0 { prologue += dma.cycles(bytes: lowering.biasBytes) }
        let lastM = shape.m - (tiling.mTiles - 1) * tiling.mTile
        let lastN = shape.n - (tiling.nTiles - 1) * tiling.nTile
        let epilogue = dma.cycles(bytes: lastM * lastN * lowering.outputElementBytes)

        let passes = passes(tiling.order, mTiles: tiling.mTiles, kTiles: tiling.kTiles, nTiles: tiling.nTiles)
        let transfers =
            groups
            * (passes.input * stats.nonEmpty * tiling.kTiles + passes.weight * tiling.nTiles * tiling.kTiles
                + tiling.mTiles * tiling.nTiles) + (lowering.biasBytes > 0 ? 1 : 0)
        let dmaBusy = transfers * dma.latencyCycles + ceilDiv(dramBytes, dma.bandwidthBytesPerCycle)
        let cycles = max(prologue + compute + epilogue, dmaBusy)

        let loads = estimate.totalBytes
        let energy =
            Double(groups * shape.macs) * self.energy.macPJ + Double(dramBytes) * self.energy.dramPJPerByte
            + Double(loads - lowering.biasBytes) * self.energy.sramWritePJPerByte
            + Double(outputBytes) * self.energy.sramReadPJPerByte
        return MappingScore(cycles: cycles, dramBytes: dramBytes, energyPicojoules: energy)
    }

    /// How many times each operand is read per group (see docs/mapping.md): an operand tile is
    /// loaded whenever it differs from the previous step's.
    private func passes(_ order: LoopOrder, mTiles: Int, kTiles: Int, nTiles: Int) -> (input: Int, weight: Int) {
        switch order {
        case .weightsOuter:
            // for n: for m: for k — the weight tile survives the m loop only when k has one chunk;
            // the input tile survives the n loop only when m and k have one tile each.
            return ((mTiles == 1 && kTiles == 1) ? 1 : nTiles, kTiles == 1 ? 1 : mTiles)
        case .inputsOuter:
            return (kTiles == 1 ? 1 : nTiles, (nTiles == 1 && kTiles == 1) ? 1 : mTiles)
        }
    }

    /// The DRAM bytes read with `m` pixels, `kUnits` k-units and `n` filters per tile in `order`.
    func estimate(_ order: LoopOrder, m: Int, kUnits: Int, n: Int, memo: RowMemo = RowMemo()) -> DRAMReadEstimate {
        let shape = lowering.shape
        let p = passes(
            order, mTiles: ceilDiv(shape.m, m), kTiles: ceilDiv(lowering.kUnits, kUnits),
            nTiles: ceilDiv(shape.n, n))
        let inputOnce: Int
        switch lowering.source {
        case .conv2D(let g):
            inputOnce =
                rowStatistics(m, memo: memo).total * g.inputWidth * g.groupInputChannels * lowering.inputElementBytes
        case .fullyConnected:
            inputOnce = shape.k * lowering.inputElementBytes
        }
        let weightOnce = shape.k * shape.n * lowering.weightElementBytes
        return DRAMReadEstimate(
            order: order, inputBytes: lowering.groups * p.input * inputOnce,
            weightBytes: lowering.groups * p.weight * weightOnce, biasBytes: lowering.biasBytes)
    }

    // MARK: - Choosing

    /// The ranking key of an evaluated candidate: its score's key, then fewer tiles, weights-outer,
    /// the larger mT, nT, kT.
    func key(_ score: MappingScore, _ tiling: GEMMTiling) -> [Double] {
        score.key(objective) + [
            Double(tiling.tilesPerGroup), tiling.order == .weightsOuter ? 0 : 1,
            Double(-tiling.mTile), Double(-tiling.nTile), Double(-tiling.kTile),
        ]
    }

    /// The scorer of this layer's tilings: the score of the layer each would build, computed
    /// without building it.
    var scorer: TilingScorer {
        TilingScorer(
            lowering: lowering, layout: layout, input: input, weight: weight, output: output,
            requantizerLanes: requantizerLanes, continuesStreams: convention == .scaleSim, dma: dma, energy: energy,
            foldCycles: foldCycles)
    }

    /// The best candidate under the objective, and the `keep` best evaluated ones (ranked), scored
    /// by `score` (by default ``scorer``, which equals the built layer's score); or an error naming
    /// the buffer the smallest tile overflows.
    func choose(layer: String, keep: Int = 1, score: ((GEMMTiling) -> MappingScore)? = nil) throws(MappingError)
        -> Choice
    {
        let memo = RowMemo()
        let all = candidates(memo: memo)
        guard !all.isEmpty else { throw noFit(layer: layer, memo: memo) }
        // Candidates in increasing order of (bound, position), taken from a heap: the search
        // usually stops after a few, so sorting them all would be wasted.
        var queue = BoundQueue(all.map { $0.bound.value(objective) })
        let values = queue.values
        let scorer = self.scorer
        let score = score ?? { scorer.score($0) }
        var ranked: [(key: [Double], value: Evaluated)] = []
        var evaluated = 0
        while let index = queue.pop() {
            let candidate = all[index]
            if ranked.count >= keep, let worst = ranked.last, values[index] > worst.value.score.value(objective) {
                break
            }
            let measured = score(candidate.tiling)
            evaluated += 1
            let entry = (
                key: key(measured, candidate.tiling), value: Evaluated(tiling: candidate.tiling, score: measured)
            )
            let position = ranked.firstIndex { entry.key.lexicographicallyPrecedes($0.key) } ?? ranked.count
            if position < keep {
                ranked.insert(entry, at: position)
                if ranked.count > keep { ranked.removeLast() }
            }
        }
        let best = ranked[0].value
        let estimates = LoopOrder.allCases.map {
            estimate(
                $0, m: best.tiling.mTile, kUnits: best.tiling.kTile / lowering.kUnit, n: best.tiling.nTile, memo: memo)
        }
        return Choice(
            best: best, ranked: ranked.map(\.value), estimates: estimates, candidates: all.count,
            evaluated: evaluated)
    }

    private func noFit(layer: String, memo: RowMemo) -> MappingError {
        let u = units
        let aligned = convention == .scaleSim
        let m = aligned ? min(u.m, lowering.shape.m) : 1
        let k = aligned ? min(u.k, lowering.kUnits) : 1
        let n = aligned ? min(u.n, lowering.shape.n) : 1
        let smallest = requirement(m: m, kUnits: k, n: n, memo: memo)
        let problems = smallest.shortfalls(input: input, weight: weight, output: output)
        let what = aligned ? "the smallest SCALE-Sim-aligned tile " : "the smallest tile "
        return MappingError(
            layer: layer, buffer: problems.first?.key, what + problems.map(\.message).joined(separator: "; and "))
    }
}

/// Candidate indices in increasing order of (value, index): a binary min-heap, so taking the
/// first few of thousands costs little more than building it.
struct BoundQueue {
    let values: [Double]
    private var heap: [Int]

    init(_ values: [Double]) {
        self.values = values
        heap = Array(values.indices)
        var node = heap.count / 2 - 1
        while node >= 0 {
            siftDown(node)
            node -= 1
        }
    }

    private func precedes(_ a: Int, _ b: Int) -> Bool {
        values[a] != values[b] ? values[a] < values[b] : a < b
    }

    private mutating func siftDown(_ start: Int) {
        var node = start
        while true {
            let left = 2 * node + 1
            guard left < heap.count else { return }
            var smallest = node
            if precedes(heap[left], heap[smallest]) { smallest = left }
            if left + 1 < heap.count, precedes(heap[left + 1], heap[smallest]) { smallest = left + 1 }
            if smallest == node { return }
            heap.swapAt(node, smallest)
            node = smallest
        }
    }

    /// The next index, or nil when all were taken.
    mutating func pop() -> Int? {
        guard let first = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            siftDown(0)
        }
        return first
    }
}

/// `ceil(a / b)` for `a ≥ 0`, `b ≥ 1`.
func ceilDiv(_ a: Int, _ b: Int) -> Int {
    (a + b - 1) / b
}

/// `value` rounded up to a multiple of `unit`.
func roundUp(_ value: Int, _ unit: Int) -> Int {
    ceilDiv(value, unit) * unit
}

/// The greatest common divisor of two positive integers.
func gcd(_ a: Int, _ b: Int) -> Int {
    var (x, y) = (a, b)
    while y != 0 { (x, y) = (y, x % y) }
    return x
}
