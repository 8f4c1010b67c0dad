import AccsimArithmetic
import AccsimExecution
import AccsimFiles
import AccsimHardware
import AccsimImport
import AccsimModel
import AccsimReport
import AccsimSimulation
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

    @Option(
        name: .long,
        help: ArgumentHelp("Hardware config: a JSON file or the name of a bundled config.", valueName: "config"))
    var hw: String?

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp("Override a hardware config key (repeatable).", valueName: "key.path=value"))
    var overrides: [String] = []

    @Flag(
        name: .long,
        help: "Convert requantizers the hardware cannot run to what it offers, and report how many outputs change.")
    var adaptRequant = false

    @Flag(name: .long, help: "Timing and traffic only: compute no data (needs --hw).")
    var noData = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Input batch [N, …] as .npy: integers of the model input's type, or float32 quantized as the model records (NCHW for Aidge/ONNX models).",
            valueName: "x.npy"))
    var input: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Write the model output [N, …] to this .npy file (in the framework's layout).", valueName: "y.npy"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Also write the JSON report to this file.", valueName: "run.json"))
    var report: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Also write a self-contained HTML report (charts, table, config; needs --hw).", valueName: "report.html"))
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

    @Option(
        name: .long,
        help:
            "Kernels computing the data: fast (packed int8 GEMM, AVX-512 VNNI when the CPU has it) or reference (the one-element-at-a-time oracle). Both give the same bits."
    )
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
        if noData && (output != nil || labels != nil) {
            throw ValidationError("--no-data computes no outputs: drop --output and --labels")
        }
        try trace.validate(hasHardware: hw != nil, noData: noData)
    }

    func run() throws {
        let graph = try ModelFile.load(model)
        let hardware = try hw.map { try HardwareFile.load($0, overrides: overrides) }
        let options = Simulation.Options(kernels: kernels, adaptRequantizers: adaptRequant)
        let simulation = try Simulation(model: graph, hardware: hardware?.config, options: options)
        if trace.path != nil { _ = try trace.options(graph: graph) }  // a layer list naming no layer fails early
        var notes = simulation.notes
        var outputs: [String: IntTensor] = [:]
        var (samples, inputSource) = (0, "none (--no-data)")
        if !noData {
            if input == nil { try ModelInputs.checkBatchMemory(for: graph, samples: batch, what: "--batch \(batch)") }
            let batches =
                try input.map { try ModelInputs.batch(npy: $0, for: graph, model: model) }
                ?? ModelInputs.seeded(for: graph, samples: batch, seed: seed)
            (samples, inputSource) = (ModelInputs.sampleCount(batches), input ?? "generated, seed \(seed)")
            let workers = threads ?? ProcessInfo.processInfo.activeProcessorCount
            outputs = try compute(simulation, batches: batches, samples: samples, workers: workers)
            notes += try recordTrace(simulation, hardwareName: hardware?.name ?? "", batches: batches)
            notes += try adaptationNotes(simulation, outputs: outputs, batches: batches, workers: workers)
        }
        let accuracy = try labels.map { labels in
            guard let correct = try top1(outputs, graph: graph, labels: labels, samples: samples) else {
                throw CLIError("--labels needs a model output shaped [N, classes]; '\(graph.outputs[0])' is not")
            }
            return RunReport.Accuracy(correct: correct, total: samples)
        }
        try writeOutput(outputs, graph: graph)
        let runReport = RunReport(
            graph: simulation.graph, modelFile: model, hardware: hardware, performance: simulation.performance,
            samples: samples, inputSource: inputSource, outputs: outputs, accuracy: accuracy,
            accsimVersion: AccsimVersion.string)
        if let report { try OutputFile.write(Array(try runReport.renderJSON().utf8), to: report, overwrite: force) }
        if let html { try OutputFile.write(Array(try runReport.renderHTML().utf8), to: html, overwrite: force) }
        if hardware == nil { notes += ModelInspection.frameworkSemanticsNotes(graph) }
        for note in notes {
            FileHandle.standardError.write(Data("accsim: \(note)\n".utf8))
        }
        print(try format.render(runReport), terminator: "")
    }

    /// The outputs of `batches`, with a progress line on a terminal.
    private func compute(_ simulation: Simulation, batches: [String: IntTensor], samples: Int, workers: Int) throws
        -> [String: IntTensor]
    {
        let progress =
            isatty(STDERR_FILENO) == 1
            ? RunProgress(samples: samples, layers: simulation.graph.nodes.count) {
                FileHandle.standardError.write(Data($0.utf8))
            }
            : nil
        var onLayer: (@Sendable () -> Void)?
        if let progress { onLayer = { progress.layerDone() } }
        let outputs = try simulation.run(batches: batches, threads: workers, progress: onLayer)
        progress?.finish()
        return outputs
    }

    /// Records the `--trace`, if asked for; its summary for stderr.
    private func recordTrace(_ simulation: Simulation, hardwareName: String, batches: [String: IntTensor]) throws
        -> [String]
    {
        let tracing = trace.path != nil && isatty(STDERR_FILENO) == 1
        if tracing { FileHandle.standardError.write(Data("accsim: recording the trace…".utf8)) }
        defer { if tracing { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) } }
        let note = try trace.record(
            simulation: simulation, hardwareName: hardwareName, batches: batches, overwrite: force)
        return note.map { [$0] } ?? []
    }

    /// With `--adapt-requant`: how many outputs (and, with `--labels`, how much top-1) the
    /// converted requantizers change against the model's own.
    private func adaptationNotes(
        _ simulation: Simulation, outputs: [String: IntTensor], batches: [String: IntTensor], workers: Int
    ) throws -> [String] {
        guard let reference = try simulation.runWithModelRequantizers(batches: batches, threads: workers) else {
            return []
        }
        let (differ, total) = simulation.differingOutputs(outputs, reference)
        var notes = ["--adapt-requant: \(differ) of \(total) model outputs differ from the model's own requantizers"]
        let samples = ModelInputs.sampleCount(batches)
        if let labels, let correct = try top1(reference, graph: simulation.model, labels: labels, samples: samples) {
            notes.append("--adapt-requant: top-1 with the model's own requantizers \(correct)/\(samples)")
        }
        return notes
    }

    /// Writes the first graph output to `--output` (in the framework's layout), if asked for.
    private func writeOutput(_ outputs: [String: IntTensor], graph: Graph) throws {
        guard let path = output, let primary = outputs[graph.outputs[0]] else { return }
        let array = graph.tensor(named: graph.outputs[0])?.frameworkArray(primary) ?? NPYArray(tensor: primary)
        try NPYFile.write(array, to: path, overwrite: force)
    }

    /// Top-1 correct count of `outputs`' first graph output against the labels at `path` (checked
    /// against `samples`); nil when that output is not `[N, classes]`.
    private func top1(_ outputs: [String: IntTensor], graph: Graph, labels path: String, samples: Int) throws -> Int? {
        let labels = try ModelInputs.labels(npy: path, samples: samples)
        guard let primary = outputs[graph.outputs[0]], primary.shape.count == 2 else { return nil }
        return Classification.correctCount(predictions: Classification.argmax(primary), labels: labels)
    }
}

extension KernelSelection: ExpressibleByArgument {}
