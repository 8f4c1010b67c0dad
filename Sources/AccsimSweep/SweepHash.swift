import AccsimChecksum

/// Sweep identifiers, hashed with ``FNV1a`` (the function of the hardware config hash and the
/// model identity), written as 16 lowercase hex digits.
public enum SweepHash {
    /// FNV-1a of `bytes` as 16 hex digits.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        FNV1a.hex(bytes)
    }

    /// The id of a point: the hash of the model's identity (``SweepModel/contentHash``) and the
    /// resolved config hash, so the same model on the same config has the same id in every sweep,
    /// shard and run.
    public static func pointID(modelHash: String, configHash: String) -> String {
        hex(Array("\(modelHash)/\(configHash)".utf8))
    }
}
