import AccsimArithmetic
import AccsimExecution
import AccsimHardware
import AccsimModel
import AccsimReport
import ArgumentParser
import Foundation

/// `accsim run`: simulate a model (the default subcommand).
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Simulate a model bit-exactly and print a per-layer report.",
        discussion: """
            Without --input, a deterministic batch is generated from --seed (uniform over the input
            type's range). Outputs are written with --output; --labels prints top-1 accuracy.
            """
    )

    @Argument(help: ArgumentHelp("The model file.", valueName: "model.q"))
    var model: String

    @Option(name: .long, help: ArgumentHelp("Hardware config: a JSON file or the name of a bundled config.", valueName: "config"))
    var hw: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a hardware config key (repeatable).", valueName: "key.path=value"))
    var overrides: [String] = []

    @Option(name: .long, help: ArgumentHelp("Input batch [N, …] as .npy, matching the model input's type.", valueName: "x.npy"))
    var input: String?

    @Option(name: .long, help: ArgumentHelp("Write the model output [N, …] to this .npy file.", valueName: "y.npy"))
    var output: String?

    @Flag(name: .long, help: "Overwrite the --output file if it exists.")
    var force = false

    @Option(name: .long, help: ArgumentHelp("Labels [N] as .npy: prints top-1 accuracy.", valueName: "labels.npy"))
    var labels: String?

    @Option(name: .long, help: "Report format: table or json.")
    var format: ReportFormat = .table

    @Option(name: .long, help: "Samples to generate when no --input is given.")
    var batch: Int = 1

    @Option(name: .long, help: "Seed of the generated input batch.")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Worker threads (default: all cores). Results do not depend on it.")
    var threads: Int?

    func validate() throws {
        if batch < 1 { throw ValidationError("--batch must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if input != nil && batch != 1 { throw ValidationError("--batch applies only without --input") }
    }

    func run() throws {
        let graph = try QModelReader.read(path: model)
        if hw == nil && !overrides.isEmpty { throw CLIError("--set needs --hw") }
        let hardware = try hw.map { try HardwareConfigLoader.load($0, overrides: overrides) }
        let (batchTensor, inputSource) = try loadInputBatch(graph: graph)
        let engine = ReferenceEngine(graph: graph, overflow: hardware?.config.array.overflow ?? .wrap)
        let outputs = try engine.run(batch: batchTensor, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
        let samples = batchTensor.shape[0]

        var accuracy: RunReport.Accuracy?
        let primary = outputs[graph.outputs[0]]
        if let labels {
            let labelValues = try loadLabels(labels, count: samples)
            guard let primary, primary.shape.count == 2 else {
                throw CLIError("--labels needs a model output shaped [N, classes]; '\(graph.outputs[0])' is not")
            }
            let predictions = Classification.argmax(primary)
            accuracy = .init(correct: Classification.correctCount(predictions: predictions, labels: labelValues), total: samples)
        }
        if let path = output, let primary {
            try NPYFile.write(NPYArray(tensor: primary), to: path, overwrite: force)
        }

        let report = RunReport(
            accsimVersion: AccsimVersion.string,
            model: .init(name: graph.name, file: model, producer: graph.metadata["producer"]),
            hardware: hardware.map { .init(name: $0.name, file: $0.file, configHash: $0.config.hash) },
            samples: samples,
            inputSource: inputSource,
            layers: graph.nodes.enumerated().map { index, node in
                let info = graph.tensor(named: node.outputs[0])
                return .init(
                    index: index, name: node.name, op: node.operation.kind.rawValue,
                    outputShape: info?.shape ?? [], outputType: info?.elementType.rawValue ?? "",
                    macs: graph.macs(of: node) * samples, parameterBytes: graph.parameterBytes(of: node))
            },
            totals: .init(macs: graph.totalMACs * samples, parameterBytes: graph.totalParameterBytes),
            outputs: graph.outputs.compactMap { name in
                guard let tensor = outputs[name] else { return nil }
                return .init(
                    name: name, shape: tensor.shape, type: tensor.elementType.rawValue,
                    crc32: TensorChecksum.crc32Hex(tensor),
                    predictions: tensor.shape.count == 2 ? Classification.argmax(tensor) : nil)
            },
            accuracy: accuracy)
        print(try format.render(report), terminator: "")
    }

    /// The input batch from --input, or a seeded one.
    private func loadInputBatch(graph: Graph) throws -> (IntTensor, String) {
        guard graph.inputs.count == 1, let info = graph.tensor(named: graph.inputs[0]) else {
            throw CLIError("model '\(model)' has \(graph.inputs.count) inputs; accsim run supports single-input models")
        }
        if let input {
            let array = try NPYFile.read(path: input)
            guard let tensor = array.intTensor() else {
                throw CLIError("\(input): dtype \(array.dtype) is not an integer type; the model input '\(info.name)' is \(info.elementType.rawValue)")
            }
            return (tensor, input)
        }
        var generator = SeededGenerator(seed: seed)
        let shape = [batch] + info.shape.dropFirst()
        let range = info.elementType.minValue...info.elementType.maxValue
        let values = (0..<shape.reduce(1, *)).map { _ in generator.nextInt32(in: range) }
        return (IntTensor(shape: shape, elementType: info.elementType, values: values), "generated, seed \(seed)")
    }

    /// Labels as integers, one per sample.
    private func loadLabels(_ path: String, count: Int) throws -> [Int] {
        let array = try NPYFile.read(path: path)
        guard let tensor = array.intTensor() else {
            throw CLIError("\(path): labels must be integers, got dtype \(array.dtype)")
        }
        guard tensor.count == count else {
            throw CLIError("\(path): \(tensor.count) labels for \(count) samples")
        }
        return tensor.values.map(Int.init)
    }
}
