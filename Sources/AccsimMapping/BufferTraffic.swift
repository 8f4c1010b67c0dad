/// Bytes read from and written to one SRAM buffer.
public struct BufferTraffic: Sendable, Hashable {
    /// Bytes read.
    public var reads: Int
    /// Bytes written.
    public var writes: Int

    /// Traffic as given (zero by default).
    public init(reads: Int = 0, writes: Int = 0) {
        self.reads = reads
        self.writes = writes
    }
}
