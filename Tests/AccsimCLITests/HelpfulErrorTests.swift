import AccsimModel
import AccsimTestSupport
import Foundation
import Testing

/// Names a user mistyped are answered with the closest name accsim knows (issue 19, item 7): the
/// bundled hardware config, the config key, the layer or op. Exact stderr, as users see it.
@Suite struct HelpfulErrorTests {
    private func expectError(
        _ arguments: [String], _ message: String, sourceLocation: SourceLocation = #_sourceLocation
    )
        throws
    {
        let result = try CLI.run(arguments)
        #expect(result.status == 2, sourceLocation: sourceLocation)
        #expect(result.stdout == "", sourceLocation: sourceLocation)
        #expect(result.stderr == "accsim: error: " + message + "\n", sourceLocation: sourceLocation)
    }

    @Test func hardwarePathAsUsersTypeItSuggestsTheBundledConfig() throws {
        try expectError(
            ["--hw", "configs/8x8.json", "Models/digits.q"],
            "configs/8x8.json: no such file (did you mean 8x8, HardwareConfigs/8x8.json?)")
        try expectError(
            ["--hw", "16x16ws", "Models/digits.q"],
            "16x16ws: no such file, and no bundled config of that name "
                + "(did you mean 16x16-ws, HardwareConfigs/16x16-ws.json?)")
    }

    @Test func misspelledOverrideSuggestsTheKeyPath() throws {
        let result = try CLI.run(["--hw", "8x8", "--set", "array.rwos=8", "Models/digits.q"])
        #expect(result.status == 2)
        #expect(
            result.stderr.hasSuffix(
                "HardwareConfigs/8x8.json: key 'array.rwos': --set: unknown key 'rwos' (did you mean 'array.rows'? "
                    + "known here: rows, cols, dataflow, input_type, weight_type, accumulator_bits, overflow)\n"))
    }

    @Test func unknownLayerNamesSuggestTheClosestLayer() throws {
        try expectError(
            ["map", "--hw", "8x8", "--layer", "conv", "Models/digits.q"],
            "layer 'conv': no such node in the graph (did you mean 'conv1'?)")
        try expectError(
            ["export-mem", "Models/digits.q", "--hw", "8x8", "--layer", "fcc", "-o", "/tmp/unused"],
            "model 'Models/digits.q' has no layer 'fcc' (did you mean 'fc'?) (give a node index 0…4 or a name)")
        try expectError(
            ["--hw", "8x8", "Models/digits.q", "--trace", "/tmp/unused.trace.gz", "--trace-layers", "0,max_pol"],
            "--trace-layers: layer list '0,max_pol': no layer or op 'max_pol' in the model (did you mean 'max_pool'?) "
                + "(layers and ops: conv1, pool1, conv2, mean, fc, conv2d, max_pool, fully_connected)")
    }

    /// `--trace-layers` takes layer and op names as well as indices: `fc,conv2d` traces layers 0,
    /// 2 and 4 of the digits model.
    @Test func traceLayersTakeLayerAndOpNames() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("accsim-names-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let trace = directory.appendingPathComponent("t.trace.gz").path
        let run = try CLI.run(["--hw", "8x8", "Models/digits.q", "--trace", trace, "--trace-layers", "fc,conv2d"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let dump = try CLI.run(["trace", "dump", trace])
        #expect(dump.status == 0)
        #expect(dump.stdout.contains("# traced_layers: 0,2,4\n"))
    }
}

/// Sizes that cannot fit are refused before anything is allocated (issue 19, item 3).
@Suite struct BoundedResourceTests {
    /// A run streams its batch in chunks, so `--batch 1000000000` on digits simply runs long; what
    /// must be held whole is the JSON report's list of predictions: 10⁹ × 64 B = 59.6 GiB.
    @Test func predictionsTooLargeForMemoryAreAClearError() throws {
        // The limit is fixed (16 GiB) so that the test cannot start a 10⁹-sample run on a large machine.
        let result = try CLI.run(
            ["--hw", "8x8", "Models/digits.q", "--batch", "1000000000", "--format", "json"],
            environment: [ModelInputs.batchMemoryVariable: "16384"])
        #expect(result.status == 2)
        #expect(
            result.stderr.hasPrefix(
                "accsim: error: --batch 1000000000: the JSON report (--format json, --report) lists every sample's "
                    + "prediction, which needs 59.6 GiB (1000000000 samples × 64 B), over the limit of 16.0 GiB"))
        #expect(
            result.stderr.hasSuffix(
                " (ACCSIM_BATCH_MEMORY_MIB, by default half the physical memory); run fewer samples, or drop "
                    + "--report and use --format table or csv, which need no per-sample memory\n"))
    }

    @Test func batchMemoryLimitIsSetByTheEnvironment() throws {
        #expect(
            ModelInputs.bytesPerSample(
                of: try QModelReader.read(path: CLI.root.appendingPathComponent("Models/digits.q").path)) == 296)
        try ModelInputs.checkBatchMemory(
            for: try QModelReader.read(path: CLI.root.appendingPathComponent("Models/digits.q").path), samples: 3542,
            what: "--batch 3542", limit: 1 << 20)
        #expect(throws: ModelError.self) {
            try ModelInputs.checkBatchMemory(
                for: try QModelReader.read(path: CLI.root.appendingPathComponent("Models/digits.q").path),
                samples: 3543, what: "--batch 3543", limit: 1 << 20)
        }
    }
}
