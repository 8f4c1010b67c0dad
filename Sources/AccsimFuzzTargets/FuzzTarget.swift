// AccsimFuzzTargets: one entry per reader of untrusted files, for libFuzzer (Fuzz/) and for the
// replay of corpora and crash inputs in a normal build (`accsim-fuzz-replay`, FuzzCorpusTests).
// A target feeds the bytes to the reader and discards the result: any error the reader throws is
// a correct answer; a crash, hang or allocation failure is a bug.

import AccsimHardware
import AccsimImport
import AccsimModel
import AccsimSweep
import AccsimTrace

/// A reader under fuzzing.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The `.q` container (`QModelReader`).
    case q
    /// TFLite flatbuffers.
    case tflite
    /// ONNX protobuf.
    case onnx
    /// Trace files: gzip members, chunk framing, records.
    case trace
    /// Hardware config JSON, resolved and validated.
    case hardware
    /// SCALE-Sim `.cfg` files.
    case scalesimConfig = "scalesim-cfg"
    /// SCALE-Sim topology `.csv` files.
    case scalesimTopology = "scalesim-csv"
    /// `.npy` arrays.
    case npy
    /// Sweep files (`--sweep-file`) and sweep results (JSONL and CSV).
    case sweep

    /// Runs the reader on `bytes`; throws only what the reader throws.
    public func run(_ bytes: [UInt8]) throws {
        switch self {
        case .q:
            _ = try QModelReader.decode(bytes, file: "fuzz.q")
        case .tflite:
            _ = try TFLiteImporter.importModel(bytes: bytes, file: "fuzz.tflite")
        case .onnx:
            _ = try ONNXImporter.importModel(bytes: bytes, file: "fuzz.onnx")
        case .trace:
            let reader = try TraceReader(bytes: bytes, name: "fuzz.trace.gz")
            while try reader.nextChunk() != nil {}
        case .hardware:
            _ = try HardwareConfigLoader.resolve(bytes: bytes, defaultName: "fuzz")
        case .scalesimConfig:
            _ = try ScaleSimConfig.parse(String(decoding: bytes, as: UTF8.self), file: "fuzz.cfg")
        case .scalesimTopology:
            _ = try ScaleSimTopology.parse(String(decoding: bytes, as: UTF8.self), file: "fuzz.csv")
        case .npy:
            _ = try NPYFile.decode(bytes, file: "fuzz.npy")
        case .sweep:
            // One input, three readers: the first byte picks which.
            guard let selector = bytes.first else { return }
            let rest = Array(bytes.dropFirst())
            switch selector % 3 {
            case 0: _ = try SweepFile.decode(rest, name: "fuzz.json")
            case 1: _ = try SweepResultsFile.parse(rest, format: .jsonl, name: "fuzz.jsonl")
            default: _ = try SweepResultsFile.parse(rest, format: .csv, name: "fuzz.csv")
            }
        }
    }

    /// Runs the reader and swallows the errors it throws (what libFuzzer calls).
    public func runIgnoringErrors(_ bytes: [UInt8]) {
        do { try run(bytes) } catch {}
    }
}
