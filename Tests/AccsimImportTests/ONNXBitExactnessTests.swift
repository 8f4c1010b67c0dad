import AccsimArithmetic
import AccsimImport
import AccsimModel
import Testing

/// accsim's outputs on every fixture compared with onnxruntime's (1.31.1, CPU, x86-64), for each
/// requantizer policy. The counts are the measured ones: a change in the importer or the kernels
/// that moves any of them fails here. docs/import-onnx.md explains where the differences come from.
@Suite("ONNX agreement with onnxruntime")
struct ONNXBitExactnessTests {
    /// Expected result of one fixture under one policy.
    struct Expected: Sendable {
        /// Output elements that differ from onnxruntime.
        var differing: Int
        /// The largest absolute difference.
        var largest: Int32
        /// `Report.differingInputs` (exhaustive count against onnxruntime's float arithmetic).
        var differingInputs: Int?
    }

    static let policies: [String: RequantPolicy] = [
        "default": .default,
        "tflite": .fixedPoint(bits: 32, rounding: .tflite),
        "bits16": .fixedPoint(bits: 16),
        "single_shift": .singleShift,
    ]

    // Measured with Scripts/make_onnx_fixtures.py's files (outputs: 24 samples × 10 or 6 values;
    // `ties`: 256 × 6).
    static let expected: [String: [String: Expected]] = [
        "default": [
            "residual_qdq_s8_pc": Expected(differing: 3, largest: 1, differingInputs: 4),
            "residual_qdq_u8_pt": Expected(differing: 5, largest: 1, differingInputs: 4),
            "residual_qop_s8_pt": Expected(differing: 0, largest: 0, differingInputs: 5),
            "residual_qop_u8_pc": Expected(differing: 0, largest: 0, differingInputs: 8),
            "branch_qdq_s8_pt": Expected(differing: 0, largest: 0, differingInputs: 0),
            "branch_qdq_u8_pc": Expected(differing: 0, largest: 0, differingInputs: 14),
            "branch_qop_s8_pc": Expected(differing: 0, largest: 0, differingInputs: 14),
            "branch_qop_u8_pt": Expected(differing: 0, largest: 0, differingInputs: 0),
            "ties": Expected(differing: 704, largest: 1, differingInputs: 16676),
        ],
        "tflite": [
            "residual_qdq_s8_pc": Expected(differing: 40, largest: 1, differingInputs: 6703),
            "residual_qdq_u8_pt": Expected(differing: 36, largest: 1, differingInputs: 875),
            "residual_qop_s8_pt": Expected(differing: 40, largest: 1, differingInputs: 850),
            "residual_qop_u8_pc": Expected(differing: 40, largest: 2, differingInputs: 6474),
            "branch_qdq_s8_pt": Expected(differing: 83, largest: 3, differingInputs: 858),
            "branch_qdq_u8_pc": Expected(differing: 94, largest: 4, differingInputs: 3661),
            "branch_qop_s8_pc": Expected(differing: 94, largest: 4, differingInputs: 3661),
            "branch_qop_u8_pt": Expected(differing: 83, largest: 3, differingInputs: 858),
            "ties": Expected(differing: 464, largest: 1, differingInputs: 9372),
        ],
        "bits16": [
            "residual_qdq_s8_pc": Expected(differing: 3, largest: 1, differingInputs: 2229),
            "residual_qdq_u8_pt": Expected(differing: 10, largest: 1, differingInputs: 303),
            "residual_qop_s8_pt": Expected(differing: 0, largest: 0, differingInputs: 378),
            "residual_qop_u8_pc": Expected(differing: 4, largest: 1, differingInputs: 2721),
            "branch_qdq_s8_pt": Expected(differing: 10, largest: 1, differingInputs: 136),
            "branch_qdq_u8_pc": Expected(differing: 13, largest: 1, differingInputs: 753),
            "branch_qop_s8_pc": Expected(differing: 13, largest: 1, differingInputs: 753),
            "branch_qop_u8_pt": Expected(differing: 10, largest: 1, differingInputs: 136),
            "ties": Expected(differing: 778, largest: 1, differingInputs: 161_668),
        ],
        "single_shift": [
            "residual_qdq_s8_pc": Expected(differing: 116, largest: 2, differingInputs: nil),
            "residual_qdq_u8_pt": Expected(differing: 136, largest: 3, differingInputs: nil),
            "residual_qop_s8_pt": Expected(differing: 151, largest: 3, differingInputs: nil),
            "residual_qop_u8_pc": Expected(differing: 107, largest: 2, differingInputs: nil),
            "branch_qdq_s8_pt": Expected(differing: 119, largest: 6, differingInputs: nil),
            "branch_qdq_u8_pc": Expected(differing: 113, largest: 6, differingInputs: nil),
            "branch_qop_s8_pc": Expected(differing: 113, largest: 6, differingInputs: nil),
            "branch_qop_u8_pt": Expected(differing: 119, largest: 6, differingInputs: nil),
            "ties": Expected(differing: 417, largest: 1, differingInputs: nil),
        ],
    ]

