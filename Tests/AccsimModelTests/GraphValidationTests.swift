import AccsimArithmetic
import Testing

@testable import AccsimModel

/// A small valid graph: input [1,4,4,2] → conv 3x3 (pad 1, 3 out channels) → reshape [1,48] → FC 5.
private func smallGraph() -> Graph {
    let requant = Requantizer(
        multiplier: 1 << 30, shift: 36, rounding: .tflite, zeroPoint: -5, clampMin: -5, clampMax: 127)
    let fcRequant = Requantizer(multiplier: 3, shift: 4, rounding: .halfUp, zeroPoint: 0)
    return Graph(
        name: "small",
        tensors: [
            TensorInfo(
                name: "x", shape: [1, 4, 4, 2], elementType: .int8, quantization: Quantization(scale: 0.5, zeroPoint: 3)
            ),
            TensorInfo(
                name: "w", shape: [3, 3, 3, 2], elementType: .int8,
                quantization: Quantization(scales: [0.1, 0.2, 0.3], zeroPoints: [0, 0, 0], axis: 0)),
            TensorInfo(name: "b", shape: [3], elementType: .int32),
            TensorInfo(
                name: "c", shape: [1, 4, 4, 3], elementType: .int8,
                quantization: Quantization(scale: 0.25, zeroPoint: -5)),
            TensorInfo(
                name: "flat", shape: [1, 48], elementType: .int8, quantization: Quantization(scale: 0.25, zeroPoint: -5)
            ),
            TensorInfo(name: "fw", shape: [5, 48], elementType: .int8),
            TensorInfo(
                name: "y", shape: [1, 5], elementType: .int8, quantization: Quantization(scale: 1, zeroPoint: 0)),
        ],
        constants: [
            "w": ConstantData(elementType: .int8, values: (0..<54).map { Int32($0 % 7) - 3 }),
            "b": ConstantData(elementType: .int32, values: [100, -200, 300]),
            "fw": ConstantData(elementType: .int8, values: (0..<240).map { Int32($0 % 5) - 2 }),
        ],
        nodes: [
            Node(
                name: "conv",
                operation: .conv2D(
                    Conv2DParameters(padding: Padding2D(top: 1, bottom: 1, left: 1, right: 1), requantizer: requant)),
                inputs: ["x", "w", "b"], outputs: ["c"]),
            Node(
                name: "flatten", operation: .reshape(ReshapeParameters(shape: [1, 48])), inputs: ["c"],
                outputs: ["flat"]),
            Node(
                name: "fc", operation: .fullyConnected(FullyConnectedParameters(requantizer: fcRequant)),
                inputs: ["flat", "fw"], outputs: ["y"]),
        ],
        inputs: ["x"], outputs: ["y"])
}

@Suite struct GraphValidationTests {
    @Test func smallGraphIsValid() throws {
        try smallGraph().validate()
    }

    @Test func wrongDeclaredOutputShapeNamesNodeAndShapes() {
        var graph = smallGraph()
        graph.tensors[3].shape = [1, 2, 2, 3]
        graph.tensors[4].shape = [1, 12]
        graph.nodes[1].operation = .reshape(ReshapeParameters(shape: [1, 12]))
        graph.tensors[5].shape = [5, 12]
        graph.constants["fw"] = ConstantData(elementType: .int8, values: [Int32](repeating: 1, count: 60))
        expectInvalid(
            graph, node: "conv", field: "outputs[0]", "declared [1, 2, 2, 3] but conv2d produces [1, 4, 4, 3]")
    }

    @Test func strideAndDilationShapeInference() throws {
        var graph = smallGraph()
        // 4x4 input, pad 1 → 6x6; dilation 2 makes the 3x3 kernel span 5; stride 2 → (6−5)/2+1 = 1.
        graph.nodes[0].operation = .conv2D(
            Conv2DParameters(
                stride: Size2D(2), dilation: Size2D(2), padding: Padding2D(top: 1, bottom: 1, left: 1, right: 1),
                requantizer: Requantizer(
                    multiplier: 1 << 30, shift: 36, rounding: .tflite, zeroPoint: -5, clampMin: -5, clampMax: 127)))
        graph.tensors[3].shape = [1, 1, 1, 3]
        graph.tensors[4].shape = [1, 3]
        graph.nodes[1].operation = .reshape(ReshapeParameters(shape: [1, 3]))
        graph.tensors[5].shape = [5, 3]
        graph.constants["fw"] = ConstantData(elementType: .int8, values: [Int32](repeating: 1, count: 15))
        try graph.validate()
    }

