/// The DRAM side of a DMA transfer as a strided 2-D access: `count` chunks of `chunkBytes`
/// contiguous bytes, chunk `i` starting at `dramAddress + i · strideBytes`. The SRAM side is always
/// contiguous. A contiguous transfer is one chunk (`count == 1`, `strideBytes == chunkBytes`).
public struct DMAPattern: Sendable, Hashable {
    /// Number of chunks.
    public var count: Int
    /// Contiguous bytes per chunk.
    public var chunkBytes: Int
    /// Distance in DRAM between the starts of consecutive chunks.
    public var strideBytes: Int

    /// A strided pattern; merged into one contiguous chunk when the chunks touch.
    public init(count: Int, chunkBytes: Int, strideBytes: Int) {
        if count > 1 && chunkBytes == strideBytes {
            self.count = 1
            self.chunkBytes = count * chunkBytes
        } else {
            self.count = count
            self.chunkBytes = chunkBytes
        }
        self.strideBytes = self.count == 1 ? self.chunkBytes : strideBytes
    }

    /// One contiguous run of `bytes` bytes.
    public static func contiguous(_ bytes: Int) -> DMAPattern {
        DMAPattern(count: 1, chunkBytes: bytes, strideBytes: bytes)
    }

    /// Bytes moved: `count · chunkBytes`.
    public var bytes: Int { count * chunkBytes }
}
