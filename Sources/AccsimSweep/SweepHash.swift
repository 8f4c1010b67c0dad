/// The 64-bit FNV-1a hash accsim uses for stable identifiers (the same function as the hardware
/// config hash), written as 16 lowercase hex digits.
public enum SweepHash {
    /// FNV-1a of `bytes`.
    public static func fnv1a(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var value: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01B3
        }
        return value
    }

    /// FNV-1a of `bytes` as 16 hex digits.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        hex(fnv1a(bytes))
    }

    /// `value` as 16 lowercase hex digits.
    public static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The id of a point: the hash of the model's content hash and the resolved config hash, so
    /// the same model on the same config has the same id in every sweep, shard and run.
    public static func pointID(modelHash: String, configHash: String) -> String {
        hex(Array("\(modelHash)/\(configHash)".utf8))
    }
}
