import AccsimChecksum

extension TraceRecord {
    /// The record as one line of the dump: `CYCLE KIND L<layer> key=value …` (Traces/FORMAT.md,
    /// "Text dump"). Stable: the same record always gives the same line.
    public var textLine: String {
        switch self {
        case .layerBegin(let r):
            return "\(r.cycle) layer-begin L\(r.layer) name=\(TextField.name(r.name)) op=\(TextField.name(r.op))"
        case .layerEnd(let r):
            var line =
                "\(r.cycle) layer-end L\(r.layer) out_crc=\(CRC32.hex(r.outputCRC)) acc_crc=\(r.accumulatorCRC.map(CRC32.hex) ?? "-")"
            for (index, value) in r.counters.values.enumerated() {
                line += " \(LayerCounters.name(at: index))=\(value)"
            }
            return line
        case .dma(let r):
            return
                "\(r.cycle) dma L\(r.layer) seq=\(r.sequence) \(r.direction.name) buffer=\(r.buffer.name) tensor=\(TextField.name(r.tensor))"
                + " dram=\(TextField.hex(r.dramAddress)) pattern=\(r.chunkCount)x\(r.chunkBytes)/\(r.strideBytes) bytes=\(r.bytes)"
                + " sram=\(TextField.hex(r.sramAddress)) bank=\(r.bank) half=\(r.half) after=\(r.after.map(String.init) ?? "-") done=\(r.completion)"
        case .compute(let r):
            var line = "\(r.cycle) compute L\(r.layer) seq=\(r.sequence)"
            switch r.work {
            case .array(let t):
                line +=
                    " array group=\(t.group) tile=\(t.mIndex),\(t.nIndex),\(t.kIndex) m=\(TextField.range(t.m)) n=\(TextField.range(t.n))"
                    + " k=\(TextField.range(t.k)) last=\(t.lastChunk ? 1 : 0) folds=\(t.folds) array_cycles=\(t.arrayCycles)"
                    + " requant_cycles=\(t.requantizerCycles)"
            case .vector(let v):
                line += " vector chunk=\(v.chunk) part=\(v.part) work=\(v.work) outputs=\(v.outputElements)"
            }
            return line + " end=\(r.end) stall=\(r.stall) cause=\(r.stallCause.name)"
        case .requant(let r):
            return
                "\(r.cycle) requant L\(r.layer) m=\(r.row) c=\(r.channel) acc=\(r.accumulator) bias=\(r.bias.map(String.init) ?? "-")"
                + " in=\(r.input) mult=\(r.multiplier) shift=\(r.shift) zp=\(r.zeroPoint) pre=\(r.beforeSaturation)"
                + " sat=\(r.saturated ? 1 : 0) out=\(r.output)"
        case .fold(let r):
            return
                "\(r.cycle) fold L\(r.layer) seq=\(r.sequence) fold=\(r.index) group=\(r.group) m=\(TextField.range(r.m))"
                + " k=\(TextField.range(r.k)) n=\(TextField.range(r.n)) end=\(r.end)"
        case .edge(let r):
            return "\(r.cycle) edge L\(r.layer) \(r.edge.name)[\(r.index)]=\(r.value)"
        case .sram(let r):
            return
                "\(r.cycle) sram L\(r.layer) \(r.isWrite ? "write" : "read") \(r.buffer.name) bank=\(r.bank) addr=\(TextField.hex(r.address)) bytes=\(r.bytes)"
        case .unknown(let r):
            return "\(r.cycle) unknown L\(r.layer) type=0x\(String(r.type, radix: 16)) bytes=\(r.body.count)"
        }
    }
}
