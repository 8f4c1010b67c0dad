import AccsimFiles
import AccsimSweep
import ArgumentParser
import Foundation

/// `accsim sweep plot`: a scatter of any two keys of sweep results, or a heat map.
struct SweepPlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Plot sweep results as SVG: a scatter of two keys with the Pareto front, or a heat map.",
        discussion: """
            KEY is a metric (latency, energy, sram, dram, area, stalls, cycles, utilization, … as for \
            `sweep pareto`) or a varied config key (array.rows, or values.array.rows). The scatter \
            highlights the Pareto front (both keys minimised) and lists the invalid rows under the \
            plot. With --heatmap METRIC, --x and --y are two varied keys and each cell is coloured by \
            the metric (the smallest value when other keys vary too).
            """
    )

    @Argument(help: ArgumentHelp("Results files (several: merged first).", valueName: "results"))
    var files: [String]

    @Option(name: .long, help: "Key on the x axis.")
    var x: String

    @Option(name: .long, help: "Key on the y axis.")
    var y: String

    @Option(name: .long, help: "Key that colours the points (a ramp for numbers, a palette for text).")
    var color: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Draw a heat map of this metric over the --x and --y values.", valueName: "metric"))
    var heatmap: String?

    @Option(name: .long, help: ArgumentHelp("Logarithmic axis of the scatter: x or y (repeatable).", valueName: "axis"))
    var log: [String] = []

    @Option(name: .long, help: ArgumentHelp("Only this model's rows.", valueName: "name"))
    var model: String?

    @Option(name: .long, help: ArgumentHelp("The SVG file to write.", valueName: "plot.svg"))
    var svg: String

    @Flag(name: .long, help: "Overwrite the plot file if it exists.")
    var force = false

    func validate() throws {
        for axis in log where axis != "x" && axis != "y" {
            throw ValidationError("--log takes x or y, not '\(axis)'")
        }
        if heatmap != nil && !log.isEmpty { throw ValidationError("--log applies to the scatter, not to --heatmap") }
        if heatmap != nil && color != nil { throw ValidationError("--heatmap colours by its metric: drop --color") }
    }

    func run() throws {
        try OutputFile.checkWritable(svg, overwrite: force)
        var records = try SweepMerge.merge(files: files).records
        if let model {
            records = records.filter { $0.model == model }
            if records.isEmpty { throw CLIError("no rows of model '\(model)' in \(files.joined(separator: ", "))") }
        }
        let xKey = try SweepPlotKey(x, records: records)
        let yKey = try SweepPlotKey(y, records: records)
        let document: String
        if let heatmap {
            let map = SweepHeatMap(
                records: records, x: xKey, y: yKey, metric: try SweepPlotKey(heatmap, records: records))
            document = try map.svg()
        } else {
            let plot = SweepScatterPlot(
                records: records, x: xKey, y: yKey, color: try color.map { try SweepPlotKey($0, records: records) },
                logX: log.contains("x"), logY: log.contains("y"))
            document = try plot.svg()
        }
        try OutputFile.write(Array(document.utf8), to: svg, overwrite: force)
        SweepRunCommand.note("plot written to \(svg)")
    }
}
