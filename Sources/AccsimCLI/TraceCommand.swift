import AccsimArithmetic
import AccsimExecution
import AccsimFiles
import AccsimModel
import AccsimSimulation
import AccsimTrace
import AccsimTracing
import ArgumentParser
import Foundation

/// `accsim trace`: read golden-model traces (Traces/FORMAT.md).
struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Read golden-model traces written by `accsim run --trace`.",
        discussion: """
            A damaged file (truncated or corrupt) is read up to its last intact chunk; the error then
            names the file, the chunk and the byte offset, and the exit status is 2.
            """,
        subcommands: [Dump.self, Stats.self, Diff.self, VCD.self, Chrome.self]
    )

    /// `accsim trace dump`: one event per line.
    struct Dump: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a trace as text: the header as '#' lines, then one event per line.")

        @Argument(help: ArgumentHelp("The trace.", valueName: "file.trace.gz"))
        var file: String

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Only these kinds (layer-begin, layer-end, dma, compute, requant, fold, edge, sram).",
                valueName: "kinds"))
        var kinds: String?

        @Option(name: .long, help: ArgumentHelp("Only these layers, e.g. 0,3-5.", valueName: "list"))
        var layers: String?

        @Option(name: .long, help: ArgumentHelp("Only events whose cycle lies in FROM:TO.", valueName: "FROM:TO"))
        var cycles: String?

        @Flag(name: .long, help: "Print the header only.")
        var header = false

        func run() throws {
            let filter = TraceFilter(
                kinds: try kinds.map { text throws(TraceError) in try TraceFilter.kinds(parsing: text) },
                layers: try layers.map { text throws(TraceError) in try TraceLayerSet(parsing: text) },
                window: try cycles.map { text throws(TraceError) in try CycleWindow(parsing: text) } ?? .all)
            let reader = try TraceReader(path: file)
            var output = BufferedOutput()
            let error = TraceDump.dump(reader, filter: filter, headerOnly: header) { output.line($0) }
            output.flush()
            if let error { throw CLIError(error.description) }
        }
    }

    /// `accsim trace stats`: counts and sizes.
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Count a trace's events and bytes by kind, with compression and bytes per traced MAC.")

        @Argument(help: ArgumentHelp("The trace.", valueName: "file.trace.gz"))
        var file: String

        func run() throws {
            let stats = TraceStats(try TraceReader(path: file))
            print(stats.text, terminator: "")
            if let error = stats.error { throw CLIError(error.description) }
        }
    }

    /// `accsim trace diff`: the first divergent event.
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find the first event where two traces differ.",
            discussion: "Exit status: 0 when the traces agree, 1 when they differ, 2 when a file cannot be read.")

        @Argument(help: ArgumentHelp("The first trace.", valueName: "a.trace.gz"))
        var a: String

        @Argument(help: ArgumentHelp("The second trace.", valueName: "b.trace.gz"))
        var b: String

        @Flag(name: .long, help: "Compare the order of events only: ignore every cycle stamp, stall and cycle count.")
        var orderOnly = false

        @Option(name: .long, help: ArgumentHelp("Accept cycle fields that differ by at most N.", valueName: "N"))
        var cycleTolerance: Int?

        @Option(name: .long, help: "Equal events to show before the divergence.")
        var context: Int = 3

        func validate() throws {
            if orderOnly && cycleTolerance != nil {
                throw ValidationError("--order-only and --cycle-tolerance exclude each other")
            }
            if let cycleTolerance, cycleTolerance < 0 { throw ValidationError("--cycle-tolerance must be at least 0") }
            if context < 0 { throw ValidationError("--context must be at least 0") }
        }

        func run() throws {
            let mode: TraceDiffMode = orderOnly ? .orderOnly : cycleTolerance.map { .cycleTolerance($0) } ?? .exact
            let readerA = try TraceReader(path: a)
            let readerB = try TraceReader(path: b)
            let result = TraceDiff.diff(readerA, readerB, mode: mode, context: context)
            print(result.text(nameA: a, nameB: b, mode: mode), terminator: "")
            if let error = result.error { throw CLIError(error.description) }
            if result.divergence != nil { throw CLIError("traces differ", exitCode: 1) }
        }
    }

    /// `accsim trace vcd`: waveforms.
    struct VCD: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "vcd",
            abstract: "Write a cycle window of a trace as a VCD file for GTKWave.",
            discussion:
                "Signals: clk, cycle, layer, DMA and compute activity, array edges (left/top/bottom), SRAM bank strobes and addresses."
        )

        @Argument(help: ArgumentHelp("The trace.", valueName: "file.trace.gz"))
        var file: String

        @Option(name: .shortAndLong, help: ArgumentHelp("The VCD file to write.", valueName: "out.vcd"))
        var output: String

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Cycles FROM:TO (default: the trace's cycle window, or everything).", valueName: "FROM:TO"))
        var cycles: String?

        @Flag(name: .long, help: "Overwrite the output file if it exists.")
        var force = false

        func run() throws {
            let reader = try TraceReader(path: file)
            let window =
                try cycles.map { text throws(TraceError) in try CycleWindow(parsing: text) } ?? reader.header
                .cycleWindow ?? .all
            try OutputFile.checkWritable(output, overwrite: force)
            var text: [UInt8] = []
            let summary = try VCDWriter.write(reader, window: window) {
                text += Array($0.utf8)
                text.append(10)
            }
            try OutputFile.write(text, to: output, overwrite: force)
            FileHandle.standardError.write(
                Data(
                    "accsim: wrote \(output): cycles \(summary.cycles.lowerBound)..<\(summary.cycles.upperBound), \(summary.signals) signals, \(summary.changes) changes\n"
                        .utf8))
        }
    }
}

