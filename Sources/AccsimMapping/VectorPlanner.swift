import AccsimArithmetic
import AccsimHardware
import AccsimModel

/// Lowers a vector-unit layer: its operation class and work, cut into chunks that fit the input
/// buffer (every input the chunk reads) and the output buffer (the chunk's results), half of each
/// when double-buffered. Every chunk loads its inputs, runs `ceil(work / lanes) · cycles_per_op`
/// cycles on the vector unit and stores its results. Shapes are per sample (batch 1).
///
/// | operation | chunk | work |
/// | --- | --- | --- |
/// | add, clamp, leaky_relu, lookup_table, requantize | a contiguous run of elements (a multiple of the lanes) | elements |
/// | max_pool, avg_pool | whole output rows, all channels (one row and fewer channels if a row does not fit) | output elements × window taps |
/// | mean | channels, all positions | input elements |
/// | softmax | the whole row | elements |
/// | pad | whole rows (axis 1) of the output | output elements |
/// | concat | per input: whole rows outside the axis (or part of one row) | elements copied |
struct VectorPlanner {
    let hardware: HardwareConfig
    let memory: DRAMMemoryMap
    let input: BufferSpace
    let output: BufferSpace

    /// A chunk before it becomes a work item.
    private struct Chunk {
        var part = 0
        var loads: [PendingTransfer]
        var store: PendingTransfer
        var work: Int
        var outputElements: Int
    }

    /// The plan and items of `node`, or nil for a reshape, which does nothing.
    func plan(_ node: Node, in graph: Graph) throws(MappingError) -> (VectorLayerPlan, [WorkItem])? {
        let inputs = try node.inputs.map { (name: String) throws(MappingError) -> TensorInfo in
            guard let t = graph.tensor(named: name) else {
                throw MappingError(layer: node.name, "input '\(name)' is missing; map only validated graphs")
            }
            return t
        }
        guard let outName = node.outputs.first, let out = graph.tensor(named: outName) else {
            throw MappingError(layer: node.name, "the output tensor is missing; map only validated graphs")
        }
        let opClass: VectorOpClass
        let chunks: [Chunk]
        switch node.operation {
        case .reshape:
            return nil
        case .conv2D, .fullyConnected:
            preconditionFailure("GEMM layers are not vector work")
        case .add:
            opClass = .add
            chunks = try elementwise(node, inputs, out)
        case .clamp, .leakyRelu, .requantize:
            opClass = .requantize
            chunks = try elementwise(node, inputs, out)
        case .lookupTable, .int16Activation:
            opClass = .lookupTable
            chunks = try elementwise(node, inputs, out)
        case .softmax, .int16Softmax:
            opClass = .softmax
            chunks = try elementwise(node, inputs, out, wholeRowsOf: Self.perSample(out))
        case .maxPool(let p):
            opClass = .pool
            chunks = try pool(node, inputs[0], out, window: p.window, stride: p.stride, padding: p.padding)
        case .avgPool(let p):
            opClass = .pool
            chunks = try pool(node, inputs[0], out, window: p.window, stride: p.stride, padding: p.padding)
        case .mean:
            opClass = .pool
            chunks = try mean(node, inputs[0], out)
        case .pad(let p):
            opClass = .copy
            chunks = try pad(node, inputs[0], out, padTop: p.padding.count > 1 ? p.padding[1][0] : 0)
        case .concat(let p):
            opClass = .copy
            chunks = try concat(node, inputs, out, axis: p.axis)
        }
        let cyclesPerOp = Self.cyclesPerOp(opClass, hardware.vectorUnit.cyclesPerOp)
        let lanes = hardware.vectorUnit.lanes
        var items: [WorkItem] = []
        for (index, chunk) in chunks.enumerated() {
            let inputBytes = chunk.loads.reduce(0) { $0 + $1.pattern.bytes }
            let outputBytes = chunk.store.pattern.bytes
            let accesses = ComputeAccesses(
                inputBufferReads: inputBytes, outputBufferWrites: outputBytes, vectorOps: chunk.work)
            let compute = ComputeStep(
                work: .vector(
                    VectorChunk(
                        index: index, part: chunk.part, work: chunk.work,
                        outputElements: chunk.outputElements, inputBytes: inputBytes,
                        outputBytes: outputBytes)),
                arrayPhases: .zero, requantizerCycles: 0, vectorCycles: ceilDiv(chunk.work, lanes) * cyclesPerOp,
                waitsFor: [], outputHalf: 0, accesses: accesses)
            items.append(
                WorkItem(loads: chunk.loads, startsOutputGeneration: true, compute: compute, stores: [chunk.store]))
        }
        let plan = VectorLayerPlan(
            opClass: opClass, work: chunks.reduce(0) { $0 + $1.work }, cyclesPerOp: cyclesPerOp, lanes: lanes,
            chunks: chunks.count, inputs: node.inputs, output: out.name)
        return (plan, items)
    }

