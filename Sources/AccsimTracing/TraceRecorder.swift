import AccsimArithmetic
import AccsimExecution
import AccsimHardware
import AccsimJSON
import AccsimMapping
import AccsimModel
import AccsimSimulation
import AccsimTrace

/// Turns a run of one sample on the mapped hardware into trace records (Traces/FORMAT.md).
///
/// The recorder starts from the ``Simulation`` entry point, like `run` and `sweep`: the graph it
/// traces is the simulation's (requantizers fitted to the hardware), mapped and timed there. The
/// traced sample runs once more, along the schedule, with the tiled data path observed through
/// the scheduled execution's package hooks (the untraced batch run is not touched, so tracing
/// costs an untraced run nothing). Layers run one after another: layer `i` starts at global cycle
/// `Σ_{j<i} totalCycles(j)`; every record carries global cycles, and a layer-relative cycle is the
/// global one minus the layer's start (the header lists every start).
public struct TraceRecorder: Sendable {
    /// The mapped, timed model.
    public let simulation: HardwareSimulation
    /// The hardware config's name, for the header.
    public let hardwareName: String
    /// The accsim version, for the header.
    public let accsimVersion: String
    /// The global start cycle of every layer.
    public let layerStartCycles: [Int]

    /// A recorder for `simulation`, which needs hardware (a trace is of the mapped model).
    public init(simulation: Simulation, hardwareName: String, accsimVersion: String) throws(ExecutionError) {
        self.init(
            simulation: try simulation.requireHardware(), hardwareName: hardwareName, accsimVersion: accsimVersion)
    }

    /// A recorder for an already mapped model (the package's tests build one directly).
    package init(simulation: HardwareSimulation, hardwareName: String, accsimVersion: String) {
        self.simulation = simulation
        self.hardwareName = hardwareName
        self.accsimVersion = accsimVersion
        var starts: [Int] = []
        var cycle = 0
        for result in simulation.results {
            starts.append(cycle)
            cycle += result.totalCycles
        }
        layerStartCycles = starts
    }

    /// The header of a trace recorded with `options`.
    public func header(options: TraceOptions) -> TraceHeader {
        let graph = simulation.graph
        let config = simulation.hardware
        let requantizers = graph.nodes.map { $0.operation.outputRequantizer }
        let firstGEMMOutput = zip(simulation.schedule.layers, graph.nodes).first { $0.0.gemm != nil }
            .flatMap { graph.tensor(named: $0.1.outputs[0])?.elementType }
        let layers = graph.nodes.enumerated().map { index, node in
            TraceHeader.Layer(
                index: index, name: node.name, op: node.operation.kind.rawValue, startCycle: layerStartCycles[index],
                cycles: simulation.results[index].totalCycles, rounding: requantizers[index]?.rounding.rawValue)
        }
        return TraceHeader(
            accsimVersion: accsimVersion, level: options.level, tracedLayers: options.layers,
            cycleWindow: options.cycles,
            sample: options.sample, model: .init(name: graph.name, hash: ModelIdentity.hash(of: graph)),
            hardware: .init(
                name: hardwareName, hash: config.hash, config: (try? JSONWriter().value(of: config)) ?? .null),
            clockMHz: config.clockMHz,
            array: .init(
                rows: config.array.rows, cols: config.array.cols, dataflow: config.array.dataflow.rawValue,
                convention: config.convention.rawValue),
            elementWidths: .init(
                input: config.array.inputType.byteWidth * 8, weight: config.array.weightType.byteWidth * 8,
                accumulator: config.array.accumulatorBits, output: (firstGEMMOutput ?? .int8).byteWidth * 8),
            overflow: config.array.overflow.rawValue,
            rounding: Array(Set(requantizers.compactMap { $0?.rounding.rawValue })).sorted(),
            layers: layers, totalCycles: simulation.results.reduce(0) { $0 + $1.totalCycles })
    }

    /// Runs sample `options.sample` of `batches` (one `[N, …]` tensor per graph input) and writes
    /// its trace to `path` (or, with `path` nil, to memory: the summary then holds the bytes).
    public func write(batches: [String: IntTensor], options: TraceOptions, to path: String?, overwrite: Bool = false)
        throws -> TraceRunSummary
    {
        try write(
            sample: try simulation.sample(options.sample, of: batches), options: options, to: path, overwrite: overwrite
        )
    }

