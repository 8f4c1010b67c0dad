import AccsimHardware
import AccsimImport
import AccsimMapping
import AccsimModel
import ArgumentParser

/// `accsim map`: why a layer is mapped the way it is — the best tilings of the space under the
/// config's `mapping.objective`, each built and timed, with cycles, DRAM bytes and energy.
struct MapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "List the best tilings of a conv or fully connected layer with their cycles, DRAM bytes and energy."
    )

    @Option(name: .customLong("hw"), help: ArgumentHelp("Hardware config: a path, a bundled name or a SCALE-Sim .cfg."))
    var hardware: String

    @Option(
        name: .customLong("set"), help: ArgumentHelp("Override a config key (repeatable).", valueName: "key.path=value")
    )
    var overrides: [String] = []

    @Option(help: ArgumentHelp("The layer (node name) to explain."))
    var layer: String

    @Option(help: ArgumentHelp("How many tilings to list, best first."))
    var top: Int = 5

    @Argument(help: ArgumentHelp("The model file.", valueName: "model"))
    var model: String

    func validate() throws {
        if top < 1 { throw ValidationError("--top must be at least 1, got \(top)") }
    }

    func run() throws {
        let resolved = try HardwareFile.load(hardware, overrides: overrides)
        let graph = try ModelFile.load(model)
        try graph.validate()
        guard let ranking = try Mapper(hardware: resolved.config).rankTilings(of: layer, in: graph, count: top) else {
            throw ValidationError(
                "layer '\(layer)' does not run on the array (only conv2d and fully_connected are tiled)")
        }
        print(Self.render(ranking, hardware: resolved), terminator: "")
    }

    static func render(_ ranking: TilingRanking, hardware: ResolvedHardware) -> String {
        let shape = ranking.lowering.shape
        var text =
            "layer     \(ranking.layer): \(ranking.lowering.groups) × GEMM \(shape.m)×\(shape.k)×\(shape.n) (M×K×N)\n"
        text +=
            "hardware  \(hardware.name): \(hardware.config.array.rows)x\(hardware.config.array.cols) "
            + "\(hardware.config.array.dataflow.rawValue), \(hardware.config.convention.rawValue) cycles\n"
        text +=
            "objective \(ranking.objective.rawValue): \(ranking.candidates) candidates fit the buffers, "
            + "\(ranking.evaluated) built and timed\n\n"
        text += "rank  mT × kT × nT          tiles m·k·n  order          cycles    DRAM bytes  energy pJ\n"
        for (index, entry) in ranking.ranked.enumerated() {
            let t = entry.tiling
            let size = "\(t.mTile) × \(t.kTile) × \(t.nTile)"
            let tiles = "\(t.mTiles)·\(t.kTiles)·\(t.nTiles)"
            text +=
                pad(String(index + 1), 6) + pad(size, 22) + pad(tiles, 13) + pad(t.order.rawValue, 15)
                + lpad(grouped(entry.score.cycles), 8) + lpad(grouped(entry.score.dramBytes), 14)
                + lpad(String(format: "%.1f", entry.score.energyPicojoules), 11) + "\n"
        }
        return text
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        s + String(repeating: " ", count: max(1, width - s.count))
    }
    private static func lpad(_ s: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - s.count)) + s
    }
    private static func grouped(_ value: Int) -> String {
        let digits = String(value)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }
}
