// swift-tools-version: 6.1
// accsim — a cycle-approximate, bit-exact simulator of int8 DNN accelerators.

import PackageDescription

let strictSwift: [SwiftSetting] = [
    .swiftLanguageMode(.v6)
]

let package = Package(
    name: "accsim",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "accsim", targets: ["accsim"]),
        .executable(name: "accsim-fuzz-replay", targets: ["accsim-fuzz-replay"]),
        .library(name: "AccsimFuzzTargets", targets: ["AccsimFuzzTargets"]),
        .library(name: "AccsimArithmetic", targets: ["AccsimArithmetic"]),
        .library(name: "AccsimJSON", targets: ["AccsimJSON"]),
        .library(name: "AccsimChecksum", targets: ["AccsimChecksum"]),
        .library(name: "AccsimFiles", targets: ["AccsimFiles"]),
        .library(name: "AccsimModel", targets: ["AccsimModel"]),
        .library(name: "AccsimExecution", targets: ["AccsimExecution"]),
        .library(name: "AccsimSimulation", targets: ["AccsimSimulation"]),
        .library(name: "AccsimTracing", targets: ["AccsimTracing"]),
        .library(name: "AccsimHardware", targets: ["AccsimHardware"]),
        .library(name: "AccsimReport", targets: ["AccsimReport"]),
        .library(name: "AccsimTiming", targets: ["AccsimTiming"]),
        .library(name: "AccsimMapping", targets: ["AccsimMapping"]),
        .library(name: "AccsimImport", targets: ["AccsimImport"]),
        .library(name: "AccsimTrace", targets: ["AccsimTrace"]),
        .library(name: "AccsimSweep", targets: ["AccsimSweep"]),
        .library(name: "AccsimPlot", targets: ["AccsimPlot"]),
        .library(name: "AccsimSuggestions", targets: ["AccsimSuggestions"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        // zlib from the system (Debian: zlib1g-dev): CRC32 for .q files, compression for traces.
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // SIMD kernels per instruction set (AVX-512 VNNI, AVX-VNNI, AVX2, NEON), chosen at run time
        // by CPU feature; the fast kernels' portable Swift path is the fallback and the tests
        // compare every path the machine runs with the reference kernels.
        .target(name: "CAccsimKernels", path: "Sources/CAccsimKernels"),
        // The yardstick of `accsim bench`: a plain exact AVX2 C GEMM (not used by the simulator).
        .target(name: "CAccsimBenchReference", path: "Sources/CAccsimBenchReference"),
        // Integer semantics: rounding modes, requantizer, reference kernels (the oracle) and the
        // fast kernels that must equal them. No files, no cycles.
        .target(name: "AccsimArithmetic", dependencies: ["CAccsimKernels"], swiftSettings: strictSwift),
        // "Did you mean …?": one edit distance and one typo rule for every error that suggests a
        // name (config keys, bundled configs, layers, ops). Depends on nothing.
        .target(name: "AccsimSuggestions", swiftSettings: strictSwift),
        // Exact JSON: ordered values, a strict Decoder (unknown keys are errors) and a deterministic
        // Encoder. Used by the .q manifest, hardware configs, reports and sweep results.
        .target(name: "AccsimJSON", dependencies: ["AccsimSuggestions"], swiftSettings: strictSwift),
        // CRC-32 through zlib (the one checksum of the .q container, traces and output CRCs) and
        // FNV-1a 64 (the one hash of stable identifiers: config hashes, model identity, point ids).
        .target(name: "AccsimChecksum", dependencies: ["CZlib"], swiftSettings: strictSwift),
        // Writing output files: atomically (temporary file in the same directory, then rename) and
        // never over an existing file without --force.
        .target(name: "AccsimFiles", dependencies: ["AccsimChecksum"], swiftSettings: strictSwift),
        // Graph IR, validation, the .q container and .npy I/O. No hardware.
        .target(
            name: "AccsimModel",
            dependencies: ["AccsimArithmetic", "AccsimJSON", "AccsimChecksum", "AccsimFiles", "AccsimSuggestions"],
            swiftSettings: strictSwift),
        // Hardware configuration schema, defaults, validation and overrides. Computes nothing.
        .target(
            name: "AccsimHardware",
            dependencies: ["AccsimArithmetic", "AccsimJSON", "AccsimChecksum", "AccsimSuggestions"],
            swiftSettings: strictSwift),
        // Array timing: analytic per-tile cycles per dataflow and the cycle-stepped model that checks them.
        .target(
            name: "AccsimTiming", dependencies: ["AccsimHardware", "AccsimArithmetic"], swiftSettings: strictSwift),
        // Lowering a graph onto the hardware: tiling that fits the SRAMs, loop order, the Schedule.
        .target(
            name: "AccsimMapping",
            dependencies: [
                "AccsimModel", "AccsimArithmetic", "AccsimHardware", "AccsimTiming", "AccsimJSON", "AccsimSuggestions",
            ],
            swiftSettings: strictSwift),
        // Golden-model traces: records, gzip-framed chunked files, reader, dump, diff, VCD, memory
        // images. Knows nothing of the simulator (the recorder is AccsimTracing).
        .target(
            name: "AccsimTrace",
            dependencies: ["CZlib", "AccsimJSON", "AccsimChecksum", "AccsimFiles", "AccsimSuggestions"],
            swiftSettings: strictSwift),
        // Computing a graph's data: the graph executor (node by node, reference or fast kernels) and
        // the scheduled execution on mapped hardware (conv/FC tile by tile, fold by fold).
        .target(
            name: "AccsimExecution",
            dependencies: [
                "AccsimArithmetic", "AccsimModel", "AccsimHardware", "AccsimMapping", "AccsimTiming",
            ],
            swiftSettings: strictSwift),
        // The one entry point "simulate this model on this hardware": requantizers fitted to the
        // hardware, mapping and timing, outputs; used by run, sweep, export-mem and bench.
        .target(
            name: "AccsimSimulation",
            dependencies: ["AccsimArithmetic", "AccsimModel", "AccsimHardware", "AccsimMapping", "AccsimExecution"],
            swiftSettings: strictSwift),
        // Recording a simulation for RTL verification: golden-model traces of one sample (through
        // the Simulation entry point and the scheduled execution's package hooks) and the per-layer
        // tensors of `accsim export-mem`.
        .target(
            name: "AccsimTracing",
            dependencies: [
                "AccsimArithmetic", "AccsimModel", "AccsimHardware", "AccsimMapping", "AccsimTiming", "AccsimTrace",
                "AccsimJSON", "AccsimExecution", "AccsimSimulation",
            ],
            swiftSettings: strictSwift),
        // Readers of foreign model formats (TFLite, …) producing a validated Graph.
        .target(
            name: "AccsimImport", dependencies: ["AccsimModel", "AccsimArithmetic", "AccsimHardware"],
            swiftSettings: strictSwift),
        // Hand-written SVG charts: the element writer, axes and ticks, label placement. Shared by the
        // sweep plots and the HTML report; depends on nothing.
        .target(name: "AccsimPlot", swiftSettings: strictSwift),
        // Design-space sweeps: grids of config overrides, sharding, the point runner (data computed
        // once per arithmetic key), result rows (JSONL/CSV), resume, merge, Pareto fronts and SVG plots.
        .target(
            name: "AccsimSweep",
            dependencies: [
                "AccsimArithmetic", "AccsimJSON", "AccsimModel", "AccsimHardware", "AccsimMapping", "AccsimExecution",
                "AccsimChecksum",
                "AccsimSimulation", "AccsimPlot", "AccsimFiles", "AccsimSuggestions",
            ],
            swiftSettings: strictSwift),
        // Rendering results: terminal tables, JSON, CSV and the self-contained HTML report.
        .target(
            name: "AccsimReport",
            dependencies: [
                "AccsimArithmetic", "AccsimModel", "AccsimMapping", "AccsimHardware", "AccsimJSON", "AccsimPlot",
            ],
            swiftSettings: strictSwift),
        // Subcommands, argument parsing, exit codes. Holds no simulation logic.
        .target(
            name: "AccsimCLI",
            dependencies: [
                "AccsimArithmetic", "AccsimModel", "AccsimHardware", "AccsimMapping", "AccsimExecution", "AccsimReport",
                "AccsimImport", "AccsimTrace", "AccsimSweep", "AccsimFiles", "AccsimJSON", "AccsimSimulation",
                "AccsimTracing", "AccsimSuggestions", "CAccsimBenchReference",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift
        ),
        // One entry per reader of untrusted files, for libFuzzer (Fuzz/) and corpus replay.
        .target(
            name: "AccsimFuzzTargets",
            dependencies: ["AccsimHardware", "AccsimImport", "AccsimModel", "AccsimSweep", "AccsimTrace"],
            swiftSettings: strictSwift),
        // Replays fuzz inputs through a reader in a normal build: accsim-fuzz-replay TARGET FILE….
        .executableTarget(
            name: "accsim-fuzz-replay", dependencies: ["AccsimFuzzTargets"], swiftSettings: strictSwift),
        // The executable: a one-line entry point into AccsimCLI.
        .executableTarget(name: "accsim", dependencies: ["AccsimCLI"], swiftSettings: strictSwift),
        // What the tests share: the repository root, the CLI subprocess harness, fixture folders
        // with a manifest, and seeded draws on the project's one SplitMix64.
        .target(
            name: "AccsimTestSupport", dependencies: ["AccsimArithmetic", "AccsimModel"],
            path: "Tests/AccsimTestSupport",
            swiftSettings: strictSwift),
        .testTarget(
            name: "AccsimArithmeticTests", dependencies: ["AccsimTestSupport", "AccsimArithmetic", "AccsimModel"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSwift),
        .testTarget(name: "AccsimJSONTests", dependencies: ["AccsimJSON"], swiftSettings: strictSwift),
        .testTarget(name: "AccsimSuggestionsTests", dependencies: ["AccsimSuggestions"], swiftSettings: strictSwift),
        .testTarget(
            name: "AccsimModelTests",
            dependencies: ["AccsimTestSupport", "AccsimModel", "AccsimArithmetic", "AccsimJSON", "AccsimChecksum"],
            resources: [.copy("Fixtures")], swiftSettings: strictSwift),
        .testTarget(
            name: "AccsimExecutionTests",
            dependencies: [
                "AccsimTestSupport",
                "AccsimExecution", "AccsimModel", "AccsimArithmetic", "AccsimHardware", "AccsimMapping", "AccsimTiming",
            ],
            swiftSettings: strictSwift),
        .testTarget(
            name: "AccsimImportTests",
            dependencies: [
                "AccsimTestSupport", "AccsimImport", "AccsimModel", "AccsimExecution", "AccsimArithmetic",
                "AccsimHardware",
            ],
            resources: [.copy("Fixtures")], swiftSettings: strictSwift),
        .testTarget(
            name: "AccsimTraceTests",
            dependencies: [
                "AccsimTestSupport",
                "AccsimTrace", "AccsimTracing", "AccsimExecution", "AccsimSimulation", "AccsimModel",
                "AccsimArithmetic",
                "AccsimHardware", "AccsimMapping", "AccsimTiming", "AccsimJSON", "AccsimChecksum", "CZlib",
            ],
            swiftSettings: strictSwift),
        .testTarget(
            name: "AccsimHardwareTests", dependencies: ["AccsimTestSupport", "AccsimHardware", "AccsimArithmetic"],
            swiftSettings: strictSwift),
        .testTarget(
            name: "AccsimTimingTests",
            dependencies: ["AccsimTestSupport", "AccsimTiming", "AccsimHardware", "AccsimArithmetic", "AccsimModel"],
            swiftSettings: strictSwift),
        .testTarget(
            name: "AccsimMappingTests",
            dependencies: [
                "AccsimTestSupport", "AccsimMapping", "AccsimTiming", "AccsimModel", "AccsimArithmetic",
                "AccsimHardware",
            ],
            swiftSettings: strictSwift),
        .testTarget(
            name: "AccsimSweepTests",
            dependencies: [
                "AccsimTestSupport", "AccsimSweep", "AccsimHardware", "AccsimModel", "AccsimJSON", "AccsimArithmetic",
                "AccsimExecution", "AccsimMapping",
            ],
            swiftSettings: strictSwift),
        .testTarget(
            name: "AccsimReportTests", dependencies: ["AccsimReport", "AccsimPlot", "AccsimJSON"],
            swiftSettings: strictSwift),
        // Runs the built `accsim` executable as a subprocess: exit codes, stdout and stderr as users see them.
        .testTarget(
            name: "AccsimCLITests",
            dependencies: [
                "AccsimTestSupport", "accsim", "AccsimCLI", "AccsimModel", "AccsimJSON", "AccsimFuzzTargets",
            ],
            swiftSettings: strictSwift),
    ]
)
