import AccsimImport
import AccsimModel
import ArgumentParser

/// `accsim import`: convert a foreign model into a `.q` file.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert a TFLite or ONNX model, or a SCALE-Sim topology, into an accsim .q model.",
        discussion: """
            TFLite models keep LiteRT's integer semantics exactly (docs/import-tflite.md): by default
            its optimized kernels; --tflite-kernels reference selects its reference kernels.
            Quantized ONNX models (QDQ or QOperator) get integer requantizers under --requant
            (docs/import-onnx.md); the import reports the worst scale approximation.
            SCALE-Sim topologies (.csv) become one independent layer per row with seeded weights.
            """
    )

    @Argument(help: ArgumentHelp("The model to import (.tflite, .onnx or a SCALE-Sim topology .csv).", valueName: "model"))
    var input: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The .q file to write.", valueName: "model.q"))
    var output: String

    @Option(name: .long, help: "LiteRT kernels whose semantics a TFLite import reproduces: optimized or reference.")
    var tfliteKernels: TFLiteKernelChoice = .optimized

    @Option(name: .long, help: ArgumentHelp("ONNX requantizers: fixed-point, fixed-point:BITS or single-shift.", valueName: "policy"))
    var requant: RequantPolicyArgument?

    @Flag(name: .long, help: "Overwrite the output file if it exists.")
    var force = false

    func run() throws {
        let settings = ImportSettings(tfliteKernels: tfliteKernels.kernels, requantPolicy: requant?.policy ?? .default)
        let (graph, notes) = try ModelLoading.loadWithNotes(input, settings: settings)
        try QModelWriter.write(graph, to: output, overwrite: force)
        var line = "\(output): \(graph.name), \(graph.nodes.count) layers, \(graph.totalMACs) MACs"
        if let semantics = graph.metadata["semantics"] { line += ", semantics \(semantics)" }
        print(line)
        for note in notes { print("note: \(note)") }
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
