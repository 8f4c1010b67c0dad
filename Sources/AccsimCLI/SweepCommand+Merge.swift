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

    @Option(
        name: .long,
        help: ArgumentHelp("Write the merged rows to this file (default: stdout).", valueName: "merged.jsonl"))
    var out: String?

    @Option(name: .long, help: "Input format: jsonl or csv (default: from the first file's extension).")
    var format: SweepFormat?

    @Flag(name: .long, help: "Overwrite --out if it exists.")
    var force = false

    func run() throws {
        // Shard outputs are each in grid order: merged as streams, in memory bounded by the number
        // of files. An input out of grid order is merged in memory instead.
        let (rows, duplicates) = try streamed() ?? inMemory()
        var note = "merged \(files.count) file(s): \(rows) row(s)"
        if duplicates > 0 { note += ", \(duplicates) duplicate(s) kept once" }
        SweepRunCommand.note(note)
    }

    /// The streaming merge, or nil when an input is not in grid order (nothing written then).
    private func streamed() throws -> (rows: Int, duplicates: Int)? {
        if out == nil {
            // Standard output cannot be taken back: check the order first.
            let probe = try SweepMergeStream(files: files, format: format)
            while try probe.next() != nil {}
            if let place = probe.outOfOrder { return notInOrder(place) }
        }
        let stream = try SweepMergeStream(files: files, format: format)
        let staged = try out.map { try StagedOutputFile(path: $0, overwrite: force) }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        func flush() throws {
            if let staged { try staged.write(buffer) } else { FileHandle.standardOutput.write(Data(buffer)) }
            buffer.removeAll(keepingCapacity: true)
        }
        do {
            if let header = stream.header { buffer += SweepCSV.headerLine(columns: header) }
            while let record = try stream.next() {
                buffer += record.line.utf8
                buffer.append(0x0A)
                if buffer.count >= 1 << 20 { try flush() }
            }
            if let place = stream.outOfOrder {
                staged?.discard()
                return notInOrder(place)
            }
            try flush()
            try staged?.commit()
        } catch {
            staged?.discard()
            throw error
        }
        return (stream.rows, stream.duplicates)
    }

    private func notInOrder(_ place: String) -> (rows: Int, duplicates: Int)? {
        SweepRunCommand.note("\(place) is not in grid order: merging in memory")
        return nil
    }

    /// Every row in memory, sorted: for inputs that are not in grid order.
    private func inMemory() throws -> (rows: Int, duplicates: Int) {
        let merged = try SweepMerge.merge(files: files, format: format)
        if let out {
            try OutputFile.write(merged.bytes, to: out, overwrite: force)
        } else {
            FileHandle.standardOutput.write(Data(merged.bytes))
        }
        return (merged.records.count, merged.duplicates)
    }
}