/// `accsim run --trace …`: the options that record a golden-model trace of one sample.
struct TraceRunOptions: ParsableArguments {
    @Option(
        name: .customLong("trace"),
        help: ArgumentHelp(
            "Write a golden-model trace of one sample (Traces/FORMAT.md; needs --hw).", valueName: "out.trace.gz"))
    var path: String?

    @Option(
        name: .customLong("trace-level"),
        help: ArgumentHelp("layer, tile, requant or cycle (cumulative).", valueName: "level"))
    var level: String = "tile"

    @Option(
        name: .customLong("trace-layers"),
        help: ArgumentHelp(
            "Layers traced below the layer level: indices, ranges, layer or op names, e.g. 0,3-5,fc,conv2d (default: all).",
            valueName: "list"))
    var layers: String?

    @Option(
        name: .customLong("trace-cycles"),
        help: ArgumentHelp("Global cycles traced at the cycle level, FROM:TO (default: all).", valueName: "FROM:TO"))
    var cycles: String?

    @Option(
        name: .customLong("trace-sample"), help: ArgumentHelp("The sample of the batch to trace.", valueName: "index"))
    var sample: Int = 0

    @Option(
        name: .customLong("trace-compression"),
        help: ArgumentHelp("gzip level 1 (fastest) … 9 (smallest).", valueName: "level"))
    var compression: Int = 6

    /// The parsed options (usage errors name the flag); `--trace-layers` is resolved against
    /// `graph`'s layer and op names (without a graph it is not parsed).
    func options(graph: Graph?) throws -> TraceOptions {
        guard let level = TraceLevel(rawValue: level) else {
            throw ValidationError("--trace-level must be layer, tile, requant or cycle, not '\(level)'")
        }
        guard sample >= 0 else { throw ValidationError("--trace-sample must be at least 0") }
        guard (1...9).contains(compression) else { throw ValidationError("--trace-compression must be 1…9") }
        do {
            return TraceOptions(
                level: level,
                layers: try graph.flatMap { graph throws(TraceError) in
                    try layers.map { text throws(TraceError) in
                        try TraceLayerSet(
                            parsing: text, layers: graph.nodes.map { ($0.name, $0.operation.kind.rawValue) })
                    }
                },
                cycles: try cycles.map { text throws(TraceError) in try CycleWindow(parsing: text) }, sample: sample,
                writer: TraceWriterOptions(compressionLevel: compression))
        } catch {
            // Before the model is read this is argument validation; after, a layer list naming
            // nothing in the model is an error about the model's names.
            if graph != nil { throw CLIError("--trace-layers: " + error.message) }
            throw ValidationError(error.message)
        }
    }

    /// Checks the options against the run's: a trace needs the hardware and data.
    func validate(hasHardware: Bool, noData: Bool) throws {
        let given = path != nil
        if !given && (layers != nil || cycles != nil || sample != 0) {
            throw ValidationError("--trace-layers, --trace-cycles and --trace-sample need --trace")
        }
        guard given else { return }
        if !hasHardware { throw ValidationError("--trace needs --hw") }
        if noData { throw ValidationError("--trace records data: drop --no-data") }
        _ = try options(graph: nil)
    }

    /// Writes the trace of `sample` (the inputs of sample `--trace-sample`) when `--trace` was
    /// given; returns the note for stderr.
    func record(simulation: Simulation, hardwareName: String, sample: [String: IntTensor], overwrite: Bool)
        throws -> String?
    {
        guard let path else { return nil }
        let recorder = try TraceRecorder(
            simulation: simulation, hardwareName: hardwareName, accsimVersion: AccsimVersion.string)
        let summary = try recorder.write(
            sample: sample, options: try options(graph: simulation.graph), to: path, overwrite: overwrite)
        return summary.description
    }
}

/// Lines to stdout in large writes.
struct BufferedOutput {
    private var buffer: [UInt8] = []

    mutating func line(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(10)
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
