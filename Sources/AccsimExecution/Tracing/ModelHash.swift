import AccsimModel

/// A model's identity for trace headers: FNV-1a 64 of the graph's canonical `.q` encoding, so the
/// same graph has the same hash whatever file format it was read from.
enum ModelHash {
    static func of(_ graph: Graph) -> String {
        guard let bytes = try? QModelWriter.encode(graph) else { return "unencodable" }
        var value: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01B3
        }
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
