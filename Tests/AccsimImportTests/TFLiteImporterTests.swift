import AccsimArithmetic
import AccsimModel
import Testing

@testable import AccsimImport

/// How the importer maps TFLite operators and tensors onto the graph.
@Suite("TFLite importer mapping")
struct TFLiteImporterTests {
    @Test("metadata records the semantics, producer and source model")
    func metadata() throws {
        let fixture = TFLiteFixtures.fixture("conv")
        let optimized = try TFLiteFixtures.graph(fixture, .optimized)
        let reference = try TFLiteFixtures.graph(fixture, .reference)
        #expect(optimized.metadata["semantics"] == "tflite")
        #expect(reference.metadata["semantics"] == "tflite_reference")
        #expect(optimized.metadata["producer"]?.contains("optimized") == true)
        #expect(reference.metadata["producer"]?.contains("reference") == true)
        #expect(optimized.metadata["source_model"]?.hasSuffix("conv.tflite") == true)
        #expect(optimized.name == "conv")
        let inMemory = try TFLiteImporter.importModel(bytes: TFLiteFixtures.bytes(fixture.model))
        #expect(inMemory.metadata["source_model"] == "(in memory)")
        #expect(inMemory.nodes == optimized.nodes)
    }

    @Test("depthwise weights are transposed to [Cout, KH, KW, 1] with groups = Cin")
    func depthwiseLayout() throws {
        let fixture = TFLiteFixtures.fixture("conv")
        let bytes = try TFLiteFixtures.bytes(fixture.model)
        let model = try TFLiteModel.decode(bytes, file: nil)
        let graph = try TFLiteImporter.importModel(bytes: bytes)
        var checked = 0
        for op in model.subgraph.operators where model.operatorCodes[Int(op.opcodeIndex)].builtin == .depthwiseConv2D {
            let weights = model.subgraph.tensors[Int(op.inputs[1])]
            let original = Array(model.file.bytes[model.buffers[Int(weights.buffer)].data])
            let (kh, kw, cout) = (Int(weights.shape[1]), Int(weights.shape[2]), Int(weights.shape[3]))
            let node = try #require(graph.nodes.first { $0.name == "op\(op.index)_depthwise_conv_2d" })
            guard case .conv2D(let p) = node.operation else {
                Issue.record("not a conv2d")
                continue
            }
            let input = try #require(graph.tensor(named: node.inputs[0]))
            #expect(p.groups == input.shape[3])
            let info = try #require(graph.tensor(named: node.inputs[1]))
            #expect(info.shape == [cout, kh, kw, 1])
            #expect(info.quantization?.axis == 0 && info.quantization?.scales.count == cout)
            let data = try #require(graph.constants[node.inputs[1]]).bytes
            for c in 0..<cout {
                for ky in 0..<kh {
                    for kx in 0..<kw where data[(c * kh + ky) * kw + kx] != original[(ky * kw + kx) * cout + c] {
                        Issue.record("weight (\(c), \(ky), \(kx)) moved wrongly")
                    }
                }
            }
            checked += 1
        }
        #expect(checked == 2)
    }

    @Test("requantizers follow QuantizeMultiplier with n = 31 − shift, per channel")
    func requantizers() throws {
        let graph = try TFLiteFixtures.graph(TFLiteFixtures.fixture("fc_ties"), .optimized)
        let fc = try #require(graph.nodes.first { if case .fullyConnected = $0.operation { true } else { false } })
        guard case .fullyConnected(let p) = fc.operation else { return }
        #expect(p.requantizer.rounding == .tfliteHalfUp)
        #expect(p.requantizer.realMultipliers == nil)
        let x = try #require(graph.tensor(named: fc.inputs[0])?.quantization)
        let w = try #require(graph.tensor(named: fc.inputs[1])?.quantization)
        let y = try #require(graph.tensor(named: fc.outputs[0])?.quantization)
        for c in 0..<p.requantizer.multipliers.count {
            let real = x.scales[0] * w.scale(channel: c) / y.scales[0]
            let q = FixedPoint.quantizeMultiplier(real)
            #expect(p.requantizer.multipliers[c] == q.multiplier && Int(p.requantizer.shifts[c]) == 31 - q.shift)
        }
    }

    @Test("the reference FULLY_CONNECTED requantizes in double precision and survives a .q round trip")
    func referenceFullyConnected() throws {
        let graph = try TFLiteFixtures.graph(TFLiteFixtures.fixture("fc_softmax"), .reference)
        var found = 0
        for node in graph.nodes {
            guard case .fullyConnected(let p) = node.operation else { continue }
            #expect(p.requantizer.rounding == .doubleHalfAway)
            #expect(p.requantizer.realMultipliers?.count == p.requantizer.multipliers.count)
            found += 1
        }
        #expect(found == 3)
        let decoded = try QModelReader.decode(QModelWriter.encode(graph))
        #expect(decoded == graph)
    }

    @Test("every supported operator appears in the fixtures")
    func coverage() throws {
        var seen = Set<String>()
        for fixture in TFLiteFixtures.all {
            let model = try TFLiteModel.decode(TFLiteFixtures.bytes(fixture.model), file: nil)
            for op in model.subgraph.operators {
                seen.insert(model.operatorCodes[Int(op.opcodeIndex)].builtin.description)
            }
        }
        let supported = Set(TFLiteGraphBuilder.supported.map(\.description))
        #expect(supported.subtracting(seen).isEmpty, "not covered: \(supported.subtracting(seen).sorted())")
    }

    @Test("the optimized keep_dims MEAN reads the raw sum and carries LiteRT's float bias")
    func rawSumMean() throws {
        let graph = try TFLiteFixtures.graph(TFLiteFixtures.fixture("mean"), .optimized)
        let names = graph.nodes.map(\.name)
        #expect(names.contains { $0.hasSuffix("/raw_view") })
        let reference = try TFLiteFixtures.graph(TFLiteFixtures.fixture("mean"), .reference)
        #expect(!reference.nodes.contains { $0.name.hasSuffix("/raw_view") })
    }
}
