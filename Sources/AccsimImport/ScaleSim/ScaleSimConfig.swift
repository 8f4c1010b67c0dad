import AccsimHardware
import Foundation

/// Reads SCALE-Sim 3.0.0 `.cfg` files (INI) into accsim hardware configs that follow SCALE-Sim's
/// cycle convention, so `accsim run --hw their.cfg their_topology.csv` compares like with like.
/// Every section and key SCALE-Sim 3.0.0 ships is accepted (`key: value` or `key = value`,
/// case-sensitive as SCALE-Sim writes them); docs/timing.md lists what each one maps to:
///
/// - honoured: `[architecture_presets]` ArrayHeight → `array.rows`, ArrayWidth → `array.cols`,
///   IfmapSramSzkB / FilterSramSzkB / OfmapSramSzkB → `sram.input/weight/output.kib`, Dataflow
///   (`os`, `ws`, `is`) → `array.dataflow`, Bandwidth (words per cycle, a word is one int8 byte) →
///   `dram.bandwidth_bytes_per_cycle`; `[general]` run_name and `[run_presets]` InterfaceBandwidth
///   (`CALC` or `USER`) go into the description;
/// - accepted but not modelled (one note lists them): the DRAM offsets, MemoryBanks, the request
///   buffers, the `[layout]` bank keys with custom layouts off, the `[sparsity]` keys with sparsity
///   off, UseRamulatorTrace off, save_disk_space;
/// - refused with an error naming the key: `SparsitySupport: true`, `UseRamulatorTrace: true`,
///   `IfmapCustomLayout` / `FilterCustomLayout: true` (accsim simulates dense layers in its own
///   layouts), and any key SCALE-Sim does not have.
///
/// Everything else takes accsim's defaults, with `convention = scale_sim` and zero DRAM latency
/// (SCALE-Sim's compute report has none).
public enum ScaleSimConfig {
    /// Keys accsim accepts and does not model, with what they mean in SCALE-Sim.
    static let unmodelledKeys: Set<String> = [
        "IfmapOffset", "FilterOffset", "OfmapOffset", "MemoryBanks", "ReadRequestBuffer", "WriteRequestBuffer",
        "IfmapSRAMBankBandwidth", "IfmapSRAMBankNum", "IfmapSRAMBankPort", "FilterSRAMBankBandwidth",
        "FilterSRAMBankNum", "FilterSRAMBankPort", "SparseRep", "OptimizedMapping", "BlockSize",
        "RandomNumberGeneratorSeed", "save_disk_space",
    ]

    /// Boolean keys that must be false: accsim cannot honour them when true.
    static let mustBeFalse: [String: String] = [
        "SparsitySupport": "accsim simulates dense layers only",
        "UseRamulatorTrace": "accsim times DRAM with its own model (docs/timing.md), not Ramulator traces",
        "IfmapCustomLayout": "accsim places every tensor in its own NHWC layout",
        "FilterCustomLayout": "accsim places every tensor in its own OHWI layout",
    ]

    /// A parsed file: the config and the keys accepted without being modelled.
    public struct Parsed: Sendable {
        public var config: HardwareConfig
        /// `[section] key` of every key that was accepted but not modelled, in file order.
        public var unmodelled: [String]

        /// The one note to print about the unmodelled keys, nil when there are none.
        public var note: String? {
            unmodelled.isEmpty
                ? nil
                : "note: SCALE-Sim keys accepted but not modelled by accsim: " + unmodelled.joined(separator: ", ")
        }
    }

    /// Parses INI `text` of the file `file` into a hardware config.
    public static func parse(_ text: String, file: String) throws(HardwareConfigError) -> HardwareConfig {
        try parseDetailed(text, file: file).config
    }

    /// Parses INI `text` of the file `file`, keeping the list of accepted but unmodelled keys.
    public static func parseDetailed(_ text: String, file: String) throws(HardwareConfigError) -> Parsed {
        var config = HardwareConfig.standard
        config.convention = .scaleSim
        config.dram.latencyCycles = 0
        let stem = (file.split(separator: "/").last.map(String.init) ?? file)
        config.name = stem.hasSuffix(".cfg") ? String(stem.dropLast(4)) : stem
        var interface = "CALC"
        var runName: String?
        var unmodelled: [String] = []
        var section = ""
        var seen = Set<String>()
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else {
                    throw HardwareConfigError(
                        file: file, keyPath: "line \(index + 1)", "malformed section header '\(line)'")
                }
                section = String(line.dropFirst().dropLast())
                continue
            }
            guard let separator = line.firstIndex(where: { $0 == ":" || $0 == "=" }) else {
                throw HardwareConfigError(
                    file: file, keyPath: "line \(index + 1)", "expected 'key: value', got '\(line)'")
            }
            let key = line[..<separator].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: separator)...].trimmingCharacters(in: .whitespaces)
            let path = section.isEmpty ? key : "[\(section)] \(key)"
            func integer() throws(HardwareConfigError) -> Int {
                guard let number = Int(value), number > 0 else {
                    throw HardwareConfigError(file: file, keyPath: path, "must be a positive integer, got '\(value)'")
                }
                return number
            }
            seen.insert(key)
            switch key {
            case "ArrayHeight": config.array.rows = try integer()
            case "ArrayWidth": config.array.cols = try integer()
            case "IfmapSramSzkB": config.sram.input.kib = try integer()
            case "FilterSramSzkB": config.sram.weight.kib = try integer()
            case "OfmapSramSzkB": config.sram.output.kib = try integer()
            case "Bandwidth": config.dram.bandwidthBytesPerCycle = try integer()
            case "Dataflow":
                switch value.lowercased() {
                case "os": config.array.dataflow = .outputStationary
                case "ws": config.array.dataflow = .weightStationary
                case "is": config.array.dataflow = .inputStationary
                default:
                    throw HardwareConfigError(
                        file: file, keyPath: path, "dataflow must be os, ws or is, got '\(value)'")
                }
            case "InterfaceBandwidth": interface = value
            case "run_name": runName = value
            default:
                if let reason = mustBeFalse[key] {
                    switch value.lowercased() {
                    case "false", "0", "no": continue
                    case "true", "1", "yes":
                        throw HardwareConfigError(file: file, keyPath: path, "'\(value)' cannot be honoured: \(reason)")
                    default:
                        throw HardwareConfigError(file: file, keyPath: path, "must be true or false, got '\(value)'")
                    }
                }
                guard unmodelledKeys.contains(key) else {
                    throw HardwareConfigError(file: file, keyPath: path, "unknown SCALE-Sim key")
                }
                unmodelled.append(path)
            }
        }
        for required in ["ArrayHeight", "ArrayWidth", "Dataflow"] where !seen.contains(required) {
            throw HardwareConfigError(file: file, keyPath: "[architecture_presets] \(required)", "missing")
        }
        // SCALE-Sim's SRAM sizes need not divide into accsim's default bank count.
        for keyPath in [\HardwareConfig.sram.input, \HardwareConfig.sram.weight, \HardwareConfig.sram.output] {
            config[keyPath: keyPath].banks = 1
        }
        config.description =
            "Imported from SCALE-Sim config \(stem)" + (runName.map { " (run \($0))" } ?? "")
            + " (InterfaceBandwidth \(interface)); SCALE-Sim cycle convention."
        do {
            try config.validate()
        } catch {
            var located = error
            located.file = file
            throw located
        }
        return Parsed(config: config, unmodelled: unmodelled)
    }
}
