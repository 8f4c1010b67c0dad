import AccsimHardware
import AccsimTiming

/// One SRAM buffer as the mapper sees it: the space a tile may use (the whole buffer, or one half
/// when double-buffered), where each half starts, and which bank an address falls in.
struct BufferSpace: Sendable {
    let kind: BufferKind
    let config: BufferConfig

    init(kind: BufferKind, config: BufferConfig) {
        self.kind = kind
        self.config = config
    }

    /// The three SRAM buffers of `hardware`.
    static func all(of hardware: HardwareConfig) -> (input: BufferSpace, weight: BufferSpace, output: BufferSpace) {
        (
            BufferSpace(kind: .input, config: hardware.sram.input),
            BufferSpace(kind: .weight, config: hardware.sram.weight),
            BufferSpace(kind: .output, config: hardware.sram.output)
        )
    }

    /// The config key, e.g. `sram.weight`.
    var key: String { "sram.\(kind.rawValue)" }

    /// Bytes one tile may use: half the buffer when double-buffered.
    var tileBytes: Int { config.doubleBuffered ? config.bytes / 2 : config.bytes }

    /// The address of the first byte of half `half` (0 or 1; always 0 when single-buffered).
    func base(half: Int) -> Int { half * tileBytes }

    /// The bank of the byte at `address`: `address / bank_bytes_per_cycle mod banks`.
    func bank(of address: Int) -> Int { address / config.bankBytesPerCycle % config.banks }

    /// `sram.weight holds 1,024 (512 per half, double-buffered)` or `sram.weight holds 1,024
    /// (single-buffered)`.
    var capacityDescription: String {
        let total = Self.grouped(config.bytes)
        return config.doubleBuffered
            ? "\(key) holds \(total) (\(Self.grouped(tileBytes)) per half, double-buffered)"
            : "\(key) holds \(total) (single-buffered)"
    }

    /// `needs N bytes of weight buffer but sram.weight holds …`.
    func shortfall(needs bytes: Int) -> String {
        "needs \(Self.grouped(bytes)) bytes of \(kind.rawValue) buffer but \(capacityDescription)"
    }

    /// `1234567` → `1,234,567`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }
}
