import AccsimHardware

/// What one tiling of a layer costs, measured on the layer's built schedule: its timeline's total
/// cycles, the DRAM bytes it moves and its energy. The mapper ranks tilings by these.
public struct MappingScore: Sendable, Hashable, Codable {
    /// The layer's total cycles on its timeline.
    public var cycles: Int
    /// Bytes read from and written to DRAM.
    public var dramBytes: Int
    /// Energy in picojoules (0 when the config has no energy table).
    public var energyPicojoules: Double

    /// A score as given.
    public init(cycles: Int, dramBytes: Int, energyPicojoules: Double) {
        self.cycles = cycles
        self.dramBytes = dramBytes
        self.energyPicojoules = energyPicojoules
    }

    enum CodingKeys: String, CodingKey {
        case cycles
        case dramBytes = "dram_bytes"
        case energyPicojoules = "energy_pj"
    }

    /// The value `objective` minimises.
    public func value(_ objective: MappingObjective) -> Double {
        switch objective {
        case .latency: Double(cycles)
        case .energy: energyPicojoules
        case .edp: energyPicojoules * Double(cycles)
        case .dramBytes: Double(dramBytes)
        }
    }

    /// The ranking key under `objective`: the objective's value, then latency, DRAM bytes and
    /// energy (the tie-breaks of docs/mapping.md, before the tiling's own).
    func key(_ objective: MappingObjective) -> [Double] {
        [value(objective), Double(cycles), Double(dramBytes), energyPicojoules]
    }
}

extension LayerTraffic {
    /// The energy of this traffic under `table` (pJ): MACs, SRAM bytes read and written, DRAM bytes
    /// moved, each at its cost; 0 when the table is empty.
    public func energyPicojoules(_ table: EnergyConfig) -> Double {
        let sramReads = input.reads + weight.reads + output.reads
        let sramWrites = input.writes + weight.writes + output.writes
        return Double(macs) * table.macPJ + Double(sramReads) * table.sramReadPJPerByte
            + Double(sramWrites) * table.sramWritePJPerByte + Double(dramReadBytes + dramWriteBytes)
            * table.dramPJPerByte
    }
}
