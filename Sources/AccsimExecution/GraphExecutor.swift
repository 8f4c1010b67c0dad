import AccsimArithmetic
import AccsimModel
import Dispatch

/// Runs a validated graph node by node, one sample at a time, with the kernels chosen by
/// ``kernels``: ``KernelSelection/reference`` (the oracle that every scheduled or fast execution
/// must match bit for bit) or ``KernelSelection/fast`` (the production path of `accsim run`).
/// It follows no hardware schedule: the scheduled execution on mapped hardware is
/// ``HardwareSimulation``, which calls this executor for every layer it does not tile.
///
/// Samples are independent, so a batch is spread over `threads` workers; each sample's result
/// lands in its own slot and the batch is assembled in sample order, so the outputs are identical
/// whatever the thread count.
///
/// With `kernels: .fast` the engine computes the same bits with ``FastKernels``: convolution and
/// fully connected layers with 8-bit operands through the packed int8 GEMM when the accumulators
/// wrap (under `saturate` the reference kernels keep their order), Add, MaxPool, Mean and
/// Requantize with the row kernels; threads a batch leaves idle (fewer samples than threads) go
/// to the kernels of each sample, which split output tiles, so results stay byte-identical.
/// Constants are widened to `Int32` only when a reference kernel reads them, and layers are
/// prepared (weights packed) on first use: a timing-only run touches neither.
public struct GraphExecutor: Sendable {
    public let graph: Graph
    /// What the int32 accumulators do on overflow.
    public let overflow: OverflowMode
    /// The kernels that compute the layers (reference: the oracle).
    public let kernels: KernelSelection
    /// The constants that have tensor information (the ones ``operand(_:live:)`` serves).
    private let constantNames: Set<String>
    /// Constants widened to `Int32` for the reference kernels, on first use.
    private let constants = PreparedCache<String, IntTensor>()
    /// Conv and FC layers prepared for the fast kernels (nil: not eligible), by output tensor.
    private let prepared = PreparedCache<String, FastConvolution?>()
    private let infos: [String: TensorInfo]
    /// For each tensor, the index of the last node that reads it (graph outputs: never freed).
    private let lastUse: [String: Int]
    /// Threads each fast kernel may use within one sample.
    private var kernelThreads = 1

    /// Prepares `graph`, which must have passed `Graph.validate()`. `kernels` chooses the
    /// reference kernels (the default, the oracle) or the bit-identical fast ones.
    public init(graph: Graph, overflow: OverflowMode = .wrap, kernels: KernelSelection = .reference) {
        self.graph = graph
        self.overflow = overflow
        self.kernels = kernels
        var infos: [String: TensorInfo] = [:]
        for tensor in graph.tensors { infos[tensor.name] = tensor }
        self.infos = infos
        constantNames = Set(graph.constants.keys.filter { infos[$0] != nil })
        var lastUse: [String: Int] = [:]
        for (index, node) in graph.nodes.enumerated() {
            for input in node.inputs { lastUse[input] = index }
        }
        for output in graph.outputs { lastUse[output] = Int.max }
        self.lastUse = lastUse
    }

    /// Runs one sample. `inputs` maps each graph input to a tensor of its declared shape and type.
    /// `observe`, if given, sees every node's output as it is produced.
    public func runSample(_ inputs: [String: IntTensor], observe: ((Int, IntTensor) -> Void)? = nil) -> [String:
        IntTensor]
    {
        runSample(inputs, observe: observe, substitute: nil)
    }

    /// Runs one sample; `substitute`, when it returns a tensor for a node, replaces the reference
    /// kernel for that node (the scheduled execution computes conv and FC layers tile by tile).
    func runSample(
        _ inputs: [String: IntTensor], observe: ((Int, IntTensor) -> Void)?,
        substitute: ((Int, Node, (Int) -> IntTensor) -> IntTensor?)?
    ) -> [String: IntTensor] {
        var live = inputs
        for (index, node) in graph.nodes.enumerated() {
            let current = live
            let output =
                substitute?(index, node) { slot in self.operand(node.inputs[slot], live: current) }
                ?? execute(node, live: live)
            observe?(index, output)
            live[node.outputs[0]] = output
            for input in node.inputs where lastUse[input] == index && !constantNames.contains(input) {
                live[input] = nil
            }
        }
        var outputs: [String: IntTensor] = [:]
        for name in graph.outputs { outputs[name] = live[name] }
        return outputs
    }

