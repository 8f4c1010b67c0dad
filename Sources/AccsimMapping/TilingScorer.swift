import AccsimHardware
import AccsimTiming

/// The score of a GEMM tiling (cycles on its timeline, DRAM bytes, energy) computed by walking the
/// layer's loop nest once with a few integers of state, without building its work items, schedule
/// steps or timeline: the search scores every candidate it evaluates this way and builds only the
/// one it chooses.
///
/// It follows, step for step, what ``GEMMItemBuilder``, ``StepEmitter`` and ``Timeline`` do to a
/// GEMM layer, so its score equals ``Mapper``'s score of the built layer exactly (the tests check
/// every candidate of random layers):
/// - DMA order: the bias, item 0's loads, then per item `i` the next item's loads into
///   double-buffered buffers, compute `i`, the next item's loads into single-buffered buffers and
///   item `i`'s store; one engine serves them in that order.
/// - A load of buffer generation `g` waits for the compute step before the first user of
///   generation `g − 1` (double-buffered) or of `g` (single-buffered), once `g ≥` the depth; a
///   compute step waits for its loads, the bias (first step) and, when it starts output tile `t`,
///   the store of tile `t − depth`; compute steps run back to back in order.
/// - Traffic: loads write their buffer, stores read the output buffer, folds read their operands
///   and read-modify-write the accumulators (``GEMMItemBuilder``'s counts).
struct TilingScorer {
    let lowering: GEMMLowering
    let layout: FoldLayout
    let inputDoubleBuffered: Bool
    let weightDoubleBuffered: Bool
    let outputDoubleBuffered: Bool
    let requantizerLanes: Int
    let continuesStreams: Bool
    let dma: DMACostModel
    let energy: EnergyConfig
    let foldCycles: FoldCycleFunction

    init(
        lowering: GEMMLowering, layout: FoldLayout, input: BufferSpace, weight: BufferSpace, output: BufferSpace,
        requantizerLanes: Int, continuesStreams: Bool, dma: DMACostModel, energy: EnergyConfig,
        foldCycles: @escaping FoldCycleFunction
    ) {
        self.lowering = lowering
        self.layout = layout
        inputDoubleBuffered = input.config.doubleBuffered
        weightDoubleBuffered = weight.config.doubleBuffered
        outputDoubleBuffered = output.config.doubleBuffered
        self.requantizerLanes = requantizerLanes
        self.continuesStreams = continuesStreams
        self.dma = dma
        self.energy = energy
        self.foldCycles = foldCycles
    }

    /// What one tile of a given size costs and does, apart from its loads and store.
    private struct TileClass {
        /// Array + requantizer cycles of a tile whose stream range starts at 0.
        var cycles = 0
        /// Array + requantizer cycles of a tile that continues a stream (scale_sim), else `cycles`.
        var continuingCycles = 0
        var inputReads = 0
        var weightReads = 0
        var outputReads = 0
        var outputWrites = 0
        var macs = 0
        var storeBytes = 0
    }

