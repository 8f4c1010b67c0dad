import AccsimArithmetic
import Foundation

/// The data a run feeds a model, prepared in one place for `run`, `sweep`, `export-mem` and
/// `bench`: one `[N, …]` batch per graph input, read from `.npy` or generated from a seed, and
/// the labels that top-1 accuracy compares with; ``check(_:for:)`` is the one check of batches
/// against the graph's inputs (the engines call it before they run).
public enum ModelInputs {
    /// The batch in the `.npy` file at `path` for `graph`'s single input
    /// (``TensorInfo/inputTensor(from:source:)``); `model` names the model in errors.
    public static func batch(npy path: String, for graph: Graph, model: String) throws(ModelError) -> [String:
        IntTensor]
    {
        guard graph.inputs.count == 1, let info = graph.tensor(named: graph.inputs[0]) else {
            throw multipleInputsError(graph, model: model)
        }
        // Integers are taken as quantized; float32 is quantized as the model records (float_input),
        // and an NCHW array is accepted for a model whose input has the nchw layout.
        return [info.name: try info.inputTensor(from: try NPYFile.read(path: path), source: path)]
    }

    /// The error of `--input` for a model without exactly one input.
    static func multipleInputsError(_ graph: Graph, model: String) -> ModelError {
        ModelError(
            "model '\(model)' has \(graph.inputs.count) inputs; --input supports single-input models "
                + "(omit it to generate inputs)")
    }

    /// `samples` samples for every graph input, uniform over the input type's range, drawn from
    /// one ``SeededGenerator`` in graph-input order: the same seed gives the same batch everywhere.
    public static func seeded(for graph: Graph, samples: Int, seed: UInt64) -> [String: IntTensor] {
        seeded(for: graph, samples: samples, seed: seed, range: 0..<samples)
    }

    /// Samples `range` of ``seeded(for:samples:seed:)``'s batch of `samples`, with exactly its
    /// values: the generator jumps to each input's first value of the range
    /// (``SeededGenerator/init(seed:skipping:)``) instead of drawing the samples before it.
    public static func seeded(for graph: Graph, samples: Int, seed: UInt64, range: Range<Int>) -> [String: IntTensor] {
        var batches: [String: IntTensor] = [:]
        var before: UInt64 = 0  // draws of the inputs before this one, for the whole batch
        for name in graph.inputs {
            guard let info = graph.tensor(named: name) else { continue }
            let sampleElements = info.shape.dropFirst().reduce(1, *)
            let skipped = before &+ UInt64(truncatingIfNeeded: range.lowerBound) &* UInt64(sampleElements)
            var generator = SeededGenerator(seed: seed, skipping: skipped)
            let shape = [range.count] + info.shape.dropFirst()
            let bounds = info.elementType.minValue...info.elementType.maxValue
            let values = [Int32](unsafeUninitializedCapacity: range.count * sampleElements) { buffer, initialized in
                for index in 0..<buffer.count { buffer[index] = generator.nextInt32(in: bounds) }
                initialized = buffer.count
            }
            batches[name] = IntTensor(shape: shape, elementType: info.elementType, values: values)
            before = before &+ UInt64(truncatingIfNeeded: samples) &* UInt64(sampleElements)
        }
        return batches
    }

    /// Environment variable setting ``batchMemoryLimit`` in MiB.
    public static let batchMemoryVariable = "ACCSIM_BATCH_MEMORY_MIB"

    /// The most memory a batch's tensors may take: `$ACCSIM_BATCH_MEMORY_MIB` MiB when set, else
    /// half the machine's physical memory.
    public static var batchMemoryLimit: Int {
        if let text = ProcessInfo.processInfo.environment[batchMemoryVariable], let mib = Int(text), mib > 0 {
            return mib.multipliedReportingOverflow(by: 1 << 20).overflow ? .max : mib << 20
        }
        return Int(clamping: ProcessInfo.processInfo.physicalMemory / 2)
    }

    /// The bytes one sample takes in a chunk of a run: its inputs and the model's outputs at 4
    /// bytes an element as ``IntTensor`` holds them (layers in between run a few samples at a
    /// time, so they do not grow with the chunk).
    public static func bytesPerSample(of graph: Graph) -> Int {
        func saturating(_ a: Int, _ b: Int) -> Int {
            let (product, overflow) = a.multipliedReportingOverflow(by: b)
            return overflow ? .max : product
        }
        var total = 0
        for tensor in graph.tensors where graph.inputs.contains(tensor.name) || graph.outputs.contains(tensor.name) {
            let elements = tensor.shape.dropFirst().reduce(1) { saturating($0, max($1, 1)) }
            let (sum, overflow) = total.addingReportingOverflow(saturating(elements, 4))
            total = overflow ? .max : sum
        }
        return total
    }