    static func cyclesPerOp(_ opClass: VectorOpClass, _ table: VectorUnitConfig.CyclesPerOp) -> Int {
        switch opClass {
        case .add: table.add
        case .pool: table.pool
        case .lookupTable: table.lookupTable
        case .softmax: table.softmax
        case .requantize: table.requantize
        case .copy: table.copy
        }
    }

    /// Elements of one sample of `tensor` (all of it when it has no batch dimension).
    static func perSample(_ tensor: TensorInfo) -> Int {
        guard let batch = tensor.shape.first, batch > 0, tensor.shape.count > 1 else { return tensor.elementCount }
        return tensor.elementCount / batch
    }

    private func address(_ tensor: TensorInfo) -> Int { memory.address(of: tensor.name) ?? 0 }

    private func error(_ node: Node, _ space: BufferSpace, needs bytes: Int) -> MappingError {
        MappingError(layer: node.name, buffer: space.key, "the smallest chunk \(space.shortfall(needs: bytes))")
    }

    // MARK: Operations

    /// Contiguous runs of elements over every input and the output; `wholeRowsOf` forces a single
    /// chunk of that many elements (a softmax row).
    private func elementwise(_ node: Node, _ inputs: [TensorInfo], _ out: TensorInfo, wholeRowsOf row: Int? = nil)
        throws(MappingError) -> [Chunk]
    {
        let count = Self.perSample(out)
        let inputWidth = inputs.reduce(0) { $0 + $1.elementType.byteWidth }
        let outputWidth = out.elementType.byteWidth
        var size = min(count, input.tileBytes / inputWidth, output.tileBytes / outputWidth)
        if let row {
            if row * inputWidth > input.tileBytes { throw error(node, input, needs: row * inputWidth) }
            if row * outputWidth > output.tileBytes { throw error(node, output, needs: row * outputWidth) }
            size = row
        } else if size == 0 {
            throw input.tileBytes < inputWidth
                ? error(node, input, needs: inputWidth) : error(node, output, needs: outputWidth)
        } else if size < count && size >= hardware.vectorUnit.lanes {
            size -= size % hardware.vectorUnit.lanes
        }
        return stride(from: 0, to: count, by: size).map { start in
            let n = min(size, count - start)
            let loads = inputs.map { x in
                PendingTransfer(
                    direction: .load, buffer: .input, tensor: x.name,
                    dramAddress: address(x) + start * x.elementType.byteWidth,
                    pattern: .contiguous(n * x.elementType.byteWidth))
            }
            let store = PendingTransfer(
                direction: .store, buffer: .output, tensor: out.name,
                dramAddress: address(out) + start * outputWidth, pattern: .contiguous(n * outputWidth))
            return Chunk(loads: loads, store: store, work: n, outputElements: n)
        }
    }

