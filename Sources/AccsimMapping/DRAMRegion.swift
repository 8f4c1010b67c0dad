/// Where one tensor lives in DRAM.
public struct DRAMRegion: Sendable, Hashable {
    /// The tensor's name.
    public var tensor: String
    /// Address of the first byte (a multiple of ``DRAMMemoryMap/alignment``).
    public var address: Int
    /// Size in bytes at the tensor's element width.
    public var bytes: Int
    /// For the output of a reshape (which moves no data): the tensor whose region it shares.
    public var aliasOf: String?

    /// A region as given.
    public init(tensor: String, address: Int, bytes: Int, aliasOf: String? = nil) {
        self.tensor = tensor
        self.address = address
        self.bytes = bytes
        self.aliasOf = aliasOf
    }
}
