/// Encodes records into a chunk payload: `type (u8) · body length (uvarint) · body`, every body
/// starting with the cycle as a zigzag delta from the previous record of the chunk and the layer
/// (Traces/FORMAT.md). ``reset()`` starts a new chunk (the delta base returns to 0).
struct RecordEncoder {
    private(set) var sink = ByteSink(capacity: TraceFormat.defaultChunkBytes + 4096)
    private(set) var recordCount = 0
    private var previousCycle = 0

    /// Empties the payload for the next chunk.
    mutating func reset() {
        sink.bytes.removeAll(keepingCapacity: true)
        recordCount = 0
        previousCycle = 0
    }

    var byteCount: Int { sink.bytes.count }

    /// Appends `record`.
    mutating func append(_ record: TraceRecord) {
        switch record {
        case .layerBegin(let r):
            begin(0x01, r.cycle, r.layer)
            sink.string(r.name)
            sink.string(r.op)
        case .layerEnd(let r):
            begin(0x02, r.cycle, r.layer)
            sink.u32(r.outputCRC)
            if let crc = r.accumulatorCRC {
                sink.u8(1)
                sink.u32(crc)
            } else {
                sink.u8(0)
            }
            sink.uvarint(r.counters.values.count)
            for value in r.counters.values { sink.svarint(value) }
        case .dma(let r):
            begin(0x10, r.cycle, r.layer)
            sink.uvarint(r.sequence)
            sink.u8(r.direction.rawValue | r.buffer.rawValue << 1)
            sink.string(r.tensor)
            sink.uvarint(r.dramAddress)
            sink.uvarint(r.chunkCount)
            sink.uvarint(r.chunkBytes)
            sink.uvarint(r.strideBytes)
            sink.uvarint(r.sramAddress)
            sink.uvarint(r.bank)
            sink.uvarint(r.half)
            sink.uvarint(r.after.map { $0 + 1 } ?? 0)
            sink.uvarint(r.completion - r.cycle)
        case .compute(let r):
            begin(0x11, r.cycle, r.layer)
            sink.uvarint(r.sequence)
            sink.uvarint(r.end - r.cycle)
            sink.uvarint(r.stall)
            sink.u8(r.stallCause.rawValue)
            switch r.work {
            case .array(let t):
                sink.u8(0)
                for value in [
                    t.group, t.mIndex, t.nIndex, t.kIndex, t.m.lowerBound, t.m.count, t.n.lowerBound, t.n.count,
                    t.k.lowerBound, t.k.count, t.folds, t.arrayCycles, t.requantizerCycles,
                ] {
                    sink.uvarint(value)
                }
                sink.u8(t.lastChunk ? 1 : 0)
            case .vector(let v):
                sink.u8(1)
                for value in [v.chunk, v.part, v.work, v.outputElements] { sink.uvarint(value) }
            }
        case .requant(let r):
            begin(0x20, r.cycle, r.layer)
            sink.uvarint(r.row)
            sink.uvarint(r.channel)
            sink.svarint(Int64(r.accumulator))
            sink.u8((r.bias == nil ? 0 : 1) | (r.saturated ? 2 : 0))
            if let bias = r.bias { sink.svarint(Int64(bias)) }
            sink.svarint(Int64(r.input))
            sink.svarint(Int64(r.multiplier))
            sink.svarint(Int64(r.shift))
            sink.svarint(Int64(r.zeroPoint))
            sink.svarint(r.beforeSaturation)
            sink.svarint(Int64(r.output))
        case .fold(let r):
            begin(0x30, r.cycle, r.layer)
            for value in [
                r.sequence, r.index, r.group, r.m.lowerBound, r.m.count, r.k.lowerBound, r.k.count,
                r.n.lowerBound, r.n.count, r.end - r.cycle,
            ] {
                sink.uvarint(value)
            }
        case .edge(let r):
            appendEdge(cycle: r.cycle, layer: r.layer, edge: r.edge, index: r.index, value: r.value)
            return
        case .sram(let r):
            appendSRAM(
                cycle: r.cycle, layer: r.layer, buffer: r.buffer, isWrite: r.isWrite, bank: r.bank, address: r.address,
                bytes: r.bytes)
            return
        case .unknown(let r):
            begin(r.type, r.cycle, r.layer)
            sink.bytes.append(contentsOf: r.body)
        }
        finish()
    }

    /// Appends an edge record without building a ``TraceRecord`` (the cycle level's hot path).
    @inline(__always)
    mutating func appendEdge(cycle: Int, layer: Int, edge: TraceEdge, index: Int, value: Int32) {
        begin(0x31, cycle, layer)
        sink.uvarint(UInt64(index) << 2 | UInt64(edge.rawValue))
        sink.svarint(Int64(value))
        finish()
    }

    /// Appends an SRAM record without building a ``TraceRecord``.
    @inline(__always)
    mutating func appendSRAM(
        cycle: Int, layer: Int, buffer: TraceBuffer, isWrite: Bool, bank: Int, address: Int, bytes: Int
    ) {
        begin(0x32, cycle, layer)
        sink.u8(buffer.rawValue << 1 | (isWrite ? 1 : 0))
        sink.uvarint(bank)
        sink.uvarint(address)
        sink.uvarint(bytes)
        finish()
    }

    private var bodyStart = 0

    @inline(__always)
    private mutating func begin(_ type: UInt8, _ cycle: Int, _ layer: Int) {
        sink.u8(type)
        sink.u8(0)  // body length, patched by finish()
        bodyStart = sink.bytes.count
        sink.svarint(cycle - previousCycle)
        previousCycle = cycle
        sink.uvarint(layer)
    }

    @inline(__always)
    private mutating func finish() {
        let length = sink.bytes.count - bodyStart
        recordCount += 1
        if length < 0x80 {
            sink.bytes[bodyStart - 1] = UInt8(length)
            return
        }
        var prefix = ByteSink()
        prefix.uvarint(length)
        sink.bytes.replaceSubrange(bodyStart - 1..<bodyStart, with: prefix.bytes)
    }
}
