import AccsimArithmetic
import AccsimExecution
import AccsimFiles
import AccsimHardware
import AccsimMapping
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
            With --hw, the model is mapped onto the accelerator and the report gives cycles, stalls,
            utilization and SRAM/DRAM traffic per layer for one inference (docs/timing.md). Without
            --input, a deterministic batch is generated from --seed (uniform over the input type's
            range). Outputs are written with --output; --labels prints top-1 accuracy.
            """
    )

    @Argument(help: ArgumentHelp("The model file.", valueName: "model.q"))
    var model: String

    @Option(name: .long, help: ArgumentHelp("Hardware config: a JSON file or the name of a bundled config.", valueName: "config"))
    var hw: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a hardware config key (repeatable).", valueName: "key.path=value"))
    var overrides: [String] = []

    @Flag(name: .long, help: "Convert requantizers the hardware cannot run to what it offers, and report how many outputs change.")
    var adaptRequant = false

    @Flag(name: .long, help: "Timing and traffic only: compute no data (needs --hw).")
    var noData = false

    @Option(name: .long, help: ArgumentHelp("Input batch [N, …] as .npy, matching the model input's type.", valueName: "x.npy"))
    var input: String?

    @Option(name: .long, help: ArgumentHelp("Write the model output [N, …] to this .npy file.", valueName: "y.npy"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Also write the JSON report to this file.", valueName: "run.json"))
    var report: String?

    @Option(name: .long, help: ArgumentHelp("Also write a self-contained HTML report (charts, table, config; needs --hw).", valueName: "report.html"))
    var html: String?

    @Flag(name: .long, help: "Overwrite the --output, --report and --html files if they exist.")
    var force = false

    @Option(name: .long, help: ArgumentHelp("Labels [N] as .npy: prints top-1 accuracy.", valueName: "labels.npy"))
    var labels: String?

    @Option(name: .long, help: "Report format: table, json or csv (one row per layer).")
    var format: ReportFormat = .table

    @Option(name: .long, help: "Samples to generate when no --input is given.")
    var batch: Int = 1

    @Option(name: .long, help: "Seed of the generated input batch.")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Worker threads (default: all cores). Results do not depend on it.")
    var threads: Int?

    @Option(name: .long, help: "Kernels computing the data: fast (packed int8 GEMM, AVX-512 VNNI when the CPU has it) or reference (the one-element-at-a-time oracle). Both give the same bits.")
    var kernels: KernelSelection = .fast

    @OptionGroup(title: "Golden-model trace (Traces/FORMAT.md)")
    var trace: TraceRunOptions

    func validate() throws {
        if batch < 1 { throw ValidationError("--batch must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if input != nil && batch != 1 { throw ValidationError("--batch applies only without --input") }
        if hw == nil && !overrides.isEmpty { throw ValidationError("--set needs --hw") }
        if hw == nil && html != nil { throw ValidationError("--html charts the hardware's cycles: it needs --hw") }
        if hw == nil && (noData || adaptRequant) { throw ValidationError("--no-data and --adapt-requant need --hw") }
        if noData && (output != nil || labels != nil) { throw ValidationError("--no-data computes no outputs: drop --output and --labels") }
        try trace.validate(hasHardware: hw != nil, noData: noData)
    }

    func run() throws {
        var graph = try ModelLoading.load(model)
        let hardware = try hw.map { try HardwareLoading.load($0, overrides: overrides) }
        var notes: [String] = []
        var original: Graph?
        if let hardware {
            let fitting = RequantizerFitting(capability: hardware.config.requantizer)
            let mismatches = fitting.mismatches(in: graph)
            if !mismatches.isEmpty {
                guard adaptRequant else {
                    throw CLIError(mismatches[0].description + (mismatches.count > 1 ? " (and \(mismatches.count - 1) more)" : "") + "; --adapt-requant converts them to what the hardware offers")
                }
                original = graph
                graph = fitting.adapt(graph).graph
                notes.append("--adapt-requant: converted \(mismatches.count) requantizer(s) in \(Set(mismatches.map(\.node)).count) layer(s)")
            }
        }
        let simulation = try hardware.map { try HardwareSimulation(graph: graph, hardware: $0.config, kernels: kernels) }
        let performance = simulation?.performance

        var outputs: [String: IntTensor] = [:]
        var samples = 0
        var inputSource = "none (--no-data)"
        let workers = threads ?? ProcessInfo.processInfo.activeProcessorCount
        if !noData {
            let (batches, source) = try loadInputBatches(graph: graph)
            inputSource = source
            samples = batches.values.first?.shape.first ?? 0
            if let simulation {
                outputs = try simulation.run(batches: batches, threads: workers)
                if let note = try trace.record(simulation: simulation, hardwareName: hardware?.name ?? "", batches: batches, overwrite: force) {
                    notes.append(note)
                }
            } else {
                outputs = try ReferenceEngine(graph: graph, kernels: kernels).run(batches: batches, threads: workers)
            }
            if let original {
                let reference = try ReferenceEngine(graph: original, overflow: hardware?.config.array.overflow ?? .wrap, kernels: kernels).run(batches: batches, threads: workers)
                let changed = graph.outputs.reduce(0) { count, name in
                    count + zip(reference[name]?.values ?? [], outputs[name]?.values ?? []).filter { $0 != $1 }.count
                }
                let total = graph.outputs.reduce(0) { $0 + (outputs[$1]?.count ?? 0) }
                notes.append("--adapt-requant: \(changed) of \(total) model outputs differ from the model's own requantizers")
                if let labels, let before = reference[graph.outputs[0]], before.shape.count == 2 {
                    let labelValues = try loadLabels(labels, count: samples)
                    let correct = Classification.correctCount(predictions: Classification.argmax(before), labels: labelValues)
                    notes.append("--adapt-requant: top-1 with the model's own requantizers \(correct)/\(samples)")
                }
            }
        }

        var accuracy: RunReport.Accuracy?
        let primary = outputs[graph.outputs[0]]
        if let labels {
            let labelValues = try loadLabels(labels, count: samples)
            guard let primary, primary.shape.count == 2 else {
                throw CLIError("--labels needs a model output shaped [N, classes]; '\(graph.outputs[0])' is not")
            }
            accuracy = .init(correct: Classification.correctCount(predictions: Classification.argmax(primary), labels: labelValues), total: samples)
        }
        if let path = output, let primary {
            try NPYFile.write(NPYArray(tensor: primary), to: path, overwrite: force)
        }

        let runReport = RunReport(
            accsimVersion: AccsimVersion.string,
            model: .init(name: graph.name, file: model, producer: graph.metadata["producer"]),
            hardware: hardware.map { .init(name: $0.name, file: $0.file, configHash: $0.hash, config: $0.config) },
            samples: samples,
            inputSource: inputSource,
            layers: graph.nodes.enumerated().map { index, node in
                let info = graph.tensor(named: node.outputs[0])
                return .init(
                    index: index, name: node.name, op: node.operation.kind.rawValue,
                    outputShape: info?.shape ?? [], outputType: info?.elementType.rawValue ?? "",
                    macs: graph.macs(of: node), parameterBytes: graph.parameterBytes(of: node),
                    performance: performance?[index])
            },
            totals: .init(
                macs: graph.totalMACs, parameterBytes: graph.totalParameterBytes,
                performance: performance.flatMap { layers in hardware.map { LayerPerformance.total(layers, hardware: $0.config) } }),
            outputs: graph.outputs.compactMap { name in
                guard let tensor = outputs[name] else { return nil }
                return .init(
                    name: name, shape: tensor.shape, type: tensor.elementType.rawValue,
                    crc32: TensorChecksum.crc32Hex(tensor),
                    predictions: tensor.shape.count == 2 ? Classification.argmax(tensor) : nil)
            },
            accuracy: accuracy)
        if let report {
            try OutputFile.write(Array(try runReport.renderJSON().utf8), to: report, overwrite: force)
        }
        if let html {
            try OutputFile.write(Array(try runReport.renderHTML().utf8), to: html, overwrite: force)
        }
        for note in notes {
            FileHandle.standardError.write(Data("accsim: \(note)\n".utf8))
        }
        print(try format.render(runReport), terminator: "")
    }

    /// One input batch per graph input, from --input (single-input models) or seeded.
    private func loadInputBatches(graph: Graph) throws -> ([String: IntTensor], String) {
        if let input {
            guard graph.inputs.count == 1, let info = graph.tensor(named: graph.inputs[0]) else {
                throw CLIError("model '\(model)' has \(graph.inputs.count) inputs; --input supports single-input models (omit it to generate inputs)")
            }
            let array = try NPYFile.read(path: input)
            guard let tensor = array.intTensor() else {
                throw CLIError("\(input): dtype \(array.dtype) is not an integer type; the model input '\(info.name)' is \(info.elementType.rawValue)")
            }
            return ([info.name: tensor], input)
        }
        var generator = SeededGenerator(seed: seed)
        var batches: [String: IntTensor] = [:]
        for name in graph.inputs {
            guard let info = graph.tensor(named: name) else { continue }
            let shape = [batch] + info.shape.dropFirst()
            let range = info.elementType.minValue...info.elementType.maxValue
            let values = (0..<shape.reduce(1, *)).map { _ in generator.nextInt32(in: range) }
            batches[name] = IntTensor(shape: shape, elementType: info.elementType, values: values)
        }
        return (batches, "generated, seed \(seed)")
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

extension KernelSelection: ExpressibleByArgument {}