    @Test func groupsMustDivideChannels() {
        var graph = smallGraph()
        if case .conv2D(var p) = graph.nodes[0].operation {
            p.groups = 3
            graph.nodes[0].operation = .conv2D(p)
        }
        expectInvalid(graph, node: "conv", field: "attributes.groups", "3 groups do not divide 2 input channels")
    }

    @Test func depthwiseWeightsNeedOneChannelPerGroup() {
        var graph = smallGraph()
        if case .conv2D(var p) = graph.nodes[0].operation {
            p.groups = 2
            graph.nodes[0].operation = .conv2D(p)
        }
        // groups 2 over 2 input channels: weights need 1 input channel, they have 2. (3 outputs also do not divide.)
        expectInvalid(graph, node: "conv", field: "attributes.groups", "2 groups do not divide 3 output channels")
    }

    @Test func requantizerShiftOutOfRange() {
        var graph = smallGraph()
        graph.nodes[2].operation = .fullyConnected(
            FullyConnectedParameters(
                requantizer: Requantizer(multiplier: 3, shift: 63, rounding: .halfUp)))
        expectInvalid(graph, node: "fc", field: "attributes.requantizer.shifts[0]", "shift 63 is outside 0...62")
    }

    @Test func requantizerChannelCountMustMatch() {
        var graph = smallGraph()
        graph.nodes[2].operation = .fullyConnected(
            FullyConnectedParameters(
                requantizer: Requantizer(multipliers: [1, 2], shifts: [0, 0], rounding: .halfUp)))
        expectInvalid(graph, node: "fc", field: "attributes.requantizer.multipliers", "has 2 entries; expected 1 or 5")
    }

    @Test func requantizerZeroPointMustMatchOutputTensor() {
        var graph = smallGraph()
        graph.nodes[2].operation = .fullyConnected(
            FullyConnectedParameters(
                requantizer: Requantizer(multiplier: 3, shift: 4, rounding: .halfUp, zeroPoint: 7)))
        expectInvalid(
            graph, node: "fc", field: "attributes.requantizer.zero_point", "is 7 but output tensor 'y' has zero point 0"
        )
    }

    @Test func negativeQ31MultiplierIsRejected() {
        var graph = smallGraph()
        graph.nodes[2].operation = .fullyConnected(
            FullyConnectedParameters(
                requantizer: Requantizer(multiplier: -3, shift: 40, rounding: .tflite)))
        expectInvalid(graph, node: "fc", field: "attributes.requantizer.multipliers[0]", "is negative")
    }

    @Test func clampOutsideOutputType() {
        var graph = smallGraph()
        graph.nodes[2].operation = .fullyConnected(
            FullyConnectedParameters(
                requantizer: Requantizer(multiplier: 3, shift: 4, rounding: .halfUp, clampMin: -128, clampMax: 200)))
        expectInvalid(graph, node: "fc", field: "attributes.requantizer.clamp", "exceeds the int8 range")
    }

    @Test func tensorProducedTwice() {
        var graph = smallGraph()
        graph.nodes[1].outputs = ["c"]
        expectInvalid(graph, node: "flatten", field: "outputs[0]", "tensor 'c' is already produced by node 'conv'")
    }

    @Test func cycleIsReportedWithItsNodes() {
        var graph = smallGraph()
        // conv reads flat (made by flatten), flatten reads c (made by conv): a cycle.
        graph.nodes[0].inputs = ["flat", "w", "b"]
        expectInvalid(graph, node: "conv", field: "inputs[0]", "the graph has a cycle: conv -> flatten -> conv")
    }

    @Test func outOfOrderNodesAreReported() {
        var graph = smallGraph()
        graph.nodes.swapAt(1, 2)
        expectInvalid(graph, node: "fc", field: "inputs[0]", "produced by node 'flatten', which comes later")
    }

    @Test func undeclaredInput() {
        var graph = smallGraph()
        graph.nodes[2].inputs = ["flat", "nope"]
        expectInvalid(graph, node: "fc", field: "inputs[1]", "tensor 'nope' is not declared")
    }

