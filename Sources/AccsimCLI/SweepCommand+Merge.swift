import AccsimFiles
import AccsimSweep
import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `accsim sweep merge`: combine the outputs of a sweep's shards into one file, in grid order.
struct SweepMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine shard outputs into one results file, every point once, in grid order.",
        discussion: """
            All inputs must be in the same format (CSV: with the same columns). A point present in \
            several inputs is kept once when the copies agree; copies that differ, or an input \
            ending in an incomplete row, are errors.
            """
    )

    @Argument(help: ArgumentHelp("Shard outputs.", valueName: "results"))
    var files: [String]

    @Option(name: .long, help: ArgumentHelp("Write the merged rows to this file (default: stdout).", valueName: "merged.jsonl"))
    var out: String?

    @Option(name: .long, help: "Input format: jsonl or csv (default: from the first file's extension).")
    var format: SweepFormat?

    @Flag(name: .long, help: "Overwrite --out if it exists.")
    var force = false

    func run() throws {
        let merged = try SweepMerge.merge(files: files, format: format)
        let bytes = merged.bytes
        if let out {
            try OutputFile.write(bytes, to: out, overwrite: force)
        } else {
            FileHandle.standardOutput.write(Data(bytes))
        }
        var note = "merged \(files.count) file(s): \(merged.records.count) row(s)"
        if merged.duplicates > 0 { note += ", \(merged.duplicates) duplicate(s) kept once" }
        SweepRunCommand.note(note)
    }
}
