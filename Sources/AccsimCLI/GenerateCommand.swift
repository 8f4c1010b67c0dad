import AccsimModel
import ArgumentParser

/// `accsim generate`: write a synthetic model of a well-known shape.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic model (seeded random int8 weights) of a well-known shape.",
        discussion:
            "Models: \(SyntheticModels.names.joined(separator: ", ")). Timing and traffic are the real network's; the data is deterministic but meaningless."
    )

    @Argument(help: "The model's name.")
    var name: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The .q file to write.", valueName: "model.q"))
    var output: String

    @Option(name: .long, help: "Seed of the weights.")
    var seed: UInt64 = 0

    @Flag(name: .long, help: "Overwrite the output file if it exists.")
    var force = false

    func run() throws {
        guard let graph = SyntheticModels.model(named: name, seed: seed) else {
            throw CLIError("unknown model '\(name)' (known: \(SyntheticModels.names.joined(separator: ", ")))")
        }
        try QModelWriter.write(graph, to: output, overwrite: force)
        print(
            "\(output): \(graph.name), \(graph.nodes.count) layers, \(graph.totalMACs) MACs, \(graph.totalParameterBytes) parameter bytes"
        )
    }
}
