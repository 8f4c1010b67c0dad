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
            state.loadSequences[index].append(sequence)
        }
    }

    private func emitCompute(of index: Int, items: [WorkItem], state: inout EmissionState) {
        var compute = items[index].compute
        var waits = state.loadSequences[index]
        if index == 0 { waits += state.parameterSequences }
        if items[index].startsOutputGeneration {
            state.outputGeneration += 1
            state.outputStores.append([])
            let depth = output.config.doubleBuffered ? 2 : 1
            if state.outputGeneration - depth >= 0 {
                waits += state.outputStores[state.outputGeneration - depth]
            }
        }
        compute.waitsFor = waits.sorted()
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
            if state.outputStores.isEmpty { state.outputStores.append([]) }
            state.outputStores[state.outputStores.count - 1].append(sequence)
        }
    }
}

/// The emitter's bookkeeping while it walks a layer's items.
private struct EmissionState {
    var steps: [ScheduleStep] = []
    var nextSequence: Int
    var parameterSequences: [Int] = []
    /// Per item: the sequence numbers of its loads and of its compute step.
    var loadSequences: [[Int]]
    var computeSequence: [Int]
    /// Per buffer: the first item of every generation.
    var firstItem = PerBuffer<[Int]>([])
    /// Per buffer: the item that started the current generation (so one item's loads share one;
    /// −1 before the first).
    var generationStarter = PerBuffer(-1)
    /// The current output generation (−1 before the first) and the stores of every generation.
    var outputGeneration = -1
    var outputStores: [[Int]] = []
    var outputHalf = 0

    init(firstSequence: Int, itemCount: Int) {
        nextSequence = firstSequence
        loadSequences = Array(repeating: [], count: itemCount)
        computeSequence = Array(repeating: -1, count: itemCount)
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
