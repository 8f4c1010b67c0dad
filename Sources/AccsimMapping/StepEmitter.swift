import AccsimTiming

/// Orders a layer's work items into schedule steps and wires their dependencies.
///
/// Each load into a buffer starts a new generation of that buffer; generation `j` goes to half
/// `j mod 2` when the buffer is double-buffered (half 0 otherwise) and may only start once
/// generation `j − 2` (double-buffered) or `j − 1` (single-buffered) is no longer used, i.e. after
/// the last compute step that used it. Output tiles are generations of the output buffer: a step
/// that starts output tile `j` waits for the stores of tile `j − 2` (or `j − 1`).
///
/// Emission order (the DMA engine serves transfers in this order):
/// `params, loads(0), then for each item i: loads(i+1) of double-buffered buffers, compute(i),
/// loads(i+1) of single-buffered buffers, stores(i)`. Every dependency names an earlier step, so
/// the timeline is computed in one pass, and prefetching never blocks the DMA engine on a compute
/// step that itself waits for a later transfer.
struct StepEmitter {
    let input: BufferSpace
    let weight: BufferSpace
    let output: BufferSpace

    /// Emits `parameterLoads` (the requantizer's bias, before everything else) and `items`,
    /// numbering steps from `firstSequence`.
    func emit(parameterLoads: [PendingTransfer], items: [WorkItem], firstSequence: Int) -> [ScheduleStep] {
        var state = EmissionState(firstSequence: firstSequence, itemCount: items.count)
        state.steps.reserveCapacity(items.reduce(parameterLoads.count) { $0 + $1.loads.count + 1 + $1.stores.count })
        for load in parameterLoads {
            let sequence = state.append(
                .transfer(
                    DMATransfer(
                        direction: .load, buffer: .parameters, tensor: load.tensor, dramAddress: load.dramAddress,
                        pattern: load.pattern, sramAddress: 0, bank: 0, half: 0, after: nil)))
            state.parameterSequences.append(sequence)
        }
        guard !items.isEmpty else { return state.steps }
        emitLoads(of: 0, items: items, doubleBuffered: nil, state: &state)
        for index in items.indices {
            if index + 1 < items.count {
                emitLoads(of: index + 1, items: items, doubleBuffered: true, state: &state)
            }
            emitCompute(of: index, items: items, state: &state)
            if index + 1 < items.count {
                emitLoads(of: index + 1, items: items, doubleBuffered: false, state: &state)
            }
            emitStores(of: index, items: items, state: &state)
        }
        return state.steps
    }

    private func space(_ kind: BufferKind) -> BufferSpace {
        switch kind {
        case .input: input
        case .weight: weight
        case .output, .parameters: output
        }
    }

    /// Emits item `index`'s loads into the buffers whose double-buffering equals `doubleBuffered`
    /// (all buffers when nil).
    private func emitLoads(of index: Int, items: [WorkItem], doubleBuffered: Bool?, state: inout EmissionState) {
        var offsets = PerBuffer(0)
        for load in items[index].loads {
            let space = space(load.buffer)
            if let doubleBuffered, space.config.doubleBuffered != doubleBuffered { continue }
            let generation = state.generation(of: load.buffer, startedBy: index)
            let depth = space.config.doubleBuffered ? 2 : 1
            var after: Int?
            if generation - depth >= 0 {
                // The last user of generation g is the item before the first user of g + 1.
                let lastUser = state.firstItem[load.buffer][generation - depth + 1] - 1
                after = state.computeSequence[lastUser]
            }
            let half = space.config.doubleBuffered ? generation % 2 : 0
            let address = space.base(half: half) + offsets[load.buffer]
            offsets[load.buffer] += load.pattern.bytes
            let sequence = state.append(
                .transfer(
                    DMATransfer(
                        direction: .load, buffer: load.buffer, tensor: load.tensor, dramAddress: load.dramAddress,
                        pattern: load.pattern, sramAddress: address, bank: space.bank(of: address), half: half,
                        after: after)))
            state.appendLoad(sequence, item: index)
        }
    }

    private func emitCompute(of index: Int, items: [WorkItem], state: inout EmissionState) {
        var compute = items[index].compute
        var waits: [Int] = []
        let loads = state.loads(of: index)
        waits.reserveCapacity(loads.count + (index == 0 ? state.parameterSequences.count : 0) + 1)
        waits += loads
        if index == 0 { waits += state.parameterSequences }
        if items[index].startsOutputGeneration {
            state.outputGeneration += 1
            state.outputStoreStarts.append(state.outputStoreSequences.count)
            let depth = output.config.doubleBuffered ? 2 : 1
            if state.outputGeneration - depth >= 0 {
                waits += state.stores(ofGeneration: state.outputGeneration - depth)
            }
        }
        waits.sort()
        compute.waitsFor = waits
        compute.outputHalf = output.config.doubleBuffered ? max(state.outputGeneration, 0) % 2 : 0
        state.computeSequence[index] = state.append(.compute(compute))
        state.outputHalf = compute.outputHalf
    }

