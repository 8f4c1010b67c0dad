import AccsimArithmetic
import AccsimExecution
import AccsimHardware
import AccsimMapping
import AccsimModel
import Dispatch

/// "Simulate this model on this hardware": the one library entry point that `accsim run`,
/// `sweep`, `export-mem`, `bench` and the trace recorder go through.
///
/// In: a validated model, optionally a hardware config, and ``Options``. Preparing a simulation
/// fits the model's requantizers to the hardware (or refuses them, naming the first layer the
/// hardware cannot run), maps and times every layer; it computes no data. ``run(batches:threads:)``
/// then computes the outputs: along the schedule on the hardware (the hardware's accumulator
/// overflow and order), or on the model alone without hardware.
public struct Simulation: Sendable {
    /// How to simulate.
    public struct Options: Sendable, Hashable {
        /// The kernels that compute the data; both give the same bits.
        public var kernels: KernelSelection
        /// Convert requantizers the hardware cannot run to what it offers (`--adapt-requant`);
        /// false: such a model is refused.
        public var adaptRequantizers: Bool

        /// Options as given (defaults: fast kernels, requantizers as in the model).
        public init(kernels: KernelSelection = .fast, adaptRequantizers: Bool = false) {
            self.kernels = kernels
            self.adaptRequantizers = adaptRequantizers
        }
    }

    /// The model as given.
    public let model: Graph
    /// The graph that is simulated: ``model`` with its requantizers fitted to the hardware.
    public let graph: Graph
    /// The hardware config, when there is one.
    public let hardware: HardwareConfig?
    /// The graph mapped onto the hardware: schedule, timing and the tiled data path.
    public let mapped: HardwareSimulation?
    /// The requantizers converted to what the hardware offers (empty: none were).
    public let adaptedRequantizers: [RequantizerFitting.Mismatch]
    /// The options.
    public let options: Options
    /// The engine of a simulation without hardware.
    private let modelEngine: GraphExecutor?

    /// Prepares `model` on `hardware` (nil: the model alone, no timing).
    public init(model: Graph, hardware: HardwareConfig?, options: Options = Options()) throws(ExecutionError) {
        self.model = model
        self.hardware = hardware
        self.options = options
        var graph = model
        var adapted: [RequantizerFitting.Mismatch] = []
        if let hardware {
            let fitting = RequantizerFitting(capability: hardware.requantizer)
            let mismatches = fitting.mismatches(in: model)
            if !mismatches.isEmpty {
                guard options.adaptRequantizers else {
                    let more = mismatches.count > 1 ? " (and \(mismatches.count - 1) more)" : ""
                    throw ExecutionError(
                        mismatches[0].description + more
                            + "; --adapt-requant converts them to what the hardware offers",
                        isBadInput: true)
                }
                graph = fitting.adapt(model).graph
                adapted = mismatches
            }
        }
        self.graph = graph
        adaptedRequantizers = adapted
        if let hardware {
            mapped = try HardwareSimulation(graph: graph, hardware: hardware, kernels: options.kernels)
            modelEngine = nil
        } else {
            mapped = nil
            modelEngine = GraphExecutor(graph: graph, kernels: options.kernels)
        }
    }

    /// ``mapped``, for the commands that need hardware (export-mem, traces).
    public func requireHardware() throws(ExecutionError) -> HardwareSimulation {
        guard let mapped else { throw ExecutionError("this needs a hardware config (--hw)", isBadInput: true) }
        return mapped
    }

    /// The schedule (nil without hardware).
    public var schedule: Schedule? { mapped?.schedule }

    /// Every layer's performance in node order (nil without hardware).
    public var performance: [LayerPerformance]? { mapped?.performance }

    /// The whole model's performance, layers one after another (nil without hardware).
    public var total: LayerPerformance? {
        guard let mapped else { return nil }
        return LayerPerformance.total(mapped.performance, hardware: mapped.hardware)
    }

    /// What preparing did to the model, one line each (for stderr).
    public var notes: [String] {
        guard !adaptedRequantizers.isEmpty else { return [] }
        let layers = Set(adaptedRequantizers.map(\.node)).count
        return ["--adapt-requant: converted \(adaptedRequantizers.count) requantizer(s) in \(layers) layer(s)"]
    }

