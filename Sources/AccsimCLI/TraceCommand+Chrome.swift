import AccsimFiles
import AccsimTrace
import ArgumentParser
import Foundation

extension TraceCommand {
    /// `accsim trace chrome`: timelines for Perfetto and chrome://tracing.
    struct Chrome: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "chrome",
            abstract: "Write a trace as Chrome Trace Event JSON for Perfetto (ui.perfetto.dev) or chrome://tracing.",
            discussion: """
                Tracks: layers, DMA (one lane per transfer in flight), array tiles, requantizer, vector \
                unit, stalls, and at the cycle level the array's folds. Every slice's args hold its \
                tile, bytes and cycles. One simulated cycle is one nanosecond of trace time \
                (Traces/FORMAT.md, "Chrome trace").
                """)

        @Argument(help: ArgumentHelp("The trace.", valueName: "file.trace.gz"))
        var file: String

        @Option(name: .shortAndLong, help: ArgumentHelp("The JSON file to write.", valueName: "out.json"))
        var output: String

        @Option(name: .long, help: ArgumentHelp("Only these layers, e.g. 0,3-5.", valueName: "list"))
        var layers: String?

        @Option(name: .long, help: ArgumentHelp("Only events whose cycle lies in FROM:TO.", valueName: "FROM:TO"))
        var cycles: String?

        @Flag(name: .long, help: "Overwrite the output file if it exists.")
        var force = false

        func run() throws {
            let filter = TraceFilter(
                layers: try layers.map { text throws(TraceError) in try TraceLayerSet(parsing: text) },
                window: try cycles.map { text throws(TraceError) in try CycleWindow(parsing: text) } ?? .all)
            try OutputFile.checkWritable(output, overwrite: force)
            let reader = try TraceReader(path: file)
            var bytes: [UInt8] = []
            let summary = try ChromeTrace.write(reader, filter: filter) { line in
                bytes += Array(line.utf8)
                bytes.append(10)
            }
            try OutputFile.write(bytes, to: output, overwrite: force)
            let tracks = summary.slices.map { "\($0.track) \($0.count)" }.joined(separator: ", ")
            FileHandle.standardError.write(Data("accsim: wrote \(output): \(summary.total) slices (\(tracks))\n".utf8))
        }
    }
}
