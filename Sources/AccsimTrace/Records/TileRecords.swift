/// One DMA transfer of the schedule.
public struct DMARecord: Sendable, Hashable {
    /// Global issue cycle.
    public var cycle: Int
    /// The layer (node index).
    public var layer: Int
    /// The step's sequence number in the schedule (unique and increasing over the whole run).
    public var sequence: Int
    /// Load or store.
    public var direction: TraceDirection
    /// The buffer.
    public var buffer: TraceBuffer
    /// The DRAM tensor.
    public var tensor: String
    /// DRAM address of the first byte.
    public var dramAddress: Int
    /// DRAM pattern: `chunkCount` chunks of `chunkBytes`, `strideBytes` apart.
    public var chunkCount: Int
    /// Contiguous bytes per DRAM chunk.
    public var chunkBytes: Int
    /// Distance between the starts of consecutive DRAM chunks.
    public var strideBytes: Int
    /// Buffer address of the first byte (the SRAM side is contiguous).
    public var sramAddress: Int
    /// Bank of the first byte.
    public var bank: Int
    /// Buffer half (0 or 1).
    public var half: Int
    /// Sequence number of the compute step the transfer waited for, if any.
    public var after: Int?
    /// Global completion cycle.
    public var completion: Int

    /// A value as given.
    public init(
        cycle: Int, layer: Int, sequence: Int, direction: TraceDirection, buffer: TraceBuffer, tensor: String,
        dramAddress: Int, chunkCount: Int, chunkBytes: Int, strideBytes: Int, sramAddress: Int, bank: Int, half: Int,
        after: Int?, completion: Int
    ) {
        self.cycle = cycle
        self.layer = layer
        self.sequence = sequence
        self.direction = direction
        self.buffer = buffer
        self.tensor = tensor
        self.dramAddress = dramAddress
        self.chunkCount = chunkCount
        self.chunkBytes = chunkBytes
        self.strideBytes = strideBytes
        self.sramAddress = sramAddress
        self.bank = bank
        self.half = half
        self.after = after
        self.completion = completion
    }

    /// Bytes moved.
    public var bytes: Int { chunkCount * chunkBytes }
}

/// One compute step: an SRAM tile on the array or a chunk on the vector unit, with its window.
public struct ComputeRecord: Sendable, Hashable {
    /// An SRAM tile on the array.
    public struct ArrayTile: Sendable, Hashable {
        /// The group of a grouped convolution (0 otherwise).
        public var group: Int
        /// Tile index along m.
        public var mIndex: Int
        /// Tile index along n.
        public var nIndex: Int
        /// Tile index along k (the k-chunk).
        public var kIndex: Int
        /// GEMM ranges of the tile (output pixels, filters of the group, reduction elements).
        public var m: Range<Int>
        /// Filters of the group `[n0, n1)`.
        public var n: Range<Int>
        /// Reduction elements `[k0, k1)`.
        public var k: Range<Int>
        /// Whether the tile is its output tile's last k-chunk (the requantizer runs after it).
        public var lastChunk: Bool
        /// Number of folds.
        public var folds: Int
        /// Array cycles of the tile (all folds).
        public var arrayCycles: Int
        /// Requantizer cycles after the tile (0 unless it is the last k-chunk).
        public var requantizerCycles: Int

        /// A value as given.
        public init(
            group: Int, mIndex: Int, nIndex: Int, kIndex: Int, m: Range<Int>, n: Range<Int>, k: Range<Int>,
            lastChunk: Bool, folds: Int, arrayCycles: Int, requantizerCycles: Int
        ) {
            self.group = group
            self.mIndex = mIndex
            self.nIndex = nIndex
            self.kIndex = kIndex
            self.m = m
            self.n = n
            self.k = k
            self.lastChunk = lastChunk
            self.folds = folds
            self.arrayCycles = arrayCycles
            self.requantizerCycles = requantizerCycles
        }
    }

    /// A chunk on the vector unit.
    public struct VectorChunk: Sendable, Hashable {
        /// The chunk's position among the layer's chunks.
        public var chunk: Int
        /// For concat, the input the chunk copies; 0 otherwise.
        public var part: Int
        /// Element operations (for pooling: output elements × window taps).
        public var work: Int
        /// Output elements the chunk produces.
        public var outputElements: Int

        /// A value as given.
        public init(chunk: Int, part: Int, work: Int, outputElements: Int) {
            self.chunk = chunk
            self.part = part
            self.work = work
            self.outputElements = outputElements
        }
    }

    /// What the step computes.
    public enum Work: Sendable, Hashable {
        case array(ArrayTile)
        case vector(VectorChunk)
    }

    /// Global start cycle.
    public var cycle: Int
    /// The layer (node index).
    public var layer: Int
    /// The step's sequence number in the schedule.
    public var sequence: Int
    /// Global end cycle.
    public var end: Int
    /// Cycles between the previous compute step's end and this start.
    public var stall: Int
    /// Why it stalled.
    public var stallCause: TraceStallCause
    /// What the step computes.
    public var work: Work

    /// A value as given.
    public init(cycle: Int, layer: Int, sequence: Int, end: Int, stall: Int, stallCause: TraceStallCause, work: Work) {
        self.cycle = cycle
        self.layer = layer
        self.sequence = sequence
        self.end = end
        self.stall = stall
        self.stallCause = stallCause
        self.work = work
    }
}