    @Test func weightsMustBeConstant() {
        var graph = smallGraph()
        // Weights fed as a graph input rather than stored in the model.
        graph.constants["fw"] = nil
        graph.inputs.append("fw")
        expectInvalid(graph, node: "fc", field: "inputs[1]", "weights 'fw' must be a constant")
    }

    @Test func constantSizeMustMatchTensor() {
        var graph = smallGraph()
        graph.constants["b"] = ConstantData(elementType: .int32, values: [1, 2])
        expectInvalid(graph, node: nil, field: "constants.b", "holds 8 bytes but tensor 'b' of shape [3] needs 12")
    }

    @Test func biasMustBeInt32() {
        var graph = smallGraph()
        graph.tensors[2].elementType = .int8
        graph.constants["b"] = ConstantData(elementType: .int8, values: [1, 2, 3])
        expectInvalid(graph, node: "conv", field: "inputs[2]", "bias 'b' is int8; biases are int32")
    }

    @Test func zeroPointOutsideType() {
        var graph = smallGraph()
        graph.tensors[0].quantization = Quantization(scale: 0.5, zeroPoint: 300)
        expectInvalid(
            graph, node: nil, field: "tensors[0].quantization.zero_points[0]", "zero point 300, outside the int8 range")
    }

    @Test func perChannelScaleCountMustMatchAxis() {
        var graph = smallGraph()
        graph.tensors[1].quantization = Quantization(scales: [0.1, 0.2], zeroPoints: [0, 0], axis: 0)
        expectInvalid(graph, node: nil, field: "tensors[1].quantization.scales", "has 2 scales but extent 3 on axis 0")
    }

    @Test func reshapeMustKeepElementCount() {
        var graph = smallGraph()
        graph.nodes[1].operation = .reshape(ReshapeParameters(shape: [1, 47]))
        expectInvalid(
            graph, node: "flatten", field: "attributes.shape",
            "[1, 47] holds 47 elements but the input [1, 4, 4, 3] holds 48")
    }

    @Test func poolPaddingMustBeSmallerThanWindow() {
        var graph = smallGraph()
        graph.nodes.insert(
            Node(
                name: "pool",
                operation: .maxPool(
                    MaxPoolParameters(
                        window: Size2D(2), stride: Size2D(1), padding: Padding2D(top: 2, bottom: 0, left: 0, right: 0))),
                inputs: ["c"], outputs: ["p"]), at: 1)
        graph.tensors.append(TensorInfo(name: "p", shape: [1, 5, 3, 3], elementType: .int8))
        expectInvalid(graph, node: "pool", field: "attributes.padding", "smaller than the window")
    }

    @Test func lookupTableNeeds256Entries() {
        var graph = smallGraph()
        graph.nodes.append(
            Node(
                name: "lut", operation: .lookupTable(LookupTableParameters(table: [Int32](repeating: 0, count: 255))),
                inputs: ["y"], outputs: ["z"]))
        graph.tensors.append(TensorInfo(name: "z", shape: [1, 5], elementType: .int8))
        graph.outputs = ["z"]
        expectInvalid(graph, node: "lut", field: "attributes.table", "has 255 entries; a lookup table has 256")
    }

    @Test func graphOutputMustBeProduced() {
        var graph = smallGraph()
        graph.outputs = ["ghost"]
        graph.tensors.append(TensorInfo(name: "ghost", shape: [1], elementType: .int8))
        expectInvalid(graph, node: nil, field: "outputs[0]", "graph output 'ghost' is never produced")
    }
}

@Suite struct GraphStatisticsTests {
    @Test func macsAndParameterBytes() {
        let graph = smallGraph()
        // conv: 4·4 outputs × 3 channels × (3·3·2) taps = 864; fc: 5 × 48 = 240.
        #expect(graph.macs(of: graph.nodes[0]) == 864)
        #expect(graph.macs(of: graph.nodes[1]) == 0)
        #expect(graph.macs(of: graph.nodes[2]) == 240)
        #expect(graph.totalMACs == 1104)
        // conv: 54 int8 weights + 3 int32 biases = 66 bytes; fc: 240 bytes.
        #expect(graph.parameterBytes(of: graph.nodes[0]) == 66)
        #expect(graph.totalParameterBytes == 306)
    }
}