    /// Checks, before anything is allocated, that a batch of `samples` fits in `limit` bytes
    /// (``batchMemoryLimit``); the error names `what` (`--batch 1000000000`) and the limit.
    /// For what must be held whole; a run in chunks checks one chunk (``chunkSamples(for:what:limit:)``).
    public static func checkBatchMemory(for graph: Graph, samples: Int, what: String, limit: Int = batchMemoryLimit)
        throws(ModelError)
    {
        let perSample = bytesPerSample(of: graph)
        let (needed, overflow) = perSample.multipliedReportingOverflow(by: samples)
        guard overflow || needed > limit else { return }
        let size = overflow ? "more than 8 EiB" : mebibytes(needed)
        throw ModelError(
            "\(what): the batch's inputs and outputs need \(size) (\(samples) samples × \(perSample) B), over the "
                + "limit of \(mebibytes(limit)) (\(batchMemoryVariable), by default half the physical memory); "
                + "run fewer samples")
    }

    /// Environment variable fixing the samples of a chunk (``chunkSamples(for:what:limit:)``);
    /// results do not depend on it (the tests compare chunk sizes).
    public static let chunkSamplesVariable = "ACCSIM_CHUNK_SAMPLES"

    /// The inputs and outputs one chunk of a run may hold by default, 16 MiB: enough samples to
    /// keep every worker busy and to amortise a chunk's start, few enough that a chunk's tensors
    /// stay small next to the model.
    public static let chunkBytes = 16 << 20

    /// The most samples a chunk holds by default (a small model's samples are a few hundred bytes).
    public static let chunkSampleLimit = 16384

    /// The samples of one chunk of a run of `graph` (``BatchSource``): `$ACCSIM_CHUNK_SAMPLES`
    /// when set, else ``chunkBytes`` worth (at least 4, at most ``chunkSampleLimit``), and never
    /// more than `limit` (``batchMemoryLimit``) holds. When one sample does not fit `limit`, the
    /// error names `what` and the limit.
    public static func chunkSamples(for graph: Graph, what: String, limit: Int = batchMemoryLimit) throws(ModelError)
        -> Int
    {
        let perSample = max(1, bytesPerSample(of: graph))
        guard perSample <= limit else {
            throw ModelError(
                "\(what): one sample's inputs and outputs need \(size(perSample)), over the limit of "
                    + "\(size(limit)) (\(batchMemoryVariable), by default half the physical memory)")
        }
        let fitting = limit / perSample
        if let text = ProcessInfo.processInfo.environment[chunkSamplesVariable], let samples = Int(text), samples > 0 {
            return min(samples, fitting)
        }
        return min(max(chunkBytes / perSample, 4), chunkSampleLimit, fitting)
    }

    /// `bytes` in B below 1 MiB, else as ``mebibytes(_:)``.
    private static func size(_ bytes: Int) -> String {
        bytes < 1 << 20 ? "\(bytes) B" : mebibytes(bytes)
    }

    /// `bytes` as the memory errors state them: GiB from 1 GiB, else MiB, one decimal.
    public static func mebibytes(_ bytes: Int) -> String {
        bytes >= 1 << 30
            ? String(format: "%.1f GiB", Double(bytes) / Double(1 << 30))
            : String(format: "%.1f MiB", Double(bytes) / Double(1 << 20))
    }

    /// The labels in the `.npy` file at `path`, one integer per sample of a batch of `samples`.
    public static func labels(npy path: String, samples: Int) throws(ModelError) -> [Int] {
        let array = try NPYFile.read(path: path)
        guard let tensor = array.intTensor() else {
            throw ModelError(file: path, "labels must be integers, got dtype \(array.dtype)")
        }
        guard tensor.count == samples else {
            throw ModelError(file: path, "\(tensor.count) labels for \(samples) samples")
        }
        return tensor.values.map(Int.init)
    }

    /// Checks that `batches` hold one `[N, …]` batch per graph input, each of the input's type
    /// and sample shape, all with the same N; returns N.
    public static func check(_ batches: [String: IntTensor], for graph: Graph) throws(ModelError) -> Int {
        var sampleCount: Int?
        for name in graph.inputs {
            guard let info = graph.tensor(named: name) else { continue }
            guard let batch = batches[name] else {
                throw ModelError("no input batch for model input '\(name)'")
            }
            let sampleShape = Array(info.shape.dropFirst())
            guard batch.shape.count == info.shape.count, Array(batch.shape.dropFirst()) == sampleShape else {
                throw ModelError(
                    "input batch has shape \(batch.shape) but the model input '\(name)' expects [N] + \(sampleShape)")
            }
            guard batch.elementType == info.elementType else {
                throw ModelError(
                    "input batch is \(batch.elementType.rawValue) but the model input '\(name)' is \(info.elementType.rawValue)"
                )
            }
            if let count = sampleCount, count != batch.shape[0] {
                throw ModelError("input batches differ in size (\(count) and \(batch.shape[0]) for '\(name)')")
            }
            sampleCount = batch.shape[0]
        }
        return sampleCount ?? 0
    }

    /// The number of samples of `batches` (the first dimension of any batch; 0 without batches).
    public static func sampleCount(_ batches: [String: IntTensor]) -> Int {
        batches.values.first?.shape.first ?? 0
    }
}