    /// Writes the trace of one sample (`inputs`: one tensor per graph input, its declared shape),
    /// sample `options.sample` of a batch read in chunks, to `path` (nil: to memory).
    public func write(
        sample inputs: [String: IntTensor], options: TraceOptions, to path: String?, overwrite: Bool = false
    )
        throws -> TraceRunSummary
    {
        let clock = ContinuousClock()
        let started = clock.now
        let header = header(options: options)
        let writer =
            try path.map { path throws(TraceError) in
                try TraceWriter(path: path, header: header, overwrite: overwrite, options: options.writer)
            }
            ?? TraceWriter(header: header, options: options.writer)
        let macs = record(sample: inputs, options: options, into: writer)
        let written = try writer.finish()
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return TraceRunSummary(
            path: path, level: options.level, records: written.records, chunks: written.chunks,
            uncompressedBytes: written.uncompressedBytes, compressedBytes: written.compressedBytes, tracedMACs: macs,
            seconds: seconds, bytes: written.bytes)
    }

    /// Records one sample (`inputs`: one tensor per graph input, its declared shape) into
    /// `writer`; returns the MACs covered.
    @discardableResult
    public func record(sample inputs: [String: IntTensor], options: TraceOptions, into writer: TraceWriter) -> Int {
        let schedule = simulation.schedule
        var captures: [Int: GEMMLayerCapture] = [:]
        var outputCRCs = [UInt32](repeating: 0, count: schedule.layers.count)
        for (index, layer) in schedule.layers.enumerated() {
            if let plan = layer.gemm { captures[index] = GEMMLayerCapture(plan: plan) }
        }
        let observed = captures
        _ = simulation.runSample(
            inputs,
            observe: { index, output in
                outputCRCs[index] = TensorChecksum.crc32(output)
            }, observer: { index in observed[index] })

        var macs = 0
        for (index, layer) in schedule.layers.enumerated() {
            let start = layerStartCycles[index]
            let result = simulation.results[index]
            writer.append(
                .layerBegin(LayerBeginRecord(cycle: start, layer: index, name: layer.name, op: layer.kind.rawValue)))
            if options.level == .layer || options.traces(.tile, layer: index), options.level != .cycle {
                macs += result.traffic.macs
            }
            if options.traces(.tile, layer: index) {
                var emitter = LayerStepEmitter(
                    layer: layer, layerIndex: index, result: result, start: start, hardware: simulation.hardware,
                    capture: captures[index], requantizer: simulation.graph.nodes[index].operation.outputRequantizer,
                    options: options, writer: writer)
                emitter.emit()
                if options.level == .cycle { macs += emitter.tracedFoldMACs }
            }
            let capture = captures[index].flatMap { $0.isComplete ? $0 : nil }
            writer.append(
                .layerEnd(
                    LayerEndRecord(
                        cycle: start + result.totalCycles, layer: index, outputCRC: outputCRCs[index],
                        accumulatorCRC: capture.map {
                            TensorChecksum.crc32(
                                IntTensor(
                                    shape: [$0.scatteredAccumulators.count], elementType: .int32,
                                    values: $0.scatteredAccumulators))
                        },
                        counters: Self.counters(layer: layer, result: result, hardware: simulation.hardware))))
        }
        return macs
    }

    /// The layer-end counters of `layer`: every name of the trace format, in its order, read
    /// from the counter table (``LayerPerformance/counters``, by ``PerformanceCounter/traceName``).
    static func counters(layer: LayerSchedule, result: LayerResult, hardware: HardwareConfig) -> LayerCounters {
        let performance = LayerPerformance(layer: layer, result: result, hardware: hardware)
        return LayerCounters(
            values: LayerCounters.names.map { name in
                traceCounters[name]?.value(performance).integer ?? 0
            })
    }

    /// The table's counters by trace name.
    static let traceCounters: [String: PerformanceCounter] = Dictionary(
        uniqueKeysWithValues: LayerPerformance.counters.compactMap { counter in counter.traceName.map { ($0, counter) }
        })
}
