/// One fold of the array: the GEMM block the edge events that follow belong to.
public struct FoldRecord: Sendable, Hashable {
    /// Global start cycle of the fold (its compute step's start + the previous folds' cycles).
    public var cycle: Int
    /// The layer (node index).
    public var layer: Int
    /// Sequence number of the compute step.
    public var sequence: Int
    /// Position among the step's folds.
    public var index: Int
    /// The group of a grouped convolution (0 otherwise).
    public var group: Int
    /// GEMM ranges of the fold.
    public var m: Range<Int>
    /// Reduction elements `[k0, k1)`.
    public var k: Range<Int>
    /// Filters of the group `[n0, n1)`.
    public var n: Range<Int>
    /// Global end cycle (start + the fold's cycles in the timeline).
    public var end: Int

    /// A value as given.
    public init(
        cycle: Int, layer: Int, sequence: Int, index: Int, group: Int, m: Range<Int>, k: Range<Int>, n: Range<Int>,
        end: Int
    ) {
        self.cycle = cycle
        self.layer = layer
        self.sequence = sequence
        self.index = index
        self.group = group
        self.m = m
        self.k = k
        self.n = n
        self.end = end
    }
}

/// One value crossing an edge of the array in one cycle.
public struct EdgeRecord: Sendable, Hashable {
    /// Global cycle.
    public var cycle: Int
    /// The layer (node index).
    public var layer: Int
    /// Which edge.
    public var edge: TraceEdge
    /// Row (left) or column (top, bottom).
    public var index: Int
    /// An operand entering (zero points subtracted) or an int32 partial sum / output leaving.
    public var value: Int32

    /// A value as given.
    public init(cycle: Int, layer: Int, edge: TraceEdge, index: Int, value: Int32) {
        self.cycle = cycle
        self.layer = layer
        self.edge = edge
        self.index = index
        self.value = value
    }
}

/// One SRAM bank access in one cycle.
public struct SRAMRecord: Sendable, Hashable {
    /// Global cycle.
    public var cycle: Int
    /// The layer (node index).
    public var layer: Int
    /// The buffer.
    public var buffer: TraceBuffer
    /// A write (else a read).
    public var isWrite: Bool
    /// Bank of the (first) byte.
    public var bank: Int
    /// Byte address within the buffer.
    public var address: Int
    /// Bytes accessed.
    public var bytes: Int

    /// A value as given.
    public init(cycle: Int, layer: Int, buffer: TraceBuffer, isWrite: Bool, bank: Int, address: Int, bytes: Int) {
        self.cycle = cycle
        self.layer = layer
        self.buffer = buffer
        self.isWrite = isWrite
        self.bank = bank
        self.address = address
        self.bytes = bytes
    }
}

/// A record of a type this reader does not know (written by a newer minor revision); kept so
/// that it can be counted, shown and skipped.
public struct UnknownRecord: Sendable, Hashable {
    /// Global cycle.
    public var cycle: Int
    /// The layer (node index).
    public var layer: Int
    /// The type byte.
    public var type: UInt8
    /// The body after the cycle and layer fields.
    public var body: [UInt8]

    /// A value as given.
    public init(cycle: Int, layer: Int, type: UInt8, body: [UInt8]) {
        self.cycle = cycle
        self.layer = layer
        self.type = type
        self.body = body
    }
}
