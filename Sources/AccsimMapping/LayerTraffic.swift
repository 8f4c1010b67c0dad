/// The bytes one layer moves, at real element widths, and its operation counts.
///
/// - DRAM: int8 (or the tensor's width) activations and weights as loaded, re-reads included; the
///   int32 bias once per layer; int32 partial sums never spill (the reduction loop is innermost),
///   so the spill counters are 0 under this policy and kept for policies that spill.
/// - SRAM: a DMA load writes its buffer, a store reads the output buffer; every operand byte that
///   enters the array or the vector unit is one read of its buffer; each fold writes its int32
///   partial sums to the output (accumulator) buffer and, unless it starts the reduction, reads
///   them first; the requantizer reads each final accumulator (4 B) and writes the output element.
public struct LayerTraffic: Sendable, Hashable {
    /// Activation bytes loaded from DRAM.
    public var dramInputReadBytes: Int
    /// Weight bytes loaded from DRAM.
    public var dramWeightReadBytes: Int
    /// Bias bytes (int32) loaded from DRAM.
    public var dramBiasReadBytes: Int
    /// Int32 partial sums read back from DRAM (0: partial sums never spill under this policy).
    public var dramPartialSumReadBytes: Int
    /// Int32 partial sums spilled to DRAM (0: partial sums never spill under this policy).
    public var dramPartialSumWriteBytes: Int
    /// Output bytes stored to DRAM.
    public var dramOutputWriteBytes: Int
    /// The input buffer.
    public var input: BufferTraffic
    /// The weight buffer.
    public var weight: BufferTraffic
    /// The output / accumulator buffer.
    public var output: BufferTraffic
    /// Multiply-accumulates on the array.
    public var macs: Int
    /// Outputs the requantizer produced.
    public var requantizerOps: Int
    /// Element operations of the vector unit.
    public var vectorOps: Int
    /// Transfers on the DMA engine.
    public var transfers: Int

    /// Traffic as given (zero by default).
    public init(
        dramInputReadBytes: Int = 0, dramWeightReadBytes: Int = 0, dramBiasReadBytes: Int = 0,
        dramPartialSumReadBytes: Int = 0, dramPartialSumWriteBytes: Int = 0, dramOutputWriteBytes: Int = 0,
        input: BufferTraffic = BufferTraffic(), weight: BufferTraffic = BufferTraffic(),
        output: BufferTraffic = BufferTraffic(), macs: Int = 0, requantizerOps: Int = 0, vectorOps: Int = 0,
        transfers: Int = 0
    ) {
        self.dramInputReadBytes = dramInputReadBytes
        self.dramWeightReadBytes = dramWeightReadBytes
        self.dramBiasReadBytes = dramBiasReadBytes
        self.dramPartialSumReadBytes = dramPartialSumReadBytes
        self.dramPartialSumWriteBytes = dramPartialSumWriteBytes
        self.dramOutputWriteBytes = dramOutputWriteBytes
        self.input = input
        self.weight = weight
        self.output = output
        self.macs = macs
        self.requantizerOps = requantizerOps
        self.vectorOps = vectorOps
        self.transfers = transfers
    }

    /// All bytes read from DRAM.
    public var dramReadBytes: Int {
        dramInputReadBytes + dramWeightReadBytes + dramBiasReadBytes + dramPartialSumReadBytes
    }

    /// All bytes written to DRAM.
    public var dramWriteBytes: Int { dramOutputWriteBytes + dramPartialSumWriteBytes }
}