    /// Runs a batch (one `[N, …]` tensor per graph input) and returns every graph output `[N, …]`.
    /// Results do not depend on `threads`.
    /// `progress`, if given, is called after each layer of each sample (from worker threads).
    public func run(
        batches: [String: IntTensor], threads: Int = 1, progress: (@Sendable () -> Void)? = nil
    ) throws(ExecutionError) -> [String: IntTensor] {
        if let mapped { return try mapped.run(batches: batches, threads: threads, progress: progress) }
        if let modelEngine { return try modelEngine.run(batches: batches, threads: threads, progress: progress) }
        return [:]  // unreachable: one of the two is set by init
    }

    /// One chunk of a run in chunks (``run(_:chunkSamples:threads:withModelRequantizers:progress:each:)``).
    public struct Chunk: Sendable {
        /// The samples of the batch the chunk holds.
        public var samples: Range<Int>
        /// The inputs: one `[samples.count, …]` tensor per graph input.
        public var inputs: [String: IntTensor]
        /// The graph outputs, `[samples.count, …]`.
        public var outputs: [String: IntTensor]
        /// With adapted requantizers and when asked for: the outputs of the model's own
        /// requantizers (``runWithModelRequantizers(batches:threads:)``).
        public var modelRequantizerOutputs: [String: IntTensor]?
    }

    /// Runs the batch of `source` in chunks of `chunkSamples` samples, in order, handing each to
    /// `each` before the next is read, so memory holds one chunk whatever the batch size. Every
    /// sample runs on its own, so the outputs are those of ``run(batches:threads:progress:)`` on
    /// the whole batch for any chunk size and thread count. An empty batch is one empty chunk.
    public func run(
        _ source: BatchSource, chunkSamples: Int, threads: Int = 1, withModelRequantizers: Bool = false,
        progress: (@Sendable () -> Void)? = nil, each: (Chunk) throws -> Void
    ) throws {
        precondition(chunkSamples >= 1, "a chunk holds at least one sample")
        let overflow = hardware?.array.overflow ?? .wrap
        let reference =
            withModelRequantizers && !adaptedRequantizers.isEmpty
            ? GraphExecutor(graph: model, overflow: overflow, kernels: options.kernels) : nil
        func samples(from start: Int) -> Range<Int> { start..<min(start + chunkSamples, source.sampleCount) }
        // The next chunk's inputs are read or generated while this one computes, so that the
        // workers do not wait for them between chunks.
        var pending = ChunkPrefetch(source, samples(from: 0))
        repeat {
            let range = pending.samples
            let inputs = try pending.inputs()
            if range.upperBound < source.sampleCount {
                pending = ChunkPrefetch(source, samples(from: range.upperBound))
            }
            let outputs = try run(batches: inputs, threads: threads, progress: progress)
            let modelOutputs = try reference?.run(batches: inputs, threads: threads)
            try each(Chunk(samples: range, inputs: inputs, outputs: outputs, modelRequantizerOutputs: modelOutputs))
            if range.upperBound >= source.sampleCount { break }
        } while true
    }

    /// With adapted requantizers: the outputs the model's own requantizers give (under the
    /// hardware's accumulator overflow), to compare with ``run(batches:threads:)``; nil otherwise.
    public func runWithModelRequantizers(batches: [String: IntTensor], threads: Int = 1) throws(ExecutionError)
        -> [String: IntTensor]?
    {
        guard !adaptedRequantizers.isEmpty else { return nil }
        let overflow = hardware?.array.overflow ?? .wrap
        return try GraphExecutor(graph: model, overflow: overflow, kernels: options.kernels)
            .run(batches: batches, threads: threads)
    }

    /// How many elements of the graph outputs differ between `outputs` and `reference`, and how
    /// many there are.
    public func differingOutputs(_ outputs: [String: IntTensor], _ reference: [String: IntTensor]) -> (
        differ: Int, of: Int
    ) {
        let differ = graph.outputs.reduce(0) { count, name in
            count + zip(reference[name]?.values ?? [], outputs[name]?.values ?? []).filter { $0 != $1 }.count
        }
        let total = graph.outputs.reduce(0) { $0 + (outputs[$1]?.count ?? 0) }
        return (differ, total)
    }
}

/// The inputs of one chunk, produced on a background queue from the moment it is created.
private final class ChunkPrefetch: @unchecked Sendable {
    let samples: Range<Int>
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<[String: IntTensor], ModelError>?

    init(_ source: BatchSource, _ samples: Range<Int>) {
        self.samples = samples
        DispatchQueue.global().async {
            self.result = Result { () throws(ModelError) in try source.chunk(samples) }
            self.done.signal()
        }
    }

    /// The inputs, once produced (the semaphore orders the write before this read).
    func inputs() throws(ModelError) -> [String: IntTensor] {
        done.wait()
        done.signal()
        return try result!.get()
    }
}
