/// One chunk of a vector-unit layer: what one vector compute step processes.
public struct VectorChunk: Sendable, Hashable {
    /// The chunk's position among the layer's chunks.
    public var index: Int
    /// For concat, the input the chunk copies; 0 otherwise.
    public var part: Int
    /// Element operations (for pooling: output elements × window taps).
    public var work: Int
    /// Output elements the chunk produces.
    public var outputElements: Int
    /// Bytes of input the chunk reads from the input buffer.
    public var inputBytes: Int
    /// Bytes the chunk writes to the output buffer.
    public var outputBytes: Int

    /// A chunk as given.
    public init(index: Int, part: Int, work: Int, outputElements: Int, inputBytes: Int, outputBytes: Int) {
        self.index = index
        self.part = part
        self.work = work
        self.outputElements = outputElements
        self.inputBytes = inputBytes
        self.outputBytes = outputBytes
    }
}