    private func emitStores(of index: Int, items: [WorkItem], state: inout EmissionState) {
        var offset = 0
        for store in items[index].stores {
            let address = output.base(half: state.outputHalf) + offset
            offset += store.pattern.bytes
            let sequence = state.append(
                .transfer(
                    DMATransfer(
                        direction: .store, buffer: .output, tensor: store.tensor, dramAddress: store.dramAddress,
                        pattern: store.pattern, sramAddress: address, bank: output.bank(of: address),
                        half: state.outputHalf,
                        after: state.computeSequence[index])))
            if state.outputStoreStarts.isEmpty { state.outputStoreStarts.append(0) }
            state.outputStoreSequences.append(sequence)
        }
    }
}

/// The emitter's bookkeeping while it walks a layer's items.
private struct EmissionState {
    var steps: [ScheduleStep] = []
    var nextSequence: Int
    var parameterSequences: [Int] = []
    /// The sequence numbers of every item's loads, item after item (an item's loads are emitted
    /// before the next item's), and where each item's start (−1: none yet); per item the
    /// sequence number of its compute step.
    var loadSequences: [Int] = []
    var loadStarts: [Int]
    var computeSequence: [Int]
    /// Per buffer: the first item of every generation.
    var firstItem = PerBuffer<[Int]>([])
    /// Per buffer: the item that started the current generation (so one item's loads share one;
    /// −1 before the first).
    var generationStarter = PerBuffer(-1)
    /// The current output generation (−1 before the first) and the stores of every generation,
    /// generation after generation, with where each generation's start.
    var outputGeneration = -1
    var outputStoreSequences: [Int] = []
    var outputStoreStarts: [Int] = []
    var outputHalf = 0

    init(firstSequence: Int, itemCount: Int) {
        nextSequence = firstSequence
        loadStarts = Array(repeating: -1, count: itemCount)
        computeSequence = Array(repeating: -1, count: itemCount)
    }

    /// Records a load of item `item` (the loads of the latest item with loads are the last ones).
    mutating func appendLoad(_ sequence: Int, item: Int) {
        if loadStarts[item] < 0 { loadStarts[item] = loadSequences.count }
        loadSequences.append(sequence)
    }

    /// The sequence numbers of item `item`'s loads: they end where the next item's begin (its
    /// double-buffered loads come before this item's compute step) or at the end.
    func loads(of item: Int) -> ArraySlice<Int> {
        let start = loadStarts[item]
        guard start >= 0 else { return [] }
        let next = item + 1 < loadStarts.count ? loadStarts[item + 1] : -1
        return loadSequences[start..<(next >= 0 ? next : loadSequences.count)]
    }

    /// The sequence numbers of the stores of output generation `generation`.
    func stores(ofGeneration generation: Int) -> ArraySlice<Int> {
        let start = outputStoreStarts[generation]
        let end =
            generation + 1 < outputStoreStarts.count ? outputStoreStarts[generation + 1] : outputStoreSequences.count
        return outputStoreSequences[start..<end]
    }

    mutating func append(_ action: ScheduleStep.Action) -> Int {
        let sequence = nextSequence
        steps.append(ScheduleStep(sequence: sequence, action: action))
        nextSequence += 1
        return sequence
    }

    /// The generation of `buffer` that item `item` loads, starting a new one for the item's first
    /// load into that buffer.
    mutating func generation(of buffer: BufferKind, startedBy item: Int) -> Int {
        if generationStarter[buffer] != item {
            generationStarter[buffer] = item
            firstItem[buffer].append(item)
        }
        return firstItem[buffer].count - 1
    }
}

/// One value per buffer kind, stored inline (the emitter looks these up for every transfer).
private struct PerBuffer<Value> {
    var input: Value
    var weight: Value
    var output: Value
    var parameters: Value

    init(_ value: Value) {
        input = value
        weight = value
        output = value
        parameters = value
    }

    subscript(kind: BufferKind) -> Value {
        get {
            switch kind {
            case .input: input
            case .weight: weight
            case .output: output
            case .parameters: parameters
            }
        }
        // In place, so appending to an array value does not copy it.
        _modify {
            switch kind {
            case .input: yield &input
            case .weight: yield &weight
            case .output: yield &output
            case .parameters: yield &parameters
            }
        }
    }
}
