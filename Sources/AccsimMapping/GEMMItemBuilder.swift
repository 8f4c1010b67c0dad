import AccsimHardware
import AccsimTiming

/// Walks a GEMM layer's SRAM tiles in loop order (groups outermost) and turns each into a work
/// item: the loads of the tiles that changed since the previous step, the folds and their cycles,
/// the requantizer after the last k-chunk, and the store of the completed output tile.
struct GEMMItemBuilder {
    let lowering: GEMMLowering
    let tiling: GEMMTiling
    let layout: FoldLayout
    let memory: DRAMMemoryMap
    let requantizerLanes: Int
    let foldCycles: FoldCycleFunction
    /// SCALE-Sim's convention: a fold's stream is not restarted by SRAM tiling, so a tile whose
    /// stream range does not start at 0 continues the folds of the tile before it along the stream
    /// and pays only its stream cycles (SCALE-Sim counts every fold once, with its full stream).
    var continuesStreams = false

    /// The items, and the cycles of every fold shape used.
    func build() -> (items: [WorkItem], foldCycles: [GEMMShape: TileCycles]) {
        var items: [WorkItem] = []
        items.reserveCapacity(lowering.groups * tiling.tilesPerGroup)
        var cache: [GEMMShape: TileCycles] = [:]
        // A tile's compute step depends only on its sizes, whether it starts or ends the reduction
        // and whether it continues a stream: at most 32 kinds per layer, each made once. Slot: (m
        // is the last tile, n is the last tile, k position, continuing), which fix the sizes.
        var computes = [ComputeStep?](repeating: nil, count: 32)
        let bases = Bases(
            input: memory.address(of: lowering.input) ?? 0, weights: memory.address(of: lowering.weights) ?? 0,
            output: memory.address(of: lowering.output) ?? 0)
        var previousInput = (-1, -1, -1)
        var previousWeight = (-1, -1, -1)
        let outer = tiling.order == .weightsOuter ? tiling.nTiles : tiling.mTiles
        let inner = tiling.order == .weightsOuter ? tiling.mTiles : tiling.nTiles
        for group in 0..<lowering.groups {
            for o in 0..<outer {
                for i in 0..<inner {
                    let (mIndex, nIndex) = tiling.order == .weightsOuter ? (i, o) : (o, i)
                    for kIndex in 0..<tiling.kTiles {
                        let tile = makeTile(group: group, mIndex: mIndex, nIndex: nIndex, kIndex: kIndex)
                        var loads: [PendingTransfer] = []
                        if (group, mIndex, kIndex) != previousInput {
                            previousInput = (group, mIndex, kIndex)
                            if let load = inputLoad(tile, base: bases.input) { loads.append(load) }
                        }
                        if (group, nIndex, kIndex) != previousWeight {
                            previousWeight = (group, nIndex, kIndex)
                            loads.append(weightLoad(tile, base: bases.weights))
                        }
                        let streamRange = layout.dataflow.streamRange(m: tile.m, k: tile.k, n: tile.n)
                        let continuing = continuesStreams && streamRange.lowerBound > 0
                        let position =
                            tiling.kTiles == 1 ? 3 : (kIndex == 0 ? 0 : (kIndex == tiling.kTiles - 1 ? 2 : 1))
                        let slot =
                            (((mIndex == tiling.mTiles - 1 ? 2 : 0) + (nIndex == tiling.nTiles - 1 ? 1 : 0)) * 4
                                + position) * 2 + (continuing ? 1 : 0)
                        var compute: ComputeStep
                        if var known = computes[slot] {
                            known.work = .gemm(tile)
                            compute = known
                        } else {
                            compute = computeStep(tile, continuing: continuing, cache: &cache)
                            computes[slot] = compute
                        }
                        if continuesStreams && isLastStep(o: o, i: i, kIndex: kIndex) {
                            // SCALE-Sim 3.0.0 reports a layer's compute cycles as the index of its
                            // last cycle: folds × per-fold − 1 (per depthwise channel).
                            compute.arrayPhases.stream -= 1
                        }
                        items.append(
                            WorkItem(
                                loads: loads, startsOutputGeneration: tile.isFirstChunk, compute: compute,
                                stores: tile.isLastChunk ? [outputStore(tile, base: bases.output)] : []))
                    }
                }
            }
        }
        return (items, cache)
    }

    /// The DRAM addresses of the layer's tensors.
    private struct Bases {
        var input: Int
        var weights: Int
        var output: Int
    }

    private func isLastStep(o: Int, i: Int, kIndex: Int) -> Bool {
        let outer = tiling.order == .weightsOuter ? tiling.nTiles : tiling.mTiles
        let inner = tiling.order == .weightsOuter ? tiling.mTiles : tiling.nTiles
        return o == outer - 1 && i == inner - 1 && kIndex == tiling.kTiles - 1
    }

    private func makeTile(group: Int, mIndex: Int, nIndex: Int, kIndex: Int) -> GEMMTile {
        let shape = lowering.shape
        let m = mIndex * tiling.mTile..<min(shape.m, (mIndex + 1) * tiling.mTile)
        let n = nIndex * tiling.nTile..<min(shape.n, (nIndex + 1) * tiling.nTile)
        let k = kIndex * tiling.kTile..<min(shape.k, (kIndex + 1) * tiling.kTile)
        return GEMMTile(
            group: group, mIndex: mIndex, nIndex: nIndex, kIndex: kIndex, m: m, n: n, k: k,
            isLastChunk: kIndex == tiling.kTiles - 1, layout: layout)
    }

