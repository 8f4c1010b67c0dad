/// Decodes a chunk payload written by ``RecordEncoder``.
struct RecordDecoder {
    private var source: ByteSource
    private var previousCycle = 0

    /// A decoder over `payload`.
    init(payload: [UInt8]) {
        source = ByteSource(payload)
    }

    /// Byte offset of the next record in the payload.
    var position: Int { source.position }

    /// The next record and its encoded size, or nil at the end of the payload.
    mutating func next() throws(ByteSource.Overrun) -> (record: TraceRecord, bytes: Int)? {
        guard !source.isAtEnd else { return nil }
        let start = source.position
        let type = try source.u8()
        let length = try source.int()
        guard length <= source.remaining else {
            throw ByteSource.Overrun(
                message:
                    "record of type 0x\(String(type, radix: 16)) claims \(length) bytes, \(source.remaining) remain")
        }
        let bodyEnd = source.position + length
        var body = ByteSource(source.bytes, from: source.position, to: bodyEnd)
        source.position = bodyEnd
        let cycle = previousCycle + (try body.sint())
        previousCycle = cycle
        let layer = try body.int()
        // Bytes after the known fields of a known record are fields a newer writer appended: ignored.
        let record = try Self.decodeBody(type: type, cycle: cycle, layer: layer, body: &body)
        return (record, bodyEnd - start)
    }

    private static func decodeBody(type: UInt8, cycle: Int, layer: Int, body: inout ByteSource) throws(ByteSource
        .Overrun) -> TraceRecord
    {
        switch type {
        case 0x01:
            return .layerBegin(
                LayerBeginRecord(cycle: cycle, layer: layer, name: try body.string(), op: try body.string()))
        case 0x02:
            let output = try body.u32()
            let hasAccumulators = try body.u8()
            let accumulators: UInt32? = hasAccumulators != 0 ? try body.u32() : nil
            let count = try body.int()
            var values: [Int] = []
            values.reserveCapacity(min(count, 64))
            for _ in 0..<count { values.append(try body.sint()) }
            return .layerEnd(
                LayerEndRecord(
                    cycle: cycle, layer: layer, outputCRC: output, accumulatorCRC: accumulators,
                    counters: LayerCounters(values: values)))
        case 0x10:
            let sequence = try body.int()
            let flags = try body.u8()
            guard let buffer = TraceBuffer(rawValue: flags >> 1) else {
                throw ByteSource.Overrun(message: "unknown buffer \(flags >> 1)")
            }
            let direction: TraceDirection = flags & 1 == 0 ? .load : .store
            let tensor = try body.string()
            let dram = try body.int()
            let count = try body.int()
            let chunk = try body.int()
            let stride = try body.int()
            let sram = try body.int()
            let bank = try body.int()
            let half = try body.int()
            let after = try body.int()
            let duration = try body.int()
            return .dma(
                DMARecord(
                    cycle: cycle, layer: layer, sequence: sequence, direction: direction, buffer: buffer,
                    tensor: tensor,
                    dramAddress: dram, chunkCount: count, chunkBytes: chunk, strideBytes: stride, sramAddress: sram,
                    bank: bank,
                    half: half, after: after == 0 ? nil : after - 1, completion: cycle + duration))
        case 0x11:
            let sequence = try body.int()
            let duration = try body.int()
            let stall = try body.int()
            guard let cause = TraceStallCause(rawValue: try body.u8()) else {
                throw ByteSource.Overrun(message: "unknown stall cause")
            }
            let unit = try body.u8()
            let work: ComputeRecord.Work
            switch unit {
            case 0:
                var v: [Int] = []
                for _ in 0..<13 { v.append(try body.int()) }
                let last = try body.u8() != 0
                work = .array(
                    ComputeRecord.ArrayTile(
                        group: v[0], mIndex: v[1], nIndex: v[2], kIndex: v[3], m: v[4]..<v[4] + v[5],
                        n: v[6]..<v[6] + v[7],
                        k: v[8]..<v[8] + v[9], lastChunk: last, folds: v[10], arrayCycles: v[11],
                        requantizerCycles: v[12]))
            case 1:
                work = .vector(
                    ComputeRecord.VectorChunk(
                        chunk: try body.int(), part: try body.int(), work: try body.int(),
                        outputElements: try body.int()))
            default:
                throw ByteSource.Overrun(message: "unknown compute unit \(unit)")
            }
            return .compute(
                ComputeRecord(
                    cycle: cycle, layer: layer, sequence: sequence, end: cycle + duration, stall: stall,
                    stallCause: cause, work: work))
        case 0x20:
            let row = try body.int()
            let channel = try body.int()
            let accumulator = try body.int32()
            let flags = try body.u8()
            let bias: Int32? = flags & 1 != 0 ? try body.int32() : nil
            let input = try body.int32()
            let multiplier = try body.int32()
            let shift = try body.int32()
            let zeroPoint = try body.int32()
            let before = try body.svarint()
            let output = try body.int32()
            return .requant(
                RequantRecord(
                    cycle: cycle, layer: layer, row: row, channel: channel, accumulator: accumulator, bias: bias,
                    input: input,
                    multiplier: multiplier, shift: shift, zeroPoint: zeroPoint, beforeSaturation: before,
                    saturated: flags & 2 != 0, output: output))
        case 0x30:
            var v: [Int] = []
            for _ in 0..<10 { v.append(try body.int()) }
            return .fold(
                FoldRecord(
                    cycle: cycle, layer: layer, sequence: v[0], index: v[1], group: v[2], m: v[3]..<v[3] + v[4],
                    k: v[5]..<v[5] + v[6], n: v[7]..<v[7] + v[8], end: cycle + v[9]))
        case 0x31:
            let packed = try body.uvarint()
            guard let edge = TraceEdge(rawValue: UInt8(packed & 3)) else {
                throw ByteSource.Overrun(message: "unknown array edge \(packed & 3)")
            }
            return .edge(
                EdgeRecord(cycle: cycle, layer: layer, edge: edge, index: Int(packed >> 2), value: try body.int32()))
        case 0x32:
            let flags = try body.u8()
            guard let buffer = TraceBuffer(rawValue: flags >> 1) else {
                throw ByteSource.Overrun(message: "unknown buffer \(flags >> 1)")
            }
            return .sram(
                SRAMRecord(
                    cycle: cycle, layer: layer, buffer: buffer, isWrite: flags & 1 != 0, bank: try body.int(),
                    address: try body.int(), bytes: try body.int()))
        default:
            let rest = try body.raw(body.remaining)
            return .unknown(UnknownRecord(cycle: cycle, layer: layer, type: type, body: rest))
        }
    }
}
