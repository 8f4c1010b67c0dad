import AccsimArithmetic
import AccsimModel
import Dispatch

/// Runs a validated graph with the reference kernels, one sample at a time: the oracle that every
/// scheduled or fast execution must match bit for bit.
///
/// Samples are independent, so a batch is spread over `threads` workers; each sample's result
/// lands in its own slot and the batch is assembled in sample order, so the outputs are identical
/// whatever the thread count.
public struct ReferenceEngine: Sendable {
    public let graph: Graph
    /// What the int32 accumulators do on overflow.
    public let overflow: OverflowMode
    private let constants: [String: IntTensor]
    private let infos: [String: TensorInfo]
    /// For each tensor, the index of the last node that reads it (graph outputs: never freed).
    private let lastUse: [String: Int]

    /// Prepares `graph`, which must have passed `Graph.validate()`.
    public init(graph: Graph, overflow: OverflowMode = .wrap) {
        self.graph = graph
        self.overflow = overflow
        var infos: [String: TensorInfo] = [:]
        for tensor in graph.tensors { infos[tensor.name] = tensor }
        self.infos = infos
        var constants: [String: IntTensor] = [:]
        for (name, data) in graph.constants {
            guard let info = infos[name] else { continue }
            constants[name] = IntTensor(shape: info.shape, elementType: data.elementType, values: data.int32Values())
        }
        self.constants = constants
        var lastUse: [String: Int] = [:]
        for (index, node) in graph.nodes.enumerated() {
            for input in node.inputs { lastUse[input] = index }
        }
        for output in graph.outputs { lastUse[output] = Int.max }
        self.lastUse = lastUse
    }

    /// Runs one sample. `inputs` maps each graph input to a tensor of its declared shape and type.
    /// `observe`, if given, sees every node's output as it is produced.
    public func runSample(_ inputs: [String: IntTensor], observe: ((Int, IntTensor) -> Void)? = nil) -> [String: IntTensor] {
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
            let output = substitute?(index, node) { slot in self.operand(node.inputs[slot], live: current) }
                ?? execute(node, live: live)
            observe?(index, output)
            live[node.outputs[0]] = output
            for input in node.inputs where lastUse[input] == index && constants[input] == nil {
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
            throw ExecutionError("the model has \(graph.inputs.count) inputs; give one batch per input", isBadInput: true)
        }
        return try run(batches: [graph.inputs[0]: batch], threads: threads)
    }

    /// Runs a batch: one `[N, …]` tensor per graph input (the same N for all). Returns each graph
    /// output as `[N, …]`.
    public func run(batches: [String: IntTensor], threads: Int = 1) throws(ExecutionError) -> [String: IntTensor] {
        try run(batches: batches, threads: threads, substitute: nil)
    }

    func run(
        batches: [String: IntTensor], threads: Int, substitute: (@Sendable (Int, Node, (Int) -> IntTensor) -> IntTensor?)?
    ) throws(ExecutionError) -> [String: IntTensor] {
        var sampleCount: Int?
        for name in graph.inputs {
            guard let info = infos[name] else { continue }
            guard let batch = batches[name] else {
                throw ExecutionError("no input batch for model input '\(name)'", isBadInput: true)
            }
            let sampleShape = Array(info.shape.dropFirst())
            guard batch.shape.count == info.shape.count, Array(batch.shape.dropFirst()) == sampleShape else {
                throw ExecutionError("input batch has shape \(batch.shape) but the model input '\(name)' expects [N] + \(sampleShape)", isBadInput: true)
            }
            guard batch.elementType == info.elementType else {
                throw ExecutionError("input batch is \(batch.elementType.rawValue) but the model input '\(name)' is \(info.elementType.rawValue)", isBadInput: true)
            }
            if let count = sampleCount, count != batch.shape[0] {
                throw ExecutionError("input batches differ in size (\(count) and \(batch.shape[0]) for '\(name)')", isBadInput: true)
            }
            sampleCount = batch.shape[0]
        }
        let samples = sampleCount ?? 0
        var results = [[String: IntTensor]](repeating: [:], count: samples)
        let engine = self
        let inputInfos = graph.inputs.compactMap { infos[$0] }
        results.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            let workers = max(1, min(threads, samples))
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var sample = worker
                while sample < samples {
                    var inputs: [String: IntTensor] = [:]
                    for info in inputInfos {
                        guard let batch = batches[info.name] else { continue }
                        let size = info.elementCount
                        let start = sample * size
                        inputs[info.name] = IntTensor(shape: info.shape, elementType: batch.elementType, values: Array(batch.values[start..<start + size]))
                    }
                    slots[sample] = engine.runSample(inputs, observe: nil, substitute: substitute)
                    sample += workers
                }
            }
        }
        var outputs: [String: IntTensor] = [:]
        for name in graph.outputs {
            guard let info = infos[name] else { continue }
            var values: [Int32] = []
            values.reserveCapacity(samples * info.elementCount)
            for result in results { values.append(contentsOf: result[name]?.values ?? []) }
            outputs[name] = IntTensor(shape: [samples] + info.shape.dropFirst(), elementType: info.elementType, values: values)
        }
        return outputs
    }

    /// Executes one node given the live tensors (validation guarantees its inputs are there).
    /// The tensor `name`: a constant, or a live activation (validation guarantees one of them).
    func operand(_ name: String, live: [String: IntTensor]) -> IntTensor {
        if let constant = constants[name] { return constant }
        guard let tensor = live[name] else { preconditionFailure("validated graph: '\(name)' is not live") }
        return tensor
    }

    /// The tensor information of `name`.
    func info(_ name: String) -> TensorInfo? { infos[name] }

    func execute(_ node: Node, live: [String: IntTensor]) -> IntTensor {
        func operand(_ slot: Int) -> IntTensor { self.operand(node.inputs[slot], live: live) }
        func zeroPoint(_ slot: Int) -> Int32 { infos[node.inputs[slot]]?.zeroPoint() ?? 0 }
        let outputInfo = infos[node.outputs[0]]
        let outputType = outputInfo?.elementType ?? .int8
        let outputZeroPoint = outputInfo?.zeroPoint() ?? 0

        switch node.operation {
        case .conv2D(let p):
            return ReferenceKernels.conv2D(
                input: operand(0), inputZeroPoint: zeroPoint(0), weights: operand(1),
                weightZeroPoints: weightZeroPoints(node.inputs[1]), bias: node.inputs.count > 2 ? operand(2).values : nil,
                parameters: p, overflow: overflow, outputType: outputType)
        case .fullyConnected(let p):
            return ReferenceKernels.fullyConnected(
                input: operand(0), inputZeroPoint: zeroPoint(0), weights: operand(1),
                weightZeroPoints: weightZeroPoints(node.inputs[1]), bias: node.inputs.count > 2 ? operand(2).values : nil,
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
            return ReferenceKernels.requantize(operand(0), zeroPoint: zeroPoint(0), requantizer: r, outputType: outputType)
        case .reshape(let p):
            var tensor = operand(0)
            tensor.shape = p.shape
            return tensor
        case .pad(let p):
            return ReferenceKernels.pad(operand(0), parameters: p)
        case .softmax(let p):
            return ReferenceKernels.softmax(operand(0), parameters: p)
        }
    }

    func weightZeroPoints(_ name: String) -> [Int32] {
        infos[name]?.quantization?.zeroPoints ?? [0]
    }
}