    private func computeStep(_ tile: GEMMTile, continuing: Bool, cache: inout [GEMMShape: TileCycles]) -> ComputeStep {
        var phases = TileCycles.zero
        var accesses = ComputeAccesses()
        let shapes = layout.foldShapes(
            m: tile.m.count, k: tile.k.count, n: tile.n.count,
            tileStartsReduction: tile.isFirstChunk)
        let streamRange = layout.dataflow.streamRange(m: tile.m, k: tile.k, n: tile.n)
        for (shape, count, starting) in shapes {
            let cycles: TileCycles
            if continuing {
                cycles = TileCycles(preload: 0, stream: streamRange.count, drain: 0)
            } else if let cached = cache[shape] {
                cycles = cached
            } else {
                cycles = foldCycles(shape)
                cache[shape] = cycles
            }
            // A multi-pass fold (operands wider than the multipliers) runs `passes` times: each
            // pass streams one activation slice against one weight slice, so each activation
            // byte is read once per weight slice and each weight byte once per activation slice.
            phases += cycles * (count * lowering.passes)
            // Every operand byte entering the array is one SRAM read: m·k inputs and k·n weights per fold.
            accesses.inputBufferReads += count * shape.m * shape.k * lowering.inputElementBytes * lowering.weightSlices
            accesses.weightBufferReads +=
                count * shape.k * shape.n * lowering.weightElementBytes * lowering.activationSlices
            // Each fold writes its m·n int32 partial sums and, unless it starts the reduction, reads them first.
            accesses.outputBufferWrites += count * shape.m * shape.n * 4
            accesses.outputBufferReads += (count - starting) * shape.m * shape.n * 4
            accesses.macs += count * shape.macs
        }
        var requantizerCycles = 0
        if tile.isLastChunk {
            let outputs = tile.m.count * tile.n.count
            requantizerCycles = ceilDiv(outputs, requantizerLanes)
            accesses.requantizerOps = outputs
            accesses.outputBufferReads += outputs * 4
            accesses.outputBufferWrites += outputs * lowering.outputElementBytes
        }
        return ComputeStep(
            work: .gemm(tile), arrayPhases: phases, requantizerCycles: requantizerCycles,
            vectorCycles: 0, waitsFor: [], outputHalf: 0, accesses: accesses)
    }

    /// The input tile of `tile`, or nil when its rows all fall in the padding.
    private func inputLoad(_ tile: GEMMTile, base: Int) -> PendingTransfer? {
        let width = lowering.inputElementBytes
        switch lowering.source {
        case .conv2D(let g):
            let outputRows = tile.m.lowerBound / g.outputWidth..<ceilDiv(tile.m.upperBound, g.outputWidth)
            let rows = g.inputRows(forOutputRows: outputRows)
            guard !rows.isEmpty else { return nil }
            let channel = tile.group * g.groupInputChannels + tile.k.lowerBound / g.taps
            let channels = tile.k.count / g.taps
            return PendingTransfer(
                direction: .load, buffer: .input, tensor: lowering.input,
                dramAddress: base + (rows.lowerBound * g.inputWidth * g.inputChannels + channel) * width,
                pattern: DMAPattern(
                    count: rows.count * g.inputWidth, chunkBytes: channels * width,
                    strideBytes: g.inputChannels * width))
        case .fullyConnected:
            return PendingTransfer(
                direction: .load, buffer: .input, tensor: lowering.input,
                dramAddress: base + tile.k.lowerBound * width, pattern: .contiguous(tile.k.count * width))
        }
    }

    /// The weight tile of `tile`: filters `n` of the group, reduction range `k`.
    private func weightLoad(_ tile: GEMMTile, base: Int) -> PendingTransfer {
        let width = lowering.weightElementBytes
        let filter = tile.group * lowering.shape.n + tile.n.lowerBound
        switch lowering.source {
        case .conv2D(let g):
            // OHWI weights: per filter and tap, the chunk's channels are contiguous, Cin/groups apart.
            let channel = tile.k.lowerBound / g.taps
            let channels = tile.k.count / g.taps
            return PendingTransfer(
                direction: .load, buffer: .weight, tensor: lowering.weights,
                dramAddress: base + (filter * g.taps * g.groupInputChannels + channel) * width,
                pattern: DMAPattern(
                    count: tile.n.count * g.taps, chunkBytes: channels * width,
                    strideBytes: g.groupInputChannels * width))
        case .fullyConnected:
            return PendingTransfer(
                direction: .load, buffer: .weight, tensor: lowering.weights,
                dramAddress: base + (filter * lowering.shape.k + tile.k.lowerBound) * width,
                pattern: DMAPattern(
                    count: tile.n.count, chunkBytes: tile.k.count * width,
                    strideBytes: lowering.shape.k * width))
        }
    }

    /// The store of `tile`'s outputs: its pixels × its filters of the NHWC (or `[N, O]`) output.
    private func outputStore(_ tile: GEMMTile, base: Int) -> PendingTransfer {
        let width = lowering.outputElementBytes
        let channels = lowering.groups * lowering.shape.n
        let channel = tile.group * lowering.shape.n + tile.n.lowerBound
        return PendingTransfer(
            direction: .store, buffer: .output, tensor: lowering.output,
            dramAddress: base + (tile.m.lowerBound * channels + channel) * width,
            pattern: DMAPattern(count: tile.m.count, chunkBytes: tile.n.count * width, strideBytes: channels * width))
    }
}
