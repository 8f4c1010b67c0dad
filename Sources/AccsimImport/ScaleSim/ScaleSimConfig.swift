import AccsimHardware
import Foundation

/// Reads SCALE-Sim `.cfg` files (INI) into accsim hardware configs that follow SCALE-Sim's cycle
/// convention, so `accsim run --hw their.cfg their_topology.csv` compares like with like.
///
/// Read keys (`key: value` or `key = value`, case-sensitive as SCALE-Sim writes them):
/// `[architecture_presets]` ArrayHeight → `array.rows`, ArrayWidth → `array.cols`,
/// IfmapSramSzkB → `sram.input.kib`, FilterSramSzkB → `sram.weight.kib`, OfmapSramSzkB →
/// `sram.output.kib`, Dataflow (`os`, `ws`, `is`) → `array.dataflow`, Bandwidth (words per cycle;
/// a word is one int8 byte) → `dram.bandwidth_bytes_per_cycle`; `[run_presets]`
/// InterfaceBandwidth (`CALC` or `USER`) is recorded in the description. Offsets, MemoryBanks and
/// `[general]` keys are accepted and ignored; any other key is an error naming it.
/// Everything else takes accsim's defaults, with `convention = scale_sim` and zero DRAM latency
/// (SCALE-Sim's compute report has none).
public enum ScaleSimConfig {
    static let ignoredKeys: Set<String> = [
        "run_name", "IfmapOffset", "FilterOffset", "OfmapOffset", "MemoryBanks", "ReadRequestBuffer",
        "WriteRequestBuffer", "SparsitySupport", "SparseRep", "OptimizedMapping", "BlockSize",
        "RandomNumberGeneratorSeed", "save_disk_space", "UseRamulatorTrace",
    ]

    /// Parses INI `text` of the file `file` into a hardware config.
    public static func parse(_ text: String, file: String) throws(HardwareConfigError) -> HardwareConfig {
        var config = HardwareConfig.standard
        config.convention = .scaleSim
        config.dram.latencyCycles = 0
        let stem = (file.split(separator: "/").last.map(String.init) ?? file)
        config.name = stem.hasSuffix(".cfg") ? String(stem.dropLast(4)) : stem
        var interface = "CALC"
        var section = ""
        var seen = Set<String>()
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else {
                    throw HardwareConfigError(file: file, keyPath: "line \(index + 1)", "malformed section header '\(line)'")
                }
                section = String(line.dropFirst().dropLast())
                continue
            }
            guard let separator = line.firstIndex(where: { $0 == ":" || $0 == "=" }) else {
                throw HardwareConfigError(file: file, keyPath: "line \(index + 1)", "expected 'key: value', got '\(line)'")
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
                default: throw HardwareConfigError(file: file, keyPath: path, "dataflow must be os, ws or is, got '\(value)'")
                }
            case "InterfaceBandwidth": interface = value
            default:
                if !ignoredKeys.contains(key) {
                    throw HardwareConfigError(file: file, keyPath: path, "unknown SCALE-Sim key")
                }
            }
        }
        for required in ["ArrayHeight", "ArrayWidth", "Dataflow"] where !seen.contains(required) {
            throw HardwareConfigError(file: file, keyPath: "[architecture_presets] \(required)", "missing")
        }
        // SCALE-Sim's SRAM sizes need not divide into accsim's default bank count.
        for keyPath in [\HardwareConfig.sram.input, \HardwareConfig.sram.weight, \HardwareConfig.sram.output] {
            config[keyPath: keyPath].banks = 1
        }
        config.description = "Imported from SCALE-Sim config \(stem) (InterfaceBandwidth \(interface)); SCALE-Sim cycle convention."
        do {
            try config.validate()
        } catch {
            var located = error
            located.file = file
            throw located
        }
        return config
    }
}
