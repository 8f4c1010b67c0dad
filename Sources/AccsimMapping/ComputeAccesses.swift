/// What one compute step does to the buffers, in bytes at real element widths, and its operation
/// counts.
public struct ComputeAccesses: Sendable, Hashable {
    /// Operand bytes read from the input buffer (every byte entering the array or vector unit).
    public var inputBufferReads: Int
    /// Operand bytes read from the weight buffer.
    public var weightBufferReads: Int
    /// Bytes read from the output buffer: accumulator read-modify-writes and the requantizer's
    /// reads of final accumulators (int32).
    public var outputBufferReads: Int
    /// Bytes written to the output buffer: int32 partial sums, the requantizer's outputs, vector
    /// results.
    public var outputBufferWrites: Int
    /// Multiply-accumulates on the array.
    public var macs: Int
    /// Outputs the requantizer produced.
    public var requantizerOps: Int
    /// Element operations of the vector unit (for pooling: output elements × window taps).
    public var vectorOps: Int

    /// Accesses as given (all zero by default).
    public init(
        inputBufferReads: Int = 0, weightBufferReads: Int = 0, outputBufferReads: Int = 0,
        outputBufferWrites: Int = 0, macs: Int = 0, requantizerOps: Int = 0, vectorOps: Int = 0
    ) {
        self.inputBufferReads = inputBufferReads
        self.weightBufferReads = weightBufferReads
        self.outputBufferReads = outputBufferReads
        self.outputBufferWrites = outputBufferWrites
        self.macs = macs
        self.requantizerOps = requantizerOps
        self.vectorOps = vectorOps
    }
}
