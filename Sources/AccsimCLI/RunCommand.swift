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
        var outputSummaries: [RunReport.OutputSummary] = []
        var accuracy: RunReport.Accuracy?
        var (samples, inputSource) = (0, "none (--no-data)")
        var outputFile: NPYStreamWriter?
        if !noData {
            let source =
                try input.map { try BatchSource(npy: $0, for: graph, model: model) }
                ?? BatchSource(seededFor: graph, samples: batch, seed: seed)
            (samples, inputSource) = (source.sampleCount, input ?? "generated, seed \(seed)")
            let run = try streamRun(simulation, source: source, hardwareName: hardware?.name ?? "")
            outputFile = run.output
            outputSummaries = run.summaries
            accuracy = run.accuracy
            notes += run.notes
        }
        try outputFile?.commit()
        let runReport = RunReport(
            graph: simulation.graph, modelFile: model, hardware: hardware, performance: simulation.performance,
            samples: samples, inputSource: inputSource, outputSummaries: outputSummaries, accuracy: accuracy,
            accsimVersion: AccsimVersion.string)
        if let report { try OutputFile.write(Array(try runReport.renderJSON().utf8), to: report, overwrite: force) }
        if let html { try OutputFile.write(Array(try runReport.renderHTML().utf8), to: html, overwrite: force) }
        if hardware == nil { notes += ModelInspection.frameworkSemanticsNotes(graph) }
        for note in notes {
            FileHandle.standardError.write(Data("accsim: \(note)\n".utf8))
        }
        print(try format.render(runReport), terminator: "")
    }

    /// What a run of the data leaves for the report: the `--output` file (staged, to commit), the
    /// output summaries, the top-1 accuracy with `--labels`, and notes for stderr.
    private struct StreamedRun {
        var output: NPYStreamWriter?
        var summaries: [RunReport.OutputSummary]
        var accuracy: RunReport.Accuracy?
        var notes: [String]
    }

    /// Runs the batch of `source` chunk by chunk (``ModelInputs/chunkSamples(for:what:limit:)``):
    /// each chunk's outputs are appended to `--output`, summarised (CRC-32, predictions), compared
    /// with the labels and, with `--adapt-requant`, with the model's own requantizers, then
    /// dropped, so memory does not grow with the batch. Everything that can be refused is checked
    /// before the first chunk.
    private func streamRun(_ simulation: Simulation, source: BatchSource, hardwareName: String) throws -> StreamedRun {
        let graph = simulation.model
        let samples = source.sampleCount
        let what = input ?? "--batch \(batch)"
        let chunkSamples = try ModelInputs.chunkSamples(for: graph, what: what)
        let listsPredictions = format == .json || report != nil
        if listsPredictions { try RunReport.checkPredictionMemory(for: graph, samples: samples, what: what) }
        let primaryName = graph.outputs[0]
        let primary = graph.tensor(named: primaryName)
        let labelSource = try labels.map { try LabelSource(npy: $0, samples: samples) }
        if labelSource != nil && primary?.shape.count != 2 {
            throw CLIError("--labels needs a model output shaped [N, classes]; '\(primaryName)' is not")
        }
        if trace.path != nil && trace.sample >= samples {
            throw ExecutionError("sample \(trace.sample) is outside the batch of \(samples) samples", isBadInput: true)
        }
        let outputFile = try output.map { path in
            try NPYStreamWriter(
                path: path, shape: primary?.frameworkShape(samples: samples) ?? [samples],
                dtype: NPYDType(primary?.elementType ?? .int8), overwrite: force)
        }
        let workers = threads ?? ProcessInfo.processInfo.activeProcessorCount
        var summaries = RunReport.OutputAccumulator(
            graph: graph, samples: samples, predictionLimit: listsPredictions ? nil : RunReport.tablePredictionLimit)
        var (correct, referenceCorrect, differ, total) = (0, 0, 0, 0)
        var traceSample: [String: IntTensor]?
        let progress =
            isatty(STDERR_FILENO) == 1
            ? RunProgress(samples: samples, layers: simulation.graph.nodes.count) {
                FileHandle.standardError.write(Data($0.utf8))
            }
            : nil
        var onLayer: (@Sendable () -> Void)?
        if let progress { onLayer = { progress.layerDone() } }
        try simulation.run(
            source, chunkSamples: chunkSamples, threads: workers, withModelRequantizers: true, progress: onLayer
        ) { chunk in
            summaries.add(chunk.outputs)
            if let outputFile, let tensor = chunk.outputs[primaryName] {
                try outputFile.append(primary?.frameworkArray(tensor) ?? NPYArray(tensor: tensor))
            }
            let chunkLabels = try labelSource?.labels(chunk.samples)
            if let chunkLabels, let tensor = chunk.outputs[primaryName] {
                correct += Classification.correctCount(predictions: Classification.argmax(tensor), labels: chunkLabels)
            }
            if let reference = chunk.modelRequantizerOutputs {
                let (chunkDiffer, chunkTotal) = simulation.differingOutputs(chunk.outputs, reference)
                (differ, total) = (differ + chunkDiffer, total + chunkTotal)
                if let chunkLabels, let tensor = reference[primaryName] {
                    referenceCorrect += Classification.correctCount(
                        predictions: Classification.argmax(tensor), labels: chunkLabels)
                }
            }
            if trace.path != nil && chunk.samples.contains(trace.sample) {
                traceSample = try simulation.requireHardware().sample(
                    trace.sample - chunk.samples.lowerBound, of: chunk.inputs)
            }
        }
        progress?.finish()
        var notes: [String] = []
        if let traceSample {
            notes += try recordTrace(simulation, hardwareName: hardwareName, sample: traceSample)
        }
        if !simulation.adaptedRequantizers.isEmpty {
            notes.append(
                "--adapt-requant: \(differ) of \(total) model outputs differ from the model's own requantizers")
            if labelSource != nil {
                notes.append("--adapt-requant: top-1 with the model's own requantizers \(referenceCorrect)/\(samples)")
            }
        }
        return StreamedRun(
            output: outputFile, summaries: summaries.summaries,
            accuracy: labelSource.map { _ in RunReport.Accuracy(correct: correct, total: samples) }, notes: notes)
    }

    /// Records the `--trace` of its sample; its summary for stderr.
    private func recordTrace(_ simulation: Simulation, hardwareName: String, sample: [String: IntTensor]) throws
        -> [String]
    {
        let tracing = isatty(STDERR_FILENO) == 1
        if tracing { FileHandle.standardError.write(Data("accsim: recording the trace…".utf8)) }
        defer { if tracing { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) } }
        let note = try trace.record(
            simulation: simulation, hardwareName: hardwareName, sample: sample, overwrite: force)
        return note.map { [$0] } ?? []
    }
}

extension KernelSelection: ExpressibleByArgument {}
