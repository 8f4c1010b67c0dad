import AccsimExecution
import AccsimSimulation
import AccsimTrace
import AccsimTracing
import Foundation
import Testing

/// The golden traces in Traces/: the example model's first test sample on the 8×8 config,
/// regenerated here and compared byte for byte. After an intended change, regenerate them with
/// `ACCSIM_UPDATE_GOLDEN=1 swift test --filter GoldenTraceTests` and review the dump's diff.
@Suite struct GoldenTraceTests {
    /// (file, options) of every golden trace.
    static let goldens: [(String, TraceOptions)] = [
        ("digits.layer.trace.gz", TraceOptions(level: .layer)),
        ("digits.tile.trace.gz", TraceOptions(level: .tile)),
        ("digits.requant.trace.gz", TraceOptions(level: .requant)),
        ("digits.cycle-conv1-fc.trace.gz", TraceOptions(level: .cycle, layers: TraceLayerSet([0, 4]))),
    ]

    static var updating: Bool { ProcessInfo.processInfo.environment["ACCSIM_UPDATE_GOLDEN"] == "1" }

    /// The golden trace `file` as the recorder writes it today.
    static func regenerate(_ options: TraceOptions) throws -> [UInt8] {
        let (mapped, batches, hardware) = try TraceFixtures.digits()
        // Through the entry point, as `accsim run --trace` records.
        let simulation = try Simulation(model: mapped.graph, hardware: hardware.config)
        let recorder = try TraceRecorder(simulation: simulation, hardwareName: hardware.name, accsimVersion: "golden")
        return try #require(try recorder.write(batches: batches, options: options, to: nil).bytes)
    }

    @Test(arguments: goldens.map(\.0))
    func goldenTraceIsReproducedByteForByte(file: String) throws {
        let options = try #require(Self.goldens.first { $0.0 == file }?.1)
        let bytes = try Self.regenerate(options)
        let path = TraceFixtures.path("Traces/\(file)")
        if Self.updating {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        let stored = try #require(
            FileManager.default.contents(atPath: path), "missing \(path): run with ACCSIM_UPDATE_GOLDEN=1")
        if [UInt8](stored) != bytes {
            // Say where: the first divergent event (or a header difference) before failing.
            let result = TraceDiff.diff(
                try TraceReader(bytes: [UInt8](stored), name: file), try TraceReader(bytes: bytes, name: "regenerated"),
                mode: .exact)
            Issue.record(
                "\(file) differs from the regenerated trace:\n\(result.text(nameA: file, nameB: "regenerated", mode: .exact))"
            )
        }
    }

    /// The tile-level golden trace's text dump, also kept in Traces/ (the Python reader's test
    /// compares its own dump with it).
    @Test func goldenDumpIsReproduced() throws {
        let bytes = try Self.regenerate(TraceOptions(level: .tile))
        var lines: [String] = []
        #expect(TraceDump.dump(try TraceReader(bytes: bytes, name: "tile")) { lines.append($0) } == nil)
        let text = lines.joined(separator: "\n") + "\n"
        let path = TraceFixtures.path("Traces/digits.tile.dump.txt")
        if Self.updating { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) }
        let stored = try #require(FileManager.default.contents(atPath: path))
        #expect(String(decoding: stored, as: UTF8.self) == text)
    }
}