    /// The class of a tile of `m × k × n` that starts the reduction (`first`) and/or completes it
    /// (`last`): its fold shapes are those of ``FoldLayout/foldShapes(m:k:n:tileStartsReduction:)``
    /// (full and remainder chunks of the row and column extents), walked without making the list.
    private func tileClass(m: Int, k: Int, n: Int, first: Bool, last: Bool) -> TileClass {
        var result = TileClass()
        var array = 0
        var folds = 0
        let dataflow = layout.dataflow
        let d = dataflow.foldDimensions(of: GEMMShape(m: m, k: k, n: n))
        let kSpansRows = dataflow != .outputStationary
        let rowChunks = Self.chunks(d.rows, layout.rows)
        let colChunks = Self.chunks(d.cols, layout.cols)
        for rowPiece in 0..<2 {
            let row = rowPiece == 0 ? rowChunks.full : rowChunks.rest
            guard row.count > 0 else { continue }
            // The first row chunk: the full ones if any, else the remainder.
            let rowIsFirst = rowPiece == 0 || rowChunks.full.count == 0
            for colPiece in 0..<2 {
                let col = colPiece == 0 ? colChunks.full : colChunks.rest
                guard col.count > 0 else { continue }
                let shape = dataflow.shape(of: FoldDimensions(rows: row.size, cols: col.size, stream: d.stream))
                let count = row.count * col.count
                var starting = 0
                if first {
                    // With k on the rows, only the folds of row chunk 0 (one per column chunk) start it.
                    starting = kSpansRows ? (rowIsFirst ? col.count : 0) : count
                }
                array += foldCycles(shape).total * (count * lowering.passes)
                folds += count
                result.inputReads += count * shape.m * shape.k * lowering.inputElementBytes * lowering.weightSlices
                result.weightReads +=
                    count * shape.k * shape.n * lowering.weightElementBytes * lowering.activationSlices
                result.outputWrites += count * shape.m * shape.n * 4
                result.outputReads += (count - starting) * shape.m * shape.n * 4
                result.macs += count * shape.macs
            }
        }
        var requantizer = 0
        if last {
            let outputs = m * n
            requantizer = ceilDiv(outputs, requantizerLanes)
            result.outputReads += outputs * 4
            result.outputWrites += outputs * lowering.outputElementBytes
            result.storeBytes = outputs * lowering.outputElementBytes
        }
        result.cycles = array + requantizer
        result.continuingCycles = folds * lowering.passes * d.stream + requantizer
        return result
    }

    /// `extent` in chunks of `size`: the full chunks and the remainder, with counts.
    private static func chunks(_ extent: Int, _ size: Int) -> (
        full: (size: Int, count: Int), rest: (size: Int, count: Int)
    ) {
        ((size, extent / size), (extent % size, extent % size > 0 ? 1 : 0))
    }

