/// A layer starts: its global start cycle, name and operation.
public struct LayerBeginRecord: Sendable, Hashable {
    /// Global cycle the layer starts (the sum of the previous layers' cycles).
    public var cycle: Int
    /// Node index.
    public var layer: Int
    /// The name.
    public var name: String
    /// The operation kind, e.g. `conv2d`.
    public var op: String

    /// A value as given.
    public init(cycle: Int, layer: Int, name: String, op: String) {
        self.cycle = cycle
        self.layer = layer
        self.name = name
        self.op = op
    }
}

/// A layer ends: the checkpoint an RTL run compares first.
public struct LayerEndRecord: Sendable, Hashable {
    /// Global cycle the layer ends (its start + its total cycles).
    public var cycle: Int
    /// Node index.
    public var layer: Int
    /// CRC-32 of the layer's output elements (traced sample), little-endian at their stored width.
    public var outputCRC: UInt32
    /// CRC-32 of the int32 accumulators before bias (`[M, channels]`, output-pixel-major), for
    /// layers on the array; nil otherwise.
    public var accumulatorCRC: UInt32?
    /// The layer's counters.
    public var counters: LayerCounters

    /// A value as given.
    public init(cycle: Int, layer: Int, outputCRC: UInt32, accumulatorCRC: UInt32?, counters: LayerCounters) {
        self.cycle = cycle
        self.layer = layer
        self.outputCRC = outputCRC
        self.accumulatorCRC = accumulatorCRC
        self.counters = counters
    }
}
