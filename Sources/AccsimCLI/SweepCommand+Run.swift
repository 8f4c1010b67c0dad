import AccsimArithmetic
import AccsimHardware
import AccsimJSON
import AccsimModel
import AccsimSweep
import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--progress`: how a sweep shows its progress.
enum SweepProgressChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, terminal, lines, none
}

/// `accsim sweep run`: evaluate every point of a grid (or of one shard of it).
struct SweepRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a design-space sweep: one result row per (model, config) point.",
        discussion: """
            VALUES is a comma-separated list of values and ranges: 8,16,32 · 64:512:*2 (geometric) · \
            1:9:+2 (arithmetic) · a value is JSON when it parses as JSON, else a string. --vary adds \
            one dimension per key; --zip 'k1=VALUES k2=VALUES' varies keys together. Points are \
            numbered in grid order (models outermost, the last dimension fastest); rows come out in \
            that order whatever --jobs. Invalid points (a config that fails validation, a model that \
            cannot be mapped) become rows with status "invalid". With --out, re-running the same \
            command resumes: points already in the file are skipped. --shard I/N runs every N-th \
            point (grid index mod N = I−1); `accsim sweep merge` combines the shards' files.
            """
    )

    @Argument(help: ArgumentHelp("Model files (.q, .tflite or SCALE-Sim .csv).", valueName: "model"))
    var models: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Base hardware config: a JSON file or a bundled name (default: the defaults).", valueName: "config"))
    var hw: String?

    @Option(
        name: .customLong("set"), help: ArgumentHelp("Fix a base config key (repeatable).", valueName: "key.path=value")
    )
    var overrides: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Vary a config key over VALUES (repeatable; one grid dimension each).", valueName: "key.path=VALUES"))
    var vary: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Vary several keys together, lists of equal length (repeatable).", valueName: "'key=VALUES key=VALUES'"))
    var zip: [String] = []

    @Option(
        name: .customLong("sweep-file"),
        help: ArgumentHelp(
            "Read models, base config and axes from a sweep file (JSON) instead.", valueName: "sweep.json"))
    var sweepFile: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Input batch [N, …] as .npy: every point's outputs get a checksum.", valueName: "x.npy"))
    var input: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Labels [N] as .npy (with --input): top-1 accuracy per point.", valueName: "labels.npy"))
    var labels: String?

    @Flag(
        name: .long, help: "Convert requantizers a point's requantizer unit cannot run (else such points are invalid).")
    var adaptRequant = false

    @Option(name: .long, help: "Worker threads (default: all cores). Results do not depend on it.")
    var jobs: Int?

    @Option(name: .long, help: ArgumentHelp("Run shard I of N (1 ≤ I ≤ N).", valueName: "I/N"))
    var shard: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Write rows to this file (resumes into it if it holds rows of this sweep).", valueName: "results.jsonl"))
    var out: String?

    @Option(name: .long, help: "Row format: jsonl or csv (default: from --out's extension, else jsonl).")
    var format: SweepFormat?

    @Flag(name: .long, help: "Overwrite --out instead of resuming into it.")
    var force = false

    @Flag(name: .long, help: "Print the grid size and this shard's share, then stop.")
    var dryRun = false

    @Flag(name: .long, help: "Print a summary (points, invalid, data computations, points/s) on stderr at the end.")
    var stats = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Progress on stderr: auto (a redrawn line on a terminal, plain lines under Slurm, else none), terminal, lines or none.",
            valueName: "style"))
    var progress: SweepProgressChoice = .auto

    @Option(
        name: .customLong("progress-interval"),
        help: ArgumentHelp(
            "Seconds between plain progress lines (default 30; a terminal's line is redrawn 5 times a second).",
            valueName: "seconds"))
    var progressInterval: Double?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let progressInterval, !(progressInterval > 0) {
            throw ValidationError("--progress-interval must be positive")
        }
        if labels != nil && input == nil { throw ValidationError("--labels needs --input") }
        if sweepFile != nil {
            if !models.isEmpty || hw != nil || !overrides.isEmpty || !vary.isEmpty || !zip.isEmpty || input != nil
                || adaptRequant
            {
                throw ValidationError(
                    "--sweep-file holds the models, --hw, --set, --vary, --zip, --input, --labels and --adapt-requant: give them in the file"
                )
            }
        } else if models.isEmpty {
            throw ValidationError("give at least one model (or --sweep-file)")
        }
    }

    func run() throws {
        let definition = try SweepDefinition(command: self)
        let plan = try definition.plan()
        let shard = try shard.map { try SweepShard.parse($0) } ?? .all
        let total = plan.space.pointCount
        let mine = shard.pointCount(total: total)
        if dryRun {
            print(
                "grid \(total) points (\(plan.models.count) model(s) × \(plan.space.pointsPerModel) configs); shard \(shard): \(mine) points"
            )
            return
        }
        let rowFormat = format ?? out.map(SweepFormat.guess(path:)) ?? .jsonl
        let keys = plan.space.keys
        let runner = SweepRunner(plan: plan, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        let output =
            try out.map {
                try SweepOutput.open(
                    path: $0, format: rowFormat, keys: keys, force: force, prefix: runner.prefixCheck(shard: shard))
            } ?? SweepOutput.standardOutput(format: rowFormat, keys: keys)
        let interactive = isatty(STDERR_FILENO) == 1
        if output.resumedRows > 0, let out {
            Self.note("resuming into \(out): \(output.resumedRows) row(s) already there are skipped")
        }
        let progress = progressDisplay(interactive: interactive, alreadyDone: output.doneSlots)
        let started = Date()
        let statistics: SweepRunner.Statistics
        do {
            statistics = try runner.run(
                shard: shard, startSlot: output.doneSlots, done: output.done, emit: { row in try output.write(row) },
                progress: { done, count in progress?.update(done: done, total: count) }
            )
        } catch {
            progress?.finish()
            try? output.finish()
            throw error
        }
        progress?.finish()
        try output.finish()
        if stats || interactive {
            let elapsed = Date().timeIntervalSince(started)
            let rate = elapsed > 0 ? Double(statistics.evaluated) / elapsed : 0
            Self.note(
                "\(statistics.points) point(s)\(shard.count > 1 ? " in shard \(shard)" : ""): \(statistics.evaluated) evaluated (\(statistics.invalid) invalid), "
                    + "\(statistics.skipped) already done; outputs computed \(statistics.dataComputations) time(s); "
                    + String(format: "%.2f s, %.1f configurations/s", elapsed, rate))
        }
    }

    /// The progress display `--progress` asks for: `auto` is a redrawn line when stderr is a
    /// terminal, plain lines inside a Slurm job (SLURM_JOB_ID set: its log), else none.
    private func progressDisplay(interactive: Bool, alreadyDone: Int) -> SweepProgress? {
        let style: SweepProgress.Style
        switch progress {
        case .none: return nil
        case .terminal: style = .terminal
        case .lines: style = .lines
        case .auto:
            if interactive {
                style = .terminal
            } else if ProcessInfo.processInfo.environment["SLURM_JOB_ID"] != nil {
                style = .lines
            } else {
                return nil
            }
        }
        let interval = style == .terminal ? 0.2 : (progressInterval ?? 30)
        return SweepProgress(style: style, interval: interval, alreadyDone: alreadyDone) { Self.stderr($0) }
    }

    static func note(_ text: String) {
        stderr("accsim: \(text)\n")
    }

    static func stderr(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
