import AccsimArithmetic

/// Builds quantized graphs layer by layer with seeded random int8 weights: the synthetic models
/// of benchmarks and SCALE-Sim topologies, whose timing matters and whose data only needs to be
/// deterministic and in range.
///
/// Activations are int8 with zero point 0 and scale 1. Each conv and fully connected layer gets
/// weights uniform in [−127, 127], a zero bias and a per-tensor single-shift `half_up`
/// requantizer (M = 1, so it runs on shift-only hardware too); ReLU is the clamp `[0, 127]`.
///
/// The shifts keep the data alive through any depth: the builder tracks an estimate of each
/// activation's root mean square (inputs: 74, that of uniform int8), and a layer of reduction K
/// divides by the power of two nearest to `rms_in · 73 · √K / 48` (73: the RMS of the weights), so
/// every pre-activation has an RMS near 48 — spread over the int8 range, rarely clipped. Adds
/// scale their int32 sum the same way; ReLU halves the mean square.
public struct GraphBuilder: Sendable {
    private var graph: Graph
    private var generator: SeededGenerator
    private var shapes: [String: [Int]] = [:]
    /// The estimated root mean square of each activation (see the type's documentation).
    private var rms: [String: Double] = [:]
    /// The RMS of uniform int8 inputs and of the weights, and the pre-activation RMS aimed at.
    private static let inputRMS = 74.0, weightRMS = 73.0, targetRMS = 48.0
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
        rms[name] = Self.inputRMS
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
        let outHeight =
            slidingWindowOutputExtent(
                input: input[1], padBefore: padding.top, padAfter: padding.bottom, kernel: kernel.height,
                stride: stride.height, dilation: 1) ?? 1
        let outWidth =
            slidingWindowOutputExtent(
                input: input[2], padBefore: padding.left, padAfter: padding.right, kernel: kernel.width,
                stride: stride.width, dilation: 1) ?? 1
        let weightShape = [filters, kernel.height, kernel.width, channels / groups]
        let reduction = kernel.height * kernel.width * channels / groups
        let weights = constant(name + ".weights", shape: weightShape, randomInt8: weightShape.reduce(1, *))
        var inputs = [x, weights]
        if bias {
            inputs.append(
                constant(name + ".bias", shape: [filters], type: .int32, values: [Int32](repeating: 0, count: filters)))
        }
        let output = declare(name + ".out", shape: [input[0], outHeight, outWidth, filters])
        let parameters = Conv2DParameters(
            stride: stride, padding: padding, groups: groups,
            requantizer: scaledRequantizer(x, output, reduction: reduction, relu: relu))
        graph.nodes.append(Node(name: name, operation: .conv2D(parameters), inputs: inputs, outputs: [output]))
        return output
    }

    /// A fully connected layer over a `[N, D]` input.
    public mutating func fullyConnected(_ x: String, name: String, outputs: Int, relu: Bool = false) -> String {
        let input = shape(of: x)
        let weights = constant(name + ".weights", shape: [outputs, input[1]], randomInt8: outputs * input[1])
        let bias = constant(
            name + ".bias", shape: [outputs], type: .int32, values: [Int32](repeating: 0, count: outputs))
        let output = declare(name + ".out", shape: [input[0], outputs])
        let parameters = FullyConnectedParameters(
            requantizer: scaledRequantizer(x, output, reduction: input[1], relu: relu))
        graph.nodes.append(
            Node(name: name, operation: .fullyConnected(parameters), inputs: [x, weights, bias], outputs: [output]))
        return output
    }

    /// Max pooling.
    public mutating func maxPool(_ x: String, name: String, window: Size2D, stride: Size2D, padding: Padding2D = .zero)
        -> String
    {
        let input = shape(of: x)
        let outHeight =
            slidingWindowOutputExtent(
                input: input[1], padBefore: padding.top, padAfter: padding.bottom, kernel: window.height,
                stride: stride.height, dilation: 1) ?? 1
        let outWidth =
            slidingWindowOutputExtent(
                input: input[2], padBefore: padding.left, padAfter: padding.right, kernel: window.width,
                stride: stride.width, dilation: 1) ?? 1
        let output = declare(name + ".out", shape: [input[0], outHeight, outWidth, input[3]])
        rms[output] = rms[x] ?? Self.inputRMS
        graph.nodes.append(
            Node(
                name: name, operation: .maxPool(MaxPoolParameters(window: window, stride: stride, padding: padding)),
                inputs: [x], outputs: [output]))
        return output
    }

    /// Elementwise add in the Aidge scheme: int32 sum, then a `half_up` shift (with ReLU).
    public mutating func add(_ a: String, _ b: String, name: String, relu: Bool = true) -> String {
        let output = declare(name + ".out", shape: shape(of: a))
        let sumRMS =
            ((rms[a] ?? Self.inputRMS) * (rms[a] ?? Self.inputRMS) + (rms[b] ?? Self.inputRMS)
                * (rms[b] ?? Self.inputRMS))
            .squareRoot()
        let shift = Self.shift(dividing: sumRMS)
        rms[output] = Self.activated(sumRMS / Double(Int64(1) << shift), relu: relu)
        let requantizer = Requantizer(
            multiplier: 1, shift: shift, rounding: .halfUp, zeroPoint: 0, clampMin: relu ? 0 : -128, clampMax: 127)
        let parameters = AddParameters(
            inputs: [AddInputScaling(leftShift: 0, rescale: nil), AddInputScaling(leftShift: 0, rescale: nil)],
            output: requantizer)
        graph.nodes.append(Node(name: name, operation: .add(parameters), inputs: [a, b], outputs: [output]))
        return output
    }

    /// Global average pooling to `[N, C]`: the sum over H·W positions divided by the next power of two.
    public mutating func globalAveragePool(_ x: String, name: String) -> String {
        let input = shape(of: x)
        var shift: Int32 = 0
        while (1 << shift) < input[1] * input[2] { shift += 1 }
        let output = declare(name + ".out", shape: [input[0], input[3]])
        // The mean of a ReLU output is about 0.8 of its RMS.
        rms[output] = 0.8 * (rms[x] ?? Self.inputRMS) * Double(input[1] * input[2]) / Double(Int64(1) << shift)
        let requantizer = Requantizer(multiplier: 1, shift: shift, rounding: .halfUp)
        graph.nodes.append(
            Node(
                name: name, operation: .mean(MeanParameters(requantizer: requantizer, keepDims: false)), inputs: [x],
                outputs: [output]))
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
        graph.tensors.append(
            TensorInfo(
                name: name, shape: shape, elementType: type, quantization: type == .int32 ? nil : Self.quantization))
        shapes[name] = shape
        return name
    }

    private mutating func constant(_ name: String, shape: [Int], type: ElementType, values: [Int32]) -> String {
        declare(name, shape: shape, type: type)
        graph.constants[name] = ConstantData(elementType: type, values: values)
        return name
    }

    /// An int8 constant of `count` seeded random weights in -127 ... 127, generated straight into
    /// its bytes (one byte a weight: a SCALE-Sim topology may ask for 2^28 of them).
    private mutating func constant(_ name: String, shape: [Int], randomInt8 count: Int) -> String {
        declare(name, shape: shape, type: .int8)
        var bytes = [UInt8](repeating: 0, count: count)
        for index in bytes.indices { bytes[index] = UInt8(truncatingIfNeeded: generator.nextInt32(in: -127...127)) }
        graph.constants[name] = ConstantData(elementType: .int8, bytes: bytes)
        return name
    }

    /// The requantizer of a layer from `input` to `output` with reduction K: divides by the power
    /// of two nearest to `rms_in · 73 · √K / 48` (see the type's documentation); records the
    /// output's RMS.
    private mutating func scaledRequantizer(_ input: String, _ output: String, reduction: Int, relu: Bool)
        -> Requantizer
    {
        let accumulatorRMS = (rms[input] ?? Self.inputRMS) * Self.weightRMS * Double(reduction).squareRoot()
        let shift = Self.shift(dividing: accumulatorRMS)
        rms[output] = Self.activated(accumulatorRMS / Double(Int64(1) << shift), relu: relu)
        return Requantizer(
            multiplier: 1, shift: shift, rounding: .halfUp, zeroPoint: 0, clampMin: relu ? 0 : -128, clampMax: 127)
    }

    /// The shift (0 ... 62) whose power of two is nearest to `value / 48`.
    private static func shift(dividing value: Double) -> Int32 {
        // The largest s with 2^s ≤ ratio, then s + 1 when ratio lies above 2^s·√2 (nearer 2^(s+1)).
        let ratio = value / targetRMS
        var shift: Int32 = 0
        while shift < 62 && Double(Int64(1) << (shift + 1)) <= ratio { shift += 1 }
        if shift < 62 && ratio > Double(Int64(1) << shift) * 2.squareRoot() { shift += 1 }
        return shift
    }

    /// The RMS after the activation: ReLU keeps half the mean square of a symmetric
    /// distribution; the int8 clamp bounds it.
    private static func activated(_ preActivation: Double, relu: Bool) -> Double {
        min(relu ? preActivation / 2.squareRoot() : preActivation, 127)
    }
}