    /// Runs a batch for a graph with one input: `batch` is `[N, …]` where `…` is the input's
    /// declared shape without its batch dimension. Returns each graph output as `[N, …]`.
    public func run(batch: IntTensor, threads: Int = 1) throws(ExecutionError) -> [String: IntTensor] {
        guard graph.inputs.count == 1 else {
            throw ExecutionError(
                "the model has \(graph.inputs.count) inputs; give one batch per input", isBadInput: true)
        }
        return try run(batches: [graph.inputs[0]: batch], threads: threads)
    }

    /// Runs a batch: one `[N, …]` tensor per graph input (the same N for all). Returns each graph
    /// output as `[N, …]`.
    /// `progress`, if given, is called (from any worker thread) after each layer of each sample.
    public func run(
        batches: [String: IntTensor], threads: Int = 1, progress: (@Sendable () -> Void)? = nil
    ) throws(ExecutionError) -> [String: IntTensor] {
        try run(batches: batches, threads: threads, substitute: nil, progress: progress)
    }

    func run(
        batches: [String: IntTensor], threads: Int,
        substitute: (@Sendable (Int, Node, (Int) -> IntTensor) -> IntTensor?)?,
        progress: (@Sendable () -> Void)? = nil
    ) throws(ExecutionError) -> [String: IntTensor] {
        let samples: Int
        do {
            samples = try ModelInputs.check(batches, for: graph)
        } catch {
            throw ExecutionError(error.description, isBadInput: true)
        }
        var results = [[String: IntTensor]](repeating: [:], count: samples)
        let workers = max(1, min(threads, samples))
        var withKernelThreads = self
        withKernelThreads.kernelThreads = max(1, threads / workers)  // threads the samples leave idle
        let engine = withKernelThreads
        let inputInfos = graph.inputs.compactMap { infos[$0] }
        results.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            // One worker runs on this thread: inside `concurrentPerform` libdispatch runs the
            // kernels' own nested `concurrentPerform` serially, so a single sample would get one
            // thread however many it was given.
            func work(_ worker: Int) {
                var sample = worker
                while sample < samples {
                    var inputs: [String: IntTensor] = [:]
                    for info in inputInfos {
                        guard let batch = batches[info.name] else { continue }
                        let size = info.elementCount
                        let start = sample * size
                        inputs[info.name] = IntTensor(
                            shape: info.shape, elementType: batch.elementType,
                            values: Array(batch.values[start..<start + size]))
                    }
                    let observe: ((Int, IntTensor) -> Void)? = progress.map { done in { _, _ in done() } }
                    slots[sample] = engine.runSample(inputs, observe: observe, substitute: substitute)
                    sample += workers
                }
            }
            if workers == 1 {
                work(0)
            } else {
                nonisolated(unsafe) let work = work
                DispatchQueue.concurrentPerform(iterations: workers) { work($0) }
            }
        }
        var outputs: [String: IntTensor] = [:]
        for name in graph.outputs {
            guard let info = infos[name] else { continue }
            var values: [Int32] = []
            values.reserveCapacity(samples * info.elementCount)
            for result in results { values.append(contentsOf: result[name]?.values ?? []) }
            outputs[name] = IntTensor(
                shape: [samples] + info.shape.dropFirst(), elementType: info.elementType, values: values)
        }
        return outputs
    }

    /// The tensor `name`: a constant, or a live activation (validation guarantees one of them).
    func operand(_ name: String, live: [String: IntTensor]) -> IntTensor {
        if constantNames.contains(name), let data = graph.constants[name], let info = infos[name] {
            return constants.value(for: name) {
                IntTensor(
                    shape: info.shape, elementType: data.elementType, values: data.int32Values(count: info.elementCount)
                )
            }
        }
        guard let tensor = live[name] else { preconditionFailure("validated graph: '\(name)' is not live") }
        return tensor
    }

    /// The tensor information of `name`.
    func info(_ name: String) -> TensorInfo? { infos[name] }

    /// Executes one node given the live tensors (validation guarantees its inputs are there).
    func execute(_ node: Node, live: [String: IntTensor]) -> IntTensor {
        func operand(_ slot: Int) -> IntTensor { self.operand(node.inputs[slot], live: live) }
        func zeroPoint(_ slot: Int) -> Int32 { infos[node.inputs[slot]]?.zeroPoint() ?? 0 }
        let outputInfo = infos[node.outputs[0]]
        let outputType = outputInfo?.elementType ?? .int8
        let outputZeroPoint = outputInfo?.zeroPoint() ?? 0

        if kernels == .fast, let output = executeFast(node, live: live, outputType: outputType) {
            return output
        }
        switch node.operation {
        case .conv2D(let p) where p.accumulatorType == .int64:
            return ReferenceKernels.conv2DWide(
                input: operand(0), inputZeroPoint: zeroPoint(0), weights: operand(1),
                weightZeroPoints: weightZeroPoints(node.inputs[1]), bias: wideBias(node),
                parameters: p, overflow: overflow, outputType: outputType)
        case .fullyConnected(let p) where p.accumulatorType == .int64:
            return ReferenceKernels.fullyConnectedWide(
                input: operand(0), inputZeroPoint: zeroPoint(0), weights: operand(1),
                weightZeroPoints: weightZeroPoints(node.inputs[1]), bias: wideBias(node),
                parameters: p, overflow: overflow, outputType: outputType)
        case .conv2D(let p):
            return ReferenceKernels.conv2D(
                input: operand(0), inputZeroPoint: zeroPoint(0), weights: operand(1),
                weightZeroPoints: weightZeroPoints(node.inputs[1]),
                bias: node.inputs.count > 2 ? operand(2).values : nil,
                parameters: p, overflow: overflow, outputType: outputType)
        case .fullyConnected(let p):
            return ReferenceKernels.fullyConnected(
                input: operand(0), inputZeroPoint: zeroPoint(0), weights: operand(1),
                weightZeroPoints: weightZeroPoints(node.inputs[1]),
                bias: node.inputs.count > 2 ? operand(2).values : nil,
                parameters: p, overflow: overflow, outputType: outputType)
        case .add(let p):
            return ReferenceKernels.add(
                operand(0), zeroPointA: zeroPoint(0), operand(1), zeroPointB: zeroPoint(1),
                parameters: p, overflow: overflow, outputType: outputType)
        case .concat(let p):
            return ReferenceKernels.concat(
                node.inputs.indices.map(operand), zeroPoints: node.inputs.indices.map(zeroPoint),
                parameters: p, outputType: outputType)
        case .maxPool(let p):
            return ReferenceKernels.maxPool(operand(0), parameters: p)
        case .avgPool(let p):
            return ReferenceKernels.avgPool(operand(0), zeroPoint: zeroPoint(0), parameters: p)
        case .mean(let p):
            return ReferenceKernels.mean(operand(0), zeroPoint: zeroPoint(0), parameters: p, outputType: outputType)
        case .clamp(let p):
            return ReferenceKernels.clamp(operand(0), parameters: p)
        case .leakyRelu(let p):
            return ReferenceKernels.leakyRelu(
                operand(0), inputZeroPoint: zeroPoint(0), outputZeroPoint: outputZeroPoint,
                parameters: p, outputType: outputType)
        case .lookupTable(let p):
            return ReferenceKernels.lookupTable(operand(0), parameters: p, outputType: outputType)
        case .requantize(let r):
            return ReferenceKernels.requantize(
                operand(0), zeroPoint: zeroPoint(0), requantizer: r, outputType: outputType)
        case .reshape(let p):
            var tensor = operand(0)
            tensor.shape = p.shape
            return tensor
        case .pad(let p):
            return ReferenceKernels.pad(operand(0), parameters: p)
        case .softmax(let p):
            return ReferenceKernels.softmax(operand(0), parameters: p)
        case .int16Activation(let p):
            return ReferenceKernels.int16Activation(operand(0), parameters: p)
        case .int16Softmax(let p):
            return ReferenceKernels.int16Softmax(operand(0), parameters: p)
        }
    }

    /// The bias of a conv or FC node widened to Int64 (int32 or int64 storage), nil without one.
    func wideBias(_ node: Node) -> [Int64]? {
        guard node.inputs.count > 2, let data = graph.constants[node.inputs[2]] else { return nil }
        return data.int64Values()
    }

    func weightZeroPoints(_ name: String) -> [Int32] {
        infos[name]?.quantization?.zeroPoints ?? [0]
    }

    /// `node` computed by the fast kernels, or nil where they do not apply (the reference kernel
    /// then runs): conv/FC need wrapping accumulators, constant 8-bit weights and 8-bit inputs.
    private func executeFast(_ node: Node, live: [String: IntTensor], outputType: ElementType) -> IntTensor? {
        func operand(_ slot: Int) -> IntTensor { self.operand(node.inputs[slot], live: live) }
        func zeroPoint(_ slot: Int) -> Int32 { infos[node.inputs[slot]]?.zeroPoint() ?? 0 }
        switch node.operation {
        case .conv2D(let p) where p.accumulatorType != .int32:
            return nil
        case .fullyConnected(let p) where p.accumulatorType != .int32:
            return nil
        case .conv2D, .fullyConnected:
            guard overflow == .wrap else { return nil }
            let input = operand(0)
            guard FastConvolution.supports(inputType: input.elementType, inputZeroPoint: zeroPoint(0)),
                let layer = prepared.value(for: node.outputs[0], make: { prepareFast(node) })
            else { return nil }
            return layer.run(input: input, inputZeroPoint: zeroPoint(0), outputType: outputType, threads: kernelThreads)
        case .add(let p):
            return FastKernels.add(
                operand(0), zeroPointA: zeroPoint(0), operand(1), zeroPointB: zeroPoint(1), parameters: p,
                output: FastRequantizer(p.output), overflow: overflow, outputType: outputType, threads: kernelThreads)
        case .maxPool(let p):
            return FastKernels.maxPool(operand(0), parameters: p, threads: kernelThreads)
        case .mean(let p):
            return FastKernels.mean(
                operand(0), zeroPoint: zeroPoint(0), parameters: p, requantizer: FastRequantizer(p.requantizer),
                outputType: outputType)
        case .requantize(let r):
            return FastKernels.requantize(
                operand(0), zeroPoint: zeroPoint(0), requantizer: FastRequantizer(r), outputType: outputType,
                threads: kernelThreads)
        default:
            return nil
        }
    }

    /// A conv or FC layer prepared for the fast kernels straight from its stored weight bytes
    /// (never widened to `Int32`); nil when the weights are not a constant of an 8-bit type.
    private func prepareFast(_ node: Node) -> FastConvolution? {
        let weightsName = node.inputs[1]
        guard let data = graph.constants[weightsName], let info = infos[weightsName] else { return nil }
        var bias: [Int32]?
        if node.inputs.count > 2 {
            guard let biasData = graph.constants[node.inputs[2]] else { return nil }
            bias = biasData.int32Values()
        }
        let zeroPoints = weightZeroPoints(weightsName)
        return data.bytes.withUnsafeBytes { raw -> FastConvolution? in
            switch node.operation {
            case .conv2D(let p):
                FastConvolution(
                    conv2DWeights: raw, weightType: data.elementType, shape: info.shape, weightZeroPoints: zeroPoints,
                    bias: bias, parameters: p)
            case .fullyConnected(let p):
                FastConvolution(
                    fullyConnectedWeights: raw, weightType: data.elementType, shape: info.shape,
                    weightZeroPoints: zeroPoints, bias: bias, parameters: p)
            default:
                nil
            }
        }
    }
}
