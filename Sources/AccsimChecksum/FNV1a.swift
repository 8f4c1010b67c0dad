/// 64-bit FNV-1a: the one hash accsim uses for stable identifiers (hardware config hashes, the
/// model identity (`ModelIdentity` in AccsimModel), sweep point ids). Not a checksum against
/// damage (that is ``CRC32``): an identifier that is the same on every machine and every run.
public enum FNV1a {
    /// The FNV-1a 64-bit offset basis.
    public static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
    /// The FNV-1a 64-bit prime.
    public static let prime: UInt64 = 0x0000_0100_0000_01B3

    /// The hash of `bytes`.
    public static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var value = offsetBasis
        for byte in bytes {
            value ^= UInt64(byte)
            value &*= prime
        }
        return value
    }

    /// The hash of `bytes` as 16 lowercase hexadecimal digits.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        hex(hash(bytes))
    }

    /// `value` as 16 lowercase hexadecimal digits (leading zeros kept).
    public static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