    /// The score of the layer built with `tiling`.
    func score(_ tiling: GEMMTiling) -> MappingScore {
        let shape = lowering.shape
        let (mTiles, kTiles, nTiles) = (tiling.mTiles, tiling.kTiles, tiling.nTiles)
        let lastM = shape.m - (mTiles - 1) * tiling.mTile
        let lastN = shape.n - (nTiles - 1) * tiling.nTile
        let lastK = shape.k - (kTiles - 1) * tiling.kTile

        // Tile classes by (m is the last tile, n is the last tile, k position): position 0 = first
        // chunk of several, 1 = a middle one, 2 = the last of several, 3 = the only one. Made when
        // first met.
        var classes = [TileClass?](repeating: nil, count: 16)
        func tileClass(mLast: Bool, nLast: Bool, position: Int) -> TileClass {
            let slot = ((mLast ? 2 : 0) + (nLast ? 1 : 0)) * 4 + position
            if let known = classes[slot] { return known }
            let made = self.tileClass(
                m: mLast ? lastM : tiling.mTile, k: position >= 2 ? lastK : tiling.kTile,
                n: nLast ? lastN : tiling.nTile, first: position == 0 || position == 3, last: position >= 2)
            classes[slot] = made
            return made
        }

        let geometry: ConvGeometry?
        if case .conv2D(let g) = lowering.source { geometry = g } else { geometry = nil }
        let inputElementBytes = lowering.inputElementBytes
        let weightElementBytes = lowering.weightElementBytes

        // Timeline state: the DMA engine's free time, the previous compute step's end.
        var dmaFree = 0
        var computeEnd = 0
        var computed = false
        // Traffic.
        var dramBytes = 0
        var inputWrites = 0
        var weightWrites = 0
        var storeReads = 0
        var inputReads = 0
        var weightReads = 0
        var outputReads = 0
        var outputWrites = 0
        var macs = 0

        var biasEnd: Int?
        if lowering.bias != nil, lowering.biasBytes > 0 {
            dmaFree = dma.cycles(bytes: lowering.biasBytes)
            biasEnd = dmaFree
            dramBytes += lowering.biasBytes
        }

        var input = BufferState(doubleBuffered: inputDoubleBuffered)
        var weight = BufferState(doubleBuffered: weightDoubleBuffered)
        let outputDepth = outputDoubleBuffered ? 2 : 1
        var outputGeneration = -1
        // The store ends of the two latest completed output tiles.
        var olderStoreEnd = 0
        var newerStoreEnd = 0

        let outer = tiling.order == .weightsOuter ? nTiles : mTiles
        let inner = tiling.order == .weightsOuter ? mTiles : nTiles
        let itemCount = lowering.groups * outer * inner * kTiles
        let weightsOuter = tiling.order == .weightsOuter

        // The loads an item needs (bytes; 0: none), as GEMMItemBuilder decides them: an operand
        // tile is loaded when its (group, index, k-chunk) differs from the previous item's.
        var previousInput = (-1, -1, -1)
        var previousWeight = (-1, -1, -1)
        func loads(group: Int, mIndex: Int, nIndex: Int, kIndex: Int) -> (input: Int, weight: Int) {
            let kCount = kIndex == kTiles - 1 ? lastK : tiling.kTile
            var inputBytes = 0
            if (group, mIndex, kIndex) != previousInput {
                previousInput = (group, mIndex, kIndex)
                if let g = geometry {
                    let m0 = mIndex * tiling.mTile
                    let rows = g.inputRows(forPixels: m0..<min(shape.m, m0 + tiling.mTile)).count
                    inputBytes = rows * g.inputWidth * (kCount / g.taps) * inputElementBytes
                } else {
                    inputBytes = kCount * inputElementBytes
                }
            }
            var weightBytes = 0
            if (group, nIndex, kIndex) != previousWeight {
                previousWeight = (group, nIndex, kIndex)
                weightBytes = (nIndex == nTiles - 1 ? lastN : tiling.nTile) * kCount * weightElementBytes
            }
            return (inputBytes, weightBytes)
        }

        // Issues a load of `bytes` into `buffer` for item `item`; returns its end.
        func issue(_ buffer: inout BufferState, bytes: Int, item: Int) -> Int {
            let generation = buffer.generations
            buffer.generations += 1
            var start = dmaFree
            if buffer.doubleBuffered {
                // The half was last used up to the step before the first user of generation − 1.
                if generation >= 2 { start = max(start, buffer.freedAt) }
                buffer.pendingItem = item
            } else if generation >= 1 {
                // The buffer was last used by the previous item, whose compute just ran.
                start = max(start, computeEnd)
            }
            dmaFree = start + dma.cycles(bytes: bytes)
            dramBytes += bytes
            return dmaFree
        }

        // Item 0's loads: every buffer, input first.
        var group = 0
        var o = 0
        var i = 0
        var kIndex = 0
        var readyOfCurrent = 0
        do {
            let first = loads(group: 0, mIndex: 0, nIndex: 0, kIndex: 0)
            if first.input > 0 {
                readyOfCurrent = max(readyOfCurrent, issue(&input, bytes: first.input, item: 0))
                inputWrites += first.input
            }
            if first.weight > 0 {
                readyOfCurrent = max(readyOfCurrent, issue(&weight, bytes: first.weight, item: 0))
                weightWrites += first.weight
            }
        }

        for index in 0..<itemCount {
            let mIndex = weightsOuter ? i : o
            let nIndex = weightsOuter ? o : i
            // The next item's indices and loads.
            var (nextGroup, nextO, nextI, nextK) = (group, o, i, kIndex + 1)
            if nextK == kTiles {
                nextK = 0
                nextI += 1
                if nextI == inner {
                    nextI = 0
                    nextO += 1
                    if nextO == outer {
                        nextO = 0
                        nextGroup += 1
                    }
                }
            }
            var next = (input: 0, weight: 0)
            if index + 1 < itemCount {
                next = loads(
                    group: nextGroup, mIndex: weightsOuter ? nextI : nextO, nIndex: weightsOuter ? nextO : nextI,
                    kIndex: nextK)
                inputWrites += next.input
                weightWrites += next.weight
            }
            // Its loads into double-buffered buffers, input first.
            var readyOfNext = 0
            if next.input > 0 && input.doubleBuffered {
                readyOfNext = max(readyOfNext, issue(&input, bytes: next.input, item: index + 1))
            }
            if next.weight > 0 && weight.doubleBuffered {
                readyOfNext = max(readyOfNext, issue(&weight, bytes: next.weight, item: index + 1))
            }

            // Compute `index`.
            let position = kTiles == 1 ? 3 : (kIndex == 0 ? 0 : (kIndex == kTiles - 1 ? 2 : 1))
            let c = tileClass(mLast: mIndex == mTiles - 1, nLast: nIndex == nTiles - 1, position: position)
            var ready = readyOfCurrent
            if index == 0, let biasEnd { ready = max(ready, biasEnd) }
            if kIndex == 0 {
                // A new output tile: it waits for the store of the tile `depth` before it.
                outputGeneration += 1
                if outputGeneration >= outputDepth {
                    ready = max(ready, outputDepth == 2 ? olderStoreEnd : newerStoreEnd)
                }
            }
            var cycles = c.cycles
            if continuesStreams {
                let streamIndex: Int
                switch layout.dataflow {
                case .weightStationary: streamIndex = mIndex
                case .outputStationary: streamIndex = kIndex
                case .inputStationary: streamIndex = nIndex
                }
                if streamIndex > 0 { cycles = c.continuingCycles }
                if o == outer - 1 && i == inner - 1 && kIndex == kTiles - 1 { cycles -= 1 }
            }
            computeEnd = (computed ? max(computeEnd, ready) : ready) + cycles
            computed = true
            inputReads += c.inputReads
            weightReads += c.weightReads
            outputReads += c.outputReads
            outputWrites += c.outputWrites
            macs += c.macs
            // This step is the one before the first user of a generation just loaded.
            if input.pendingItem == index + 1 { input.freedAt = computeEnd }
            if weight.pendingItem == index + 1 { weight.freedAt = computeEnd }

            // The next item's loads into single-buffered buffers.
            if next.input > 0 && !input.doubleBuffered {
                readyOfNext = max(readyOfNext, issue(&input, bytes: next.input, item: index + 1))
            }
            if next.weight > 0 && !weight.doubleBuffered {
                readyOfNext = max(readyOfNext, issue(&weight, bytes: next.weight, item: index + 1))
            }
            // The store of a completed output tile.
            if position >= 2 {
                dmaFree = max(dmaFree, computeEnd) + dma.cycles(bytes: c.storeBytes)
                dramBytes += c.storeBytes
                storeReads += c.storeBytes
                olderStoreEnd = newerStoreEnd
                newerStoreEnd = dmaFree
            }
            readyOfCurrent = readyOfNext
            (group, o, i, kIndex) = (nextGroup, nextO, nextI, nextK)
        }

        var traffic = LayerTraffic()
        traffic.dramInputReadBytes = dramBytes  // the energy takes only the sum of DRAM bytes
        traffic.input = BufferTraffic(reads: inputReads, writes: inputWrites)
        traffic.weight = BufferTraffic(reads: weightReads, writes: weightWrites)
        traffic.output = BufferTraffic(reads: outputReads + storeReads, writes: outputWrites)
        traffic.macs = macs
        return MappingScore(
            cycles: max(dmaFree, computeEnd), dramBytes: dramBytes, energyPicojoules: traffic.energyPicojoules(energy))
    }

    /// The load bookkeeping of the input or the weight buffer.
    private struct BufferState {
        var doubleBuffered: Bool
        /// Generations loaded so far.
        var generations = 0
        /// Double-buffered: the end of the compute step before the first user of the newest
        /// generation (a load two generations on waits for it, as the half is free then).
        var freedAt = 0
        /// The first item of the newest generation, until the step before it has run (−1: none).
        var pendingItem = -1
    }
}
