import AccsimArithmetic

/// Builds quantized graphs layer by layer with seeded random int8 weights: the synthetic models
/// of benchmarks and SCALE-Sim topologies, whose timing matters and whose data only needs to be
/// deterministic and in range.
///
/// Activations are int8 with zero point 0 and scale 1. Each conv and fully connected layer gets
/// weights uniform in [−127, 127], a zero bias and a per-tensor `half_up` requantizer that divides
/// by the next power of two above `√K · 73` (the typical magnitude of K products of such weights
/// with unit-variance inputs), so outputs stay spread over the int8 range; ReLU is the clamp
/// `[0, 127]`.
public struct GraphBuilder: Sendable {
    private var graph: Graph
    private var generator: SeededGenerator
    private var shapes: [String: [Int]] = [:]
    private static let quantization = Quantization(scale: 1, zeroPoint: 0)

    public init(name: String, seed: UInt64, metadata: [String: String] = [:]) {
        graph = Graph(name: name, tensors: [], constants: [:], nodes: [], inputs: [], outputs: [], metadata: metadata)
        generator = SeededGenerator(seed: seed)
    }

    /// The shape of tensor `name` as built so far.
    public func shape(of name: String) -> [Int] { shapes[name] ?? [] }

    /// Declares a graph input.
    @discardableResult
    public mutating func input(_ name: String, shape: [Int]) -> String {
        declare(name, shape: shape)
        graph.inputs.append(name)
        return name
    }

    /// A 2-D convolution with `filters` output channels; `groups == Cin` makes it depthwise.
    public mutating func conv(
        _ x: String, name: String, filters: Int, kernel: Size2D, stride: Size2D = Size2D(1), padding: Padding2D = .zero,
        groups: Int = 1, relu: Bool = true, bias: Bool = true
    ) -> String {
        let input = shape(of: x)
        let channels = input[3]
        let outHeight = slidingWindowOutputExtent(input: input[1], padBefore: padding.top, padAfter: padding.bottom, kernel: kernel.height, stride: stride.height, dilation: 1) ?? 1
        let outWidth = slidingWindowOutputExtent(input: input[2], padBefore: padding.left, padAfter: padding.right, kernel: kernel.width, stride: stride.width, dilation: 1) ?? 1
        let weightShape = [filters, kernel.height, kernel.width, channels / groups]
        let reduction = kernel.height * kernel.width * channels / groups
        let weights = constant(name + ".weights", shape: weightShape, type: .int8, values: randomWeights(weightShape.reduce(1, *)))
        var inputs = [x, weights]
        if bias { inputs.append(constant(name + ".bias", shape: [filters], type: .int32, values: [Int32](repeating: 0, count: filters))) }
        let output = declare(name + ".out", shape: [input[0], outHeight, outWidth, filters])
        let parameters = Conv2DParameters(stride: stride, padding: padding, groups: groups, requantizer: Self.requantizer(reduction: reduction, relu: relu))
        graph.nodes.append(Node(name: name, operation: .conv2D(parameters), inputs: inputs, outputs: [output]))
        return output
    }

    /// A fully connected layer over a `[N, D]` input.
    public mutating func fullyConnected(_ x: String, name: String, outputs: Int, relu: Bool = false) -> String {
        let input = shape(of: x)
        let weights = constant(name + ".weights", shape: [outputs, input[1]], type: .int8, values: randomWeights(outputs * input[1]))
        let bias = constant(name + ".bias", shape: [outputs], type: .int32, values: [Int32](repeating: 0, count: outputs))
        let output = declare(name + ".out", shape: [input[0], outputs])
        let parameters = FullyConnectedParameters(requantizer: Self.requantizer(reduction: input[1], relu: relu))
        graph.nodes.append(Node(name: name, operation: .fullyConnected(parameters), inputs: [x, weights, bias], outputs: [output]))
        return output
    }

    /// Max pooling.
    public mutating func maxPool(_ x: String, name: String, window: Size2D, stride: Size2D, padding: Padding2D = .zero) -> String {
        let input = shape(of: x)
        let outHeight = slidingWindowOutputExtent(input: input[1], padBefore: padding.top, padAfter: padding.bottom, kernel: window.height, stride: stride.height, dilation: 1) ?? 1
        let outWidth = slidingWindowOutputExtent(input: input[2], padBefore: padding.left, padAfter: padding.right, kernel: window.width, stride: stride.width, dilation: 1) ?? 1
        let output = declare(name + ".out", shape: [input[0], outHeight, outWidth, input[3]])
        graph.nodes.append(Node(name: name, operation: .maxPool(MaxPoolParameters(window: window, stride: stride, padding: padding)), inputs: [x], outputs: [output]))
        return output
    }

    /// Elementwise add in the Aidge scheme: int32 sum, then a `half_up` halving (with ReLU).
    public mutating func add(_ a: String, _ b: String, name: String, relu: Bool = true) -> String {
        let output = declare(name + ".out", shape: shape(of: a))
        let requantizer = Requantizer(multiplier: 1, shift: 1, rounding: .halfUp, zeroPoint: 0, clampMin: relu ? 0 : -128, clampMax: 127)
        let parameters = AddParameters(inputs: [AddInputScaling(leftShift: 0, rescale: nil), AddInputScaling(leftShift: 0, rescale: nil)], output: requantizer)
        graph.nodes.append(Node(name: name, operation: .add(parameters), inputs: [a, b], outputs: [output]))
        return output
    }

    /// Global average pooling to `[N, C]`: the sum over H·W positions divided by the next power of two.
    public mutating func globalAveragePool(_ x: String, name: String) -> String {
        let input = shape(of: x)
        var shift: Int32 = 0
        while (1 << shift) < input[1] * input[2] { shift += 1 }
        let output = declare(name + ".out", shape: [input[0], input[3]])
        let requantizer = Requantizer(multiplier: 1, shift: shift, rounding: .halfUp)
        graph.nodes.append(Node(name: name, operation: .mean(MeanParameters(requantizer: requantizer, keepDims: false)), inputs: [x], outputs: [output]))
        return output
    }

    /// The finished graph with `outputs` as its outputs (validated by the caller).
    public func build(outputs: [String]) -> Graph {
        var result = graph
        result.outputs = outputs
        return result
    }

    // MARK: Helpers

    @discardableResult
    private mutating func declare(_ name: String, shape: [Int], type: ElementType = .int8) -> String {
        graph.tensors.append(TensorInfo(name: name, shape: shape, elementType: type, quantization: type == .int32 ? nil : Self.quantization))
        shapes[name] = shape
        return name
    }

    private mutating func constant(_ name: String, shape: [Int], type: ElementType, values: [Int32]) -> String {
        declare(name, shape: shape, type: type)
        graph.constants[name] = ConstantData(elementType: type, values: values)
        return name
    }

    private mutating func randomWeights(_ count: Int) -> [Int32] {
        var values = [Int32](repeating: 0, count: count)
        for index in values.indices { values[index] = generator.nextInt32(in: -127...127) }
        return values
    }

    /// Divides by the next power of two above √K·73 (see the type's documentation).
    static func requantizer(reduction: Int, relu: Bool) -> Requantizer {
        var shift: Int32 = 0
        let target = Double(reduction).squareRoot() * 73
        while Double(Int64(1) << shift) < target { shift += 1 }
        return Requantizer(multiplier: 1, shift: shift, rounding: .halfUp, zeroPoint: 0, clampMin: relu ? 0 : -128, clampMax: 127)
    }
}
