import AccsimImport
import AccsimModel
import ArgumentParser

/// `accsim import`: convert a foreign model into a `.q` file.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert a TFLite model or a SCALE-Sim topology into an accsim .q model.",
        discussion: """
            TFLite models keep LiteRT's integer semantics exactly (docs/import-tflite.md): by default
            its optimized kernels; --tflite-kernels reference selects its reference kernels.
            SCALE-Sim topologies (.csv) become one independent layer per row with seeded weights.
            """
    )

    @Argument(help: ArgumentHelp("The model to import (.tflite or a SCALE-Sim topology .csv).", valueName: "model"))
    var input: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The .q file to write.", valueName: "model.q"))
    var output: String

    @Option(name: .long, help: "LiteRT kernels whose semantics a TFLite import reproduces: optimized or reference.")
    var tfliteKernels: TFLiteKernelChoice = .optimized

    @Flag(name: .long, help: "Overwrite the output file if it exists.")
    var force = false

    func run() throws {
        let graph = try ModelLoading.load(input, tfliteKernels: tfliteKernels.kernels)
        try QModelWriter.write(graph, to: output, overwrite: force)
        var line = "\(output): \(graph.name), \(graph.nodes.count) layers, \(graph.totalMACs) MACs"
        if let semantics = graph.metadata["semantics"] { line += ", semantics \(semantics)" }
        if let inexact = graph.metadata["tflite_inexact"] { line += "\nnote: not bit-exact with LiteRT's optimized kernels: \(inexact)" }
        print(line)
    }
}

/// `--tflite-kernels` values.
enum TFLiteKernelChoice: String, ExpressibleByArgument, CaseIterable {
    case optimized
    case reference

    var kernels: TFLiteImporter.Options.Kernels {
        switch self {
        case .optimized: .optimized
        case .reference: .reference
        }
    }
}
