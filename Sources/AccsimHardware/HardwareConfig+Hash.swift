import AccsimJSON

extension HardwareConfig {
    /// The resolved config as canonical JSON (every key, declaration order, pretty-printed).
    public func canonicalJSON() -> String {
        (try? JSONWriter().encodeToString(self)) ?? ""
    }

    /// A stable 64-bit FNV-1a hash of the compact canonical JSON, as 16 hex digits: two runs with
    /// the same resolved config share it, whatever file or overrides produced it.
    public var hash: String {
        let bytes = (try? JSONWriter(style: .compact).encode(self)) ?? []
        var value: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01B3
        }
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
