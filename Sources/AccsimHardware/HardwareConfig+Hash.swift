import AccsimChecksum
import AccsimJSON

extension HardwareConfig {
    /// The resolved config as canonical JSON (every key, declaration order, pretty-printed).
    public func canonicalJSON() -> String {
        (try? JSONWriter().encodeToString(self)) ?? ""
    }

    /// A stable 64-bit FNV-1a hash of the compact canonical JSON, as 16 hex digits: two runs with
    /// the same resolved config share it, whatever file or overrides produced it.
    public var hash: String {
        FNV1a.hex((try? JSONWriter(style: .compact).encode(self)) ?? [])
    }
}
