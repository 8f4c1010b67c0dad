import AccsimArithmetic
import AccsimExecution
import AccsimFiles
import AccsimImport
import AccsimJSON
import AccsimModel
import AccsimSimulation
import AccsimSuggestions
import AccsimTrace
import AccsimTracing
import ArgumentParser
import Foundation

/// `accsim export-mem`: `$readmemh` images of one layer's tensors for RTL bring-up.
struct ExportMemCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-mem",
        abstract: "Write $readmemh hex images of a layer's input, weights, bias, accumulators and expected output.",
        discussion: """
            One sample (the first of --input, or generated from --seed as `accsim run` does) runs along
            the schedule of --hw. In DIR, for layer L: L.input.hex (NHWC), L.weights.hex (conv OHWI,
            FC [O, D]), L.bias.hex (int32), L.acc.hex (int32 accumulators before bias, [pixels,
            channels], for conv/FC) and L.output.hex, each element two's complement at its width,
            --word-elements per line (element 0 in the low bits); L.mem.json lists shapes, types,
            zero points and files.
            """
    )

    @Argument(help: ArgumentHelp("The model file.", valueName: "model.q"))
    var model: String

    @Option(
        name: .long,
        help: ArgumentHelp("Hardware config: a JSON file or the name of a bundled config.", valueName: "config"))
    var hw: String

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp("Override a hardware config key (repeatable).", valueName: "key.path=value"))
    var overrides: [String] = []

    @Option(name: .long, help: ArgumentHelp("The layer: node index or name.", valueName: "layer"))
    var layer: String

    @Option(name: .long, help: ArgumentHelp("Input batch [N, …] as .npy (single-input models).", valueName: "x.npy"))
    var input: String?

    @Option(name: .long, help: "Sample of the input batch.")
    var sample: Int = 0

    @Option(name: .long, help: "Seed of the generated input when no --input is given.")
    var seed: UInt64 = 0

    @Option(name: .shortAndLong, help: ArgumentHelp("Directory to write into (created if missing).", valueName: "dir"))
    var output: String

    @Option(name: .long, help: "Elements packed into one line (memory word).")
    var wordElements: Int = 1

    @Flag(name: .long, help: "Overwrite existing files.")
    var force = false

    func validate() throws {
        if wordElements < 1 { throw ValidationError("--word-elements must be at least 1") }
        if sample < 0 { throw ValidationError("--sample must be at least 0") }
        if input == nil && sample != 0 { throw ValidationError("--sample needs --input") }
    }

    func run() throws {
        let graph = try ModelFile.load(model)
        let hardware = try HardwareFile.load(hw, overrides: overrides)
        let simulation = try Simulation(model: graph, hardware: hardware.config).requireHardware()
        guard
            let index = Int(layer).flatMap({ graph.nodes.indices.contains($0) ? $0 : nil })
                ?? graph.nodes.firstIndex(where: { $0.name == layer })
        else {
            throw CLIError(
                "model '\(model)' has no layer '\(layer)'\(Suggestion.didYouMean(layer, among: graph.nodes.map(\.name)))"
                    + " (give a node index 0…\(graph.nodes.count - 1) or a name)")
        }
        let batches =
            try input.map { try ModelInputs.batch(npy: $0, for: graph, model: model) }
            ?? ModelInputs.seeded(for: graph, samples: 1, seed: seed)
        let inputs = try simulation.sample(sample, of: batches)
        let tensors = simulation.layerTensors(index, sample: inputs)

        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        let base = tensors.name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }
        var files = JSONObject()
        func image(_ role: String, _ tensor: IntTensor?, layout: String, zeroPoints: [Int32]? = nil) throws {
            guard let tensor else { return }
            let bits = tensor.elementType.byteWidth * 8
            let file = "\(String(base)).\(role).hex"
            let text = MemoryImage.readmemh(
                tensor.values, bits: bits, elementsPerWord: wordElements,
                comments: [
                    "accsim export-mem: layer \(tensors.layer) '\(tensors.name)' \(role) \(tensor.elementType.rawValue)\(tensor.shape) \(layout)",
                    "\(tensor.values.count) elements, \(wordElements) per word, element 0 in the low bits, two's complement",
                ])
            try OutputFile.write(
                Array(text.utf8), to: (output as NSString).appendingPathComponent(file), overwrite: force)
            var entry: JSONObject = [
                "file": .string(file), "shape": .array(tensor.shape.map { .int(Int64($0)) }),
                "type": .string(tensor.elementType.rawValue), "bits": .int(Int64(bits)), "layout": .string(layout),
            ]
            if let zeroPoints { _ = entry.appendUnique("zero_points", .array(zeroPoints.map { .int(Int64($0)) })) }
            _ = files.appendUnique(role, .object(entry))
        }
        try image(
            "input", tensors.input, layout: tensors.input.shape.count == 4 ? "NHWC" : "row-major",
            zeroPoints: [tensors.inputZeroPoint])
        try image(
            "weights", tensors.weights, layout: tensors.weights?.shape.count == 4 ? "OHWI" : "[O, D]",
            zeroPoints: tensors.weightZeroPoints)
        try image("bias", tensors.bias, layout: "[O]")
        try image("acc", tensors.accumulators, layout: "[pixels, channels], before bias")
        try image(
            "output", tensors.output, layout: tensors.output.shape.count == 4 ? "NHWC" : "row-major",
            zeroPoints: [graph.tensor(named: graph.nodes[index].outputs[0])?.zeroPoint() ?? 0])
        let manifest: JSONObject = [
            "layer": .int(Int64(index)), "name": .string(tensors.name), "op": .string(tensors.op),
            "model": .string(graph.name), "hardware": .string(hardware.name), "hardware_hash": .string(hardware.hash),
            "sample": .int(Int64(sample)), "elements_per_word": .int(Int64(wordElements)), "files": .object(files),
        ]
        let json = try JSONWriter().serialize(.object(manifest)) + [10]
        try OutputFile.write(
            json, to: (output as NSString).appendingPathComponent("\(String(base)).mem.json"), overwrite: force)
        FileHandle.standardError.write(
            Data("accsim: wrote layer \(index) '\(tensors.name)' images to \(output)\n".utf8))
    }
}
