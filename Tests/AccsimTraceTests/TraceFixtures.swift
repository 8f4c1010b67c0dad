import AccsimArithmetic
import AccsimExecution
import AccsimHardware
import AccsimModel
import AccsimSimulation
import AccsimTestSupport
import AccsimTrace
import AccsimTracing
import Foundation
import Testing

/// Paths and shared inputs of the trace tests.
enum TraceFixtures {
    static func path(_ relative: String) -> String { Repository.path(relative) }

    /// The example model and the 8×8 config of the README.
    static func digits(config: String = "HardwareConfigs/8x8.json", overrides: [String] = []) throws -> (
        HardwareSimulation, [String: IntTensor], ResolvedHardware
    ) {
        try model("digits", input: "digits_test_x.npy", config: config, overrides: overrides)
    }

    /// A bundled model, the first two samples of its input file, on `config`.
    static func model(_ name: String, input: String, config: String, overrides: [String] = []) throws -> (
        HardwareSimulation, [String: IntTensor], ResolvedHardware
    ) {
        let graph = try QModelReader.read(path: path("Models/\(name).q"))
        let hardware = try HardwareConfigLoader.load(path(config), overrides: overrides)
        let simulation = try Simulation(model: graph, hardware: hardware.config).requireHardware()
        let batch = try NPYFile.read(path: path("Models/\(input)")).intTensor()!
        let size = batch.count / batch.shape[0]
        let first = IntTensor(
            shape: [2] + batch.shape.dropFirst(), elementType: batch.elementType,
            values: Array(batch.values[0..<2 * size]))
        return (simulation, [graph.inputs[0]: first], hardware)
    }

    /// A trace of `simulation` in memory.
    static func trace(
        _ simulation: HardwareSimulation, _ batches: [String: IntTensor], name: String = "8x8", options: TraceOptions
    ) throws -> [UInt8] {
        let recorder = TraceRecorder(simulation: simulation, hardwareName: name, accsimVersion: "test")
        let summary = try recorder.write(batches: batches, options: options, to: nil)
        return try #require(summary.bytes)
    }

    /// Every record of a trace in memory.
    static func records(_ bytes: [UInt8]) throws -> (TraceHeader, [TraceRecord]) {
        let reader = try TraceReader(bytes: bytes, name: "memory.trace.gz")
        var records: [TraceRecord] = []
        try reader.forEachRecord { records.append($0) }
        return (reader.header, records)
    }

    /// A small header for format-level tests.
    static func header(level: TraceLevel = .cycle) -> TraceHeader {
        TraceHeader(
            accsimVersion: "test", level: level, tracedLayers: nil, cycleWindow: nil, sample: 0,
            model: .init(name: "m", hash: "0123456789abcdef"),
            hardware: .init(name: "hw", hash: "fedcba9876543210", config: .object(["k": .int(1)])),
            clockMHz: 500, array: .init(rows: 4, cols: 4, dataflow: "weight_stationary", convention: "native"),
            elementWidths: .init(input: 8, weight: 8, accumulator: 32, output: 8), overflow: "wrap",
            rounding: ["half_up"],
            layers: [.init(index: 0, name: "conv", op: "conv2d", startCycle: 0, cycles: 100, rounding: "half_up")],
            totalCycles: 100)
    }

    /// One record of every type, with awkward values.
    static let sampleRecords: [TraceRecord] = [
        .layerBegin(LayerBeginRecord(cycle: 0, layer: 0, name: "conv 1 \"odd\"=name", op: "conv2d")),
        .dma(
            DMARecord(
                cycle: 0, layer: 0, sequence: 0, direction: .load, buffer: .parameters, tensor: "bias",
                dramAddress: 0x1c0,
                chunkCount: 1, chunkBytes: 64, strideBytes: 64, sramAddress: 0, bank: 0, half: 0, after: nil,
                completion: 108)),
        .dma(
            DMARecord(
                cycle: 108, layer: 0, sequence: 1, direction: .store, buffer: .output,
                tensor: String(repeating: "t", count: 200),
                dramAddress: 1 << 40, chunkCount: 16, chunkBytes: 3, strideBytes: 48, sramAddress: 16384, bank: 7,
                half: 1, after: 5, completion: 300)),
        .compute(
            ComputeRecord(
                cycle: 120, layer: 0, sequence: 2, end: 170, stall: 4, stallCause: .weight,
                work: .array(
                    .init(
                        group: 1, mIndex: 2, nIndex: 3, kIndex: 0, m: 16..<32, n: 8..<16, k: 0..<9, lastChunk: true,
                        folds: 2, arrayCycles: 40, requantizerCycles: 10)))),
        .compute(
            ComputeRecord(
                cycle: 90, layer: 1, sequence: 9, end: 95, stall: 0, stallCause: .none,
                work: .vector(.init(chunk: 3, part: 1, work: 77, outputElements: 12)))),
        .requant(
            RequantRecord(
                cycle: 160, layer: 0, row: 5, channel: 7, accumulator: .min, bias: -1, input: .max,
                multiplier: 1_073_741_824,
                shift: 62, zeroPoint: -128, beforeSaturation: -(1 << 40), saturated: true, output: -128)),
        .requant(
            RequantRecord(
                cycle: 161, layer: 0, row: 0, channel: 0, accumulator: 3, bias: nil, input: 3, multiplier: 1,
                shift: 0, zeroPoint: 0, beforeSaturation: 3, saturated: false, output: 3)),
        .fold(
            FoldRecord(cycle: 120, layer: 0, sequence: 2, index: 1, group: 1, m: 16..<32, k: 8..<9, n: 8..<16, end: 145)
        ),
        .edge(EdgeRecord(cycle: 121, layer: 0, edge: .top, index: 3, value: -128)),
        .edge(EdgeRecord(cycle: 121, layer: 0, edge: .left, index: 0, value: 255)),
        .edge(EdgeRecord(cycle: 144, layer: 0, edge: .bottom, index: 7, value: .min)),
        .sram(SRAMRecord(cycle: 121, layer: 0, buffer: .input, isWrite: false, bank: 3, address: 0x7ff, bytes: 1)),
        .sram(SRAMRecord(cycle: 144, layer: 0, buffer: .output, isWrite: true, bank: 0, address: 0x40, bytes: 4)),
        .unknown(UnknownRecord(cycle: 150, layer: 0, type: 0x77, body: [1, 2, 3])),
        .layerEnd(
            LayerEndRecord(
                cycle: 300, layer: 0, outputCRC: 0xdead_beef, accumulatorCRC: 0x0102_0304,
                counters: LayerCounters(values: Array(0..<LayerCounters.names.count).map { $0 * 1000 - 5 }))),
        .layerEnd(
            LayerEndRecord(cycle: 310, layer: 1, outputCRC: 0, accumulatorCRC: nil, counters: LayerCounters(values: []))
        ),
    ]
}