    private func pool(
        _ node: Node, _ x: TensorInfo, _ out: TensorInfo, window: Size2D, stride s: Size2D, padding: Padding2D
    ) throws(MappingError) -> [Chunk] {
        let g = ConvGeometry(
            inputHeight: x.shape[1], inputWidth: x.shape[2], inputChannels: x.shape[3],
            outputHeight: out.shape[1], outputWidth: out.shape[2], outputChannels: out.shape[3],
            kernel: window, stride: s, dilation: Size2D(1), padding: padding, groups: 1)
        let inWidth = x.elementType.byteWidth
        let outWidth = out.elementType.byteWidth
        let channels = g.inputChannels
        var rowsPerChunk = 0
        var channelsPerChunk = channels
        for rows in Swift.stride(from: g.outputHeight, through: 1, by: -1)
        where g.maxInputRows(rowsPerTile: rows) * g.inputWidth * channels * inWidth <= input.tileBytes
            && rows * g.outputWidth * channels * outWidth <= output.tileBytes
        {
            rowsPerChunk = rows
            break
        }
        if rowsPerChunk == 0 {
            rowsPerChunk = 1
            let inputPerChannel = g.maxInputRows(rowsPerTile: 1) * g.inputWidth * inWidth
            let outputPerChannel = g.outputWidth * outWidth
            channelsPerChunk = min(
                channels, input.tileBytes / max(inputPerChannel, 1), output.tileBytes / outputPerChannel)
            if channelsPerChunk == 0 {
                throw inputPerChannel > input.tileBytes
                    ? error(node, input, needs: inputPerChannel) : error(node, output, needs: outputPerChannel)
            }
        }
        var chunks: [Chunk] = []
        for row in Swift.stride(from: 0, to: g.outputHeight, by: rowsPerChunk) {
            let rows = row..<min(row + rowsPerChunk, g.outputHeight)
            let inRows = g.inputRows(forOutputRows: rows)
            for channel in Swift.stride(from: 0, to: channels, by: channelsPerChunk) {
                let c = min(channelsPerChunk, channels - channel)
                var loads: [PendingTransfer] = []
                if !inRows.isEmpty {
                    loads.append(
                        PendingTransfer(
                            direction: .load, buffer: .input, tensor: x.name,
                            dramAddress: address(x) + (inRows.lowerBound * g.inputWidth * channels + channel) * inWidth,
                            pattern: DMAPattern(
                                count: inRows.count * g.inputWidth, chunkBytes: c * inWidth,
                                strideBytes: channels * inWidth)))
                }
                let store = PendingTransfer(
                    direction: .store, buffer: .output, tensor: out.name,
                    dramAddress: address(out) + (rows.lowerBound * g.outputWidth * channels + channel) * outWidth,
                    pattern: DMAPattern(
                        count: rows.count * g.outputWidth, chunkBytes: c * outWidth, strideBytes: channels * outWidth))
                let elements = rows.count * g.outputWidth * c
                chunks.append(Chunk(loads: loads, store: store, work: elements * g.taps, outputElements: elements))
            }
        }
        return chunks
    }

    private func mean(_ node: Node, _ x: TensorInfo, _ out: TensorInfo) throws(MappingError) -> [Chunk] {
        let positions = x.shape[1] * x.shape[2]
        let channels = x.shape[3]
        let inWidth = x.elementType.byteWidth
        let outWidth = out.elementType.byteWidth
        let perChunk = min(channels, input.tileBytes / (positions * inWidth), output.tileBytes / outWidth)
        if perChunk == 0 {
            throw positions * inWidth > input.tileBytes
                ? error(node, input, needs: positions * inWidth) : error(node, output, needs: outWidth)
        }
        return stride(from: 0, to: channels, by: perChunk).map { channel in
            let c = min(perChunk, channels - channel)
            let load = PendingTransfer(
                direction: .load, buffer: .input, tensor: x.name, dramAddress: address(x) + channel * inWidth,
                pattern: DMAPattern(count: positions, chunkBytes: c * inWidth, strideBytes: channels * inWidth))
            let store = PendingTransfer(
                direction: .store, buffer: .output, tensor: out.name,
                dramAddress: address(out) + channel * outWidth, pattern: .contiguous(c * outWidth))
            return Chunk(loads: [load], store: store, work: positions * c, outputElements: c)
        }
    }

