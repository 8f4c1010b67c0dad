/// Constants of the `.q` model container (docs/model-format.md).
public enum QModelFormat {
    /// The format version this accsim writes, and the newest it reads.
    public static let version: UInt32 = 1
    /// The 8 bytes every `.q` file starts with: ASCII `ACCSIMQ` and `0x1A`.
    public static let magic: [UInt8] = Array("ACCSIMQ".utf8) + [0x1A]
    /// Size of the fixed header in bytes; the manifest starts right after it.
    public static let headerSize = 64
    /// Alignment of every constant blob (and of the first one's start after the manifest).
    public static let alignment = 64
    /// The only flags value version 1 defines.
    public static let flags: UInt32 = 0

    /// `value` rounded up to a multiple of ``alignment`` (nil on overflow).
    static func aligned(_ value: Int) -> Int? {
        let (sum, overflow) = value.addingReportingOverflow(alignment - 1)
        return overflow ? nil : sum / alignment * alignment
    }
}
