import AccsimArithmetic
import AccsimExecution
import AccsimImport
import AccsimModel
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
            let x = try Self.tensor(samples)
            let y = try Self.tensor(labels).values.map(Int.init)
            print("top-1 \(settings.requantPolicy.description): \(try Self.top1(graph, x, y))")
            if URL(fileURLWithPath: input).pathExtension.lowercased() == "onnx", settings.requantPolicy != .default {
                let baseline = try ModelFile.load(
                    input, settings: ModelFile.Settings(tfliteKernels: settings.tfliteKernels))
                print("top-1 \(RequantPolicy.default.description): \(try Self.top1(baseline, x, y))")
            }
        }
    }

    /// An integer .npy file as a tensor.
    private static func tensor(_ path: String) throws -> IntTensor {
        let array = try NPYFile.read(path: path)
        guard let tensor = array.intTensor() else {
            throw CLIError("\(path): expected an integer array, got dtype \(array.dtype)")
        }
        return tensor
    }

    /// "correct/total = p%" of `graph` on inputs `x` against `labels`.
    private static func top1(_ graph: Graph, _ x: IntTensor, _ labels: [Int]) throws -> String {
        let outputs = try GraphExecutor(graph: graph, kernels: .fast).run(
            batch: x, threads: ProcessInfo.processInfo.activeProcessorCount)
        guard let logits = outputs[graph.outputs[0]], logits.shape.count == 2 else {
            throw CLIError("--labels needs a model output shaped [N, classes]")
        }
        guard labels.count == logits.shape[0] else {
            throw CLIError("\(labels.count) labels for \(logits.shape[0]) samples")
        }
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