    static let cases: [(String, String)] = policies.keys.sorted().flatMap { policy in
        ONNXFixtures.names.map { (policy, $0) }
    }

    @Test("outputs compared with onnxruntime's", arguments: cases)
    func compare(policyName: String, name: String) throws {
        let fixture = ONNXFixtures.fixture(name)
        let policy = try #require(Self.policies[policyName])
        let expected = try #require(Self.expected[policyName]?[name], "no expectation for \(policyName) \(name)")
        let (graph, report) = try ONNXFixtures.graph(fixture, policy)
        let actual = try ONNXFixtures.run(graph, fixture)
        let reference = try ONNXFixtures.tensor(fixture.output)
        #expect(actual.shape == reference.shape)
        #expect(actual.elementType == reference.elementType)
        let (differing, largest) = ONNXFixtures.compare(actual, reference)
        #expect(
            differing == expected.differing,
            "\(policyName) \(name): \(differing) of \(reference.count) outputs differ from onnxruntime (expected \(expected.differing))"
        )
        #expect(largest == expected.largest, "\(policyName) \(name): largest difference \(largest)")
        #expect(
            report.differingInputs == expected.differingInputs,
            "\(policyName) \(name): differing inputs \(String(describing: report.differingInputs))")
        #expect(report.form == fixture.form || fixture.form == "qoperator" && report.form == "mixed")
    }

    @Test("the default policy represents onnxruntime's float32 scales exactly")
    func defaultPolicyIsExact() throws {
        for name in ONNXFixtures.names {
            let (graph, report) = try ONNXFixtures.graph(ONNXFixtures.fixture(name), .default)
            // Only Add and Concat ratios (not float32 scales in onnxruntime) are approximated.
            #expect(report.worstRelativeError < 2e-7, "\(name): \(report.worstRelativeError)")
            #expect(graph.metadata["semantics"] == "onnxruntime")
            #expect(graph.metadata["requant_policy"] == "fixed_point(32, half_even)")
            #expect(graph.metadata["source_model"]?.hasSuffix(name + ".onnx") == true)
            #expect(report.requantizers > 0)
        }
    }

    @Test("single shift folds every weighted requantizer into power-of-two shifts")
    func singleShiftShape() throws {
        let (graph, report) = try ONNXFixtures.graph(ONNXFixtures.fixture("residual_qop_u8_pc"), .singleShift)
        #expect(report.foldedChannels == 8 + 8 + 8 + 10)
        #expect(report.clampedWeights == 0)
        #expect(report.worstWeightRoundingError > 0 && report.worstWeightRoundingError < 0.02)
        for node in graph.nodes {
            switch node.operation {
            case .conv2D(let p):
                #expect(p.requantizer.multipliers.allSatisfy { $0 == 1 } && p.requantizer.rounding == .halfUp)
            case .fullyConnected(let p):
                #expect(p.requantizer.multipliers.allSatisfy { $0 == 1 } && p.requantizer.rounding == .halfUp)
            case .add(let p):
                #expect(p.inputs.allSatisfy { ($0.rescale?.multipliers[0] ?? 0) <= 127 })
                #expect(p.output.rounding == .halfUp)
            default:
                break
            }
        }
    }

    @Test("the imported graph's structure: NHWC shapes, OHWI weights, one node per operator")
    func structure() throws {
        let (graph, _) = try ONNXFixtures.graph(ONNXFixtures.fixture("branch_qop_s8_pc"), .default)
        #expect(graph.inputs.count == 1 && graph.outputs.count == 1)
        #expect(graph.tensor(named: graph.inputs[0])?.shape == [1, 12, 12, 4])
        #expect(graph.tensor(named: graph.outputs[0])?.shape == [1, 6])
        #expect(
            graph.nodes.map(\.operation.kind) == [
                .conv2D, .lookupTable, .conv2D, .concat, .pad, .conv2D, .reshape, .fullyConnected,
            ])
        let conv = try #require(graph.nodes.first)
        #expect(graph.tensor(named: conv.inputs[1])?.shape == [6, 3, 3, 4])
        #expect(graph.tensor(named: conv.inputs[1])?.quantization?.axis == 0)
        let (qdq, _) = try ONNXFixtures.graph(ONNXFixtures.fixture("branch_qdq_s8_pt"), .default)
        #expect(qdq.nodes.map(\.operation.kind) == graph.nodes.map(\.operation.kind))
    }
}