    /// Whole rows along axis 1 of the output; each chunk loads the input rows that land in it.
    private func pad(_ node: Node, _ x: TensorInfo, _ out: TensorInfo, padTop: Int) throws(MappingError) -> [Chunk] {
        let width = x.elementType.byteWidth
        let ranked = x.shape.count >= 2
        let inRows = ranked ? x.shape[1] : 1
        let outRows = ranked ? out.shape[1] : 1
        let inRowElements = ranked ? x.shape.dropFirst(2).reduce(1, *) : Self.perSample(x)
        let outRowElements = ranked ? out.shape.dropFirst(2).reduce(1, *) : Self.perSample(out)
        let top = ranked ? padTop : 0
        let perChunk = min(
            outRows, input.tileBytes / (inRowElements * width), output.tileBytes / (outRowElements * width))
        if perChunk == 0 {
            throw inRowElements * width > input.tileBytes
                ? error(node, input, needs: inRowElements * width) : error(node, output, needs: outRowElements * width)
        }
        return stride(from: 0, to: outRows, by: perChunk).map { row in
            let rows = row..<min(row + perChunk, outRows)
            let lower = max(0, rows.lowerBound - top)
            let upper = min(inRows, rows.upperBound - top)
            var loads: [PendingTransfer] = []
            if lower < upper {
                loads.append(
                    PendingTransfer(
                        direction: .load, buffer: .input, tensor: x.name,
                        dramAddress: address(x) + lower * inRowElements * width,
                        pattern: .contiguous((upper - lower) * inRowElements * width)))
            }
            let store = PendingTransfer(
                direction: .store, buffer: .output, tensor: out.name,
                dramAddress: address(out) + row * outRowElements * width,
                pattern: .contiguous(rows.count * outRowElements * width))
            let elements = rows.count * outRowElements
            return Chunk(loads: loads, store: store, work: elements, outputElements: elements)
        }
    }

    /// Per input, in order: rows outside the axis (`outer`) × the input's part of a row (`inner`),
    /// stored at its column offset of the output rows.
    private func concat(_ node: Node, _ inputs: [TensorInfo], _ out: TensorInfo, axis: Int) throws(MappingError)
        -> [Chunk]
    {
        func inner(_ t: TensorInfo) -> Int { axis >= 1 ? t.shape[axis...].reduce(1, *) : t.elementCount }
        let outer = axis >= 1 ? out.shape[1..<axis].reduce(1, *) : 1
        let rowElements = inner(out)
        let outWidth = out.elementType.byteWidth
        var chunks: [Chunk] = []
        var offset = 0
        for (part, x) in inputs.enumerated() {
            let columns = inner(x)
            let inWidth = x.elementType.byteWidth
            var rowsPerChunk = 1
            var columnsPerChunk = columns
            if columns * inWidth <= input.tileBytes && columns * outWidth <= output.tileBytes {
                rowsPerChunk = min(
                    outer, input.tileBytes / (columns * inWidth), output.tileBytes / (columns * outWidth))
            } else {
                columnsPerChunk = min(columns, input.tileBytes / inWidth, output.tileBytes / outWidth)
                if columnsPerChunk == 0 {
                    throw inWidth > input.tileBytes
                        ? error(node, input, needs: inWidth) : error(node, output, needs: outWidth)
                }
            }
            for row in stride(from: 0, to: outer, by: rowsPerChunk) {
                let rows = min(rowsPerChunk, outer - row)
                for column in stride(from: 0, to: columns, by: columnsPerChunk) {
                    let cols = min(columnsPerChunk, columns - column)
                    let load = PendingTransfer(
                        direction: .load, buffer: .input, tensor: x.name,
                        dramAddress: address(x) + (row * columns + column) * inWidth,
                        pattern: DMAPattern(count: rows, chunkBytes: cols * inWidth, strideBytes: columns * inWidth))
                    let store = PendingTransfer(
                        direction: .store, buffer: .output, tensor: out.name,
                        dramAddress: address(out) + (row * rowElements + offset + column) * outWidth,
                        pattern: DMAPattern(
                            count: rows, chunkBytes: cols * outWidth, strideBytes: rowElements * outWidth))
                    chunks.append(
                        Chunk(part: part, loads: [load], store: store, work: rows * cols, outputElements: rows * cols))
                }
            }
            offset += columns
        }
        return chunks
    }
}
