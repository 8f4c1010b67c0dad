import AccsimFiles
import AccsimJSON
import AccsimReport
import AccsimSweep
import ArgumentParser
import Foundation

/// `accsim sweep pareto`: the Pareto front of sweep results, printed and plotted as SVG.
struct SweepParetoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pareto",
        abstract: "Print the Pareto front of sweep results and draw it as an SVG plot.",
        discussion: """
            Every metric is minimised: latency, energy, sram (SRAM capacity), dram (DRAM traffic), \
            area (processing elements), stalls, any numeric row key (cycles, utilization, …), \
            top1_error, idle, or values.KEY. The front is computed per model over the rows with \
            status ok that have every metric. docs/sweep-format.md lists the metrics.
            """
    )

    @Argument(help: ArgumentHelp("Results files (several: merged first, e.g. shard outputs).", valueName: "results"))
    var files: [String]

    @Option(name: .long, help: "Metric on the x axis.")
    var x: String

    @Option(name: .long, help: "Metric on the y axis.")
    var y: String

    @Option(name: .long, help: "Optional third metric (drawn as marker size).")
    var z: String?

    @Option(name: .long, help: ArgumentHelp("Only this model's rows.", valueName: "name"))
    var model: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Write the plot here (default: the first results file's name + -pareto.svg).", valueName: "plot.svg"))
    var svg: String?

    @Flag(name: .long, help: "Print the front only; draw no plot.")
    var noPlot = false

    @Option(name: .long, help: ArgumentHelp("Logarithmic axis: x or y (repeatable).", valueName: "axis"))
    var log: [String] = []

    @Flag(name: .long, help: "Overwrite the plot file if it exists.")
    var force = false

    func validate() throws {
        for axis in log where axis != "x" && axis != "y" {
            throw ValidationError("--log takes x or y, not '\(axis)'")
        }
        if noPlot && svg != nil { throw ValidationError("--no-plot and --svg contradict each other") }
    }

    func run() throws {
        let metrics = try ([x, y] + (z.map { [$0] } ?? [])).map { try ParetoMetric($0) }
        let front = try Self.front(files: files, metrics: metrics, model: model)
        print(Self.table(front), terminator: "")
        if front.skipped > 0 {
            SweepRunCommand.note(
                "\(front.skipped) row(s) left out: invalid or without \(metrics.map(\.name).joined(separator: "/"))")
        }
        guard !noPlot else { return }
        let path = svg ?? Self.defaultPlotPath(for: files[0])
        if OutputFile.exists(path) && !force {
            throw CLIError("\(path) exists; pass --force to overwrite it (or --svg another file)")
        }
        let plot = ParetoPlot(front: front, logX: log.contains("x"), logY: log.contains("y"))
        try OutputFile.write(Array(try plot.svg().utf8), to: path, overwrite: force)
        SweepRunCommand.note("plot written to \(path)")
    }

    /// Dominated points drawn per model, at most (a deterministic sample beyond that).
    static let plottedDominated = 5_000

    /// The front of the merged `files`, streamed row by row (memory: the front and the sample of
    /// dominated points); inputs out of grid order are merged in memory first.
    static func front(files: [String], metrics: [ParetoMetric], model: String?) throws -> ParetoFront {
        var builder = ParetoFront.Builder(metrics: metrics, dominatedSample: plottedDominated)
        var matched = 0
        let stream = try SweepMergeStream(files: files)
        while let record = try stream.next() {
            guard model == nil || record.model == model else { continue }
            matched += 1
            builder.add(record)
        }
        if let place = stream.outOfOrder {
            SweepRunCommand.note("\(place) is not in grid order: merging in memory")
            builder = ParetoFront.Builder(metrics: metrics, dominatedSample: plottedDominated)
            matched = 0
            for record in try SweepMerge.merge(files: files).records where model == nil || record.model == model {
                matched += 1
                builder.add(record)
            }
        }
        if let model, matched == 0 {
            throw CLIError("no rows of model '\(model)' in \(files.joined(separator: ", "))")
        }
        return builder.front()
    }

    /// `results.jsonl` → `results-pareto.svg`.
    static func defaultPlotPath(for results: String) -> String {
        let url = URL(fileURLWithPath: results)
        let stem = url.deletingPathExtension().lastPathComponent
        let directory = (results as NSString).deletingLastPathComponent
        let name = stem + "-pareto.svg"
        return directory.isEmpty ? name : directory + "/" + name
    }

    /// The front as a table, per model: the point, its varied values and the metrics.
    static func table(_ front: ParetoFront) -> String {
        var text = ""
        for model in front.models {
            let points = front.front(of: model)
            let all = front.candidates[model] ?? 0
            text +=
                "\(model): \(points.count) of \(all) point(s) on the Pareto front (minimising \(front.metrics.map(\.name).joined(separator: ", ")))\n"
            var keys: [String] = []
            for point in points { for key in point.record.values.keys where !keys.contains(key) { keys.append(key) } }
            var table = TextTable(
                headers: ["index", "id"] + keys + front.metrics.map(\.key),
                alignments: [.right, .left] + keys.map { _ in .right } + front.metrics.map { _ in .right })
            for point in points {
                let values = keys.map { key in point.record.values[key].map(Self.text) ?? "" }
                let metrics = zip(front.metrics, point.metrics).map { metric, value in
                    point.record.fields[metric.key].map(Self.text) ?? Self.number(value)
                }
                table.append([point.record.index.map(String.init) ?? "", point.record.id] + values + metrics)
            }
            text += table.render() + "\n"
        }
        return text
    }

    private static func text(_ value: JSONValue) -> String {
        if case .string(let string) = value { return string }
        return String(decoding: (try? JSONWriter(style: .compact).serialize(value)) ?? [], as: UTF8.self)
    }

    /// A derived metric's value: an integer as such, anything else to six significant digits.
    private static func number(_ value: Double) -> String {
        if value.rounded() == value && abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.6g", value)
    }
}
