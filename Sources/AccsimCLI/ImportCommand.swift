import AccsimArithmetic
import AccsimImport
import AccsimModel
import AccsimSimulation
import ArgumentParser
import Foundation

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

    @Argument(
        help: ArgumentHelp("The model to import (.tflite, .onnx or a SCALE-Sim topology .csv).", valueName: "model"))
    var input: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The .q file to write.", valueName: "model.q"))
    var output: String

    @Option(name: .long, help: "LiteRT kernels whose semantics a TFLite import reproduces: optimized or reference.")
    var tfliteKernels: TFLiteKernelChoice = .optimized

    @Option(
        name: .long,
        help: ArgumentHelp("ONNX requantizers: fixed-point, fixed-point:BITS or single-shift.", valueName: "policy"))
    var requant: RequantPolicyArgument?

    @Option(
        name: .customLong("input"),
        help: ArgumentHelp(
            "Inputs [N, …] to measure the imported model's accuracy on (with --labels).", valueName: "x.npy"))
    var samples: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Labels [N]: report top-1 of the imported model (and, for ONNX under another policy, of the default fixed-point policy).",
            valueName: "labels.npy"))
    var labels: String?

    @Flag(name: .long, help: "Overwrite the output file if it exists.")
    var force = false

    func validate() throws {
        if (samples == nil) != (labels == nil) { throw ValidationError("--input and --labels go together") }
    }

    func run() throws {
        let settings = ModelFile.Settings(
            tfliteKernels: tfliteKernels.kernels, requantPolicy: requant?.policy ?? .default)
        let loaded = try ModelFile.loadWithNotes(input, settings: settings)
        let (graph, notes) = (loaded.graph, loaded.notes)
        try QModelWriter.write(graph, to: output, overwrite: force)
        var line = "\(output): \(graph.name), \(graph.nodes.count) layers, \(graph.totalMACs) MACs"
        if let semantics = graph.metadata["semantics"] { line += ", semantics \(semantics)" }
        print(line)
        for note in notes { print("note: \(note)") }
        if let samples, let labels {
            print("top-1 \(settings.requantPolicy.description): \(try top1(graph, samples, labels))")
            if URL(fileURLWithPath: input).pathExtension.lowercased() == "onnx", settings.requantPolicy != .default {
                let baseline = try ModelFile.load(
                    input, settings: ModelFile.Settings(tfliteKernels: settings.tfliteKernels))
                print("top-1 \(RequantPolicy.default.description): \(try top1(baseline, samples, labels))")
            }
        }
    }

    /// "correct/total = p%" of `graph` (through the `Simulation` entry point, no hardware) on the
    /// inputs in `inputs` against the labels in `labels`.
    private func top1(_ graph: Graph, _ inputs: String, _ labels: String) throws -> String {
        let batches = try ModelInputs.batch(npy: inputs, for: graph, model: input)
        let outputs = try Simulation(model: graph, hardware: nil).run(
            batches: batches, threads: ProcessInfo.processInfo.activeProcessorCount)
        guard let logits = outputs[graph.outputs[0]], logits.shape.count == 2 else {
            throw CLIError("--labels needs a model output shaped [N, classes]")
        }
        let labels = try ModelInputs.labels(npy: labels, samples: logits.shape[0])
        let correct = Classification.correctCount(predictions: Classification.argmax(logits), labels: labels)
        return "\(correct)/\(labels.count) = \(String(format: "%.2f", 100 * Double(correct) / Double(labels.count))) %"
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
