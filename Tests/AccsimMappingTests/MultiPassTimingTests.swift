import AccsimArithmetic
import AccsimHardware
import AccsimModel
import AccsimTiming
import Testing

@testable import AccsimMapping

/// The 4×6×5 GEMM of SmallGEMMTests with int16 activations (2 passes on the 8-bit array) and
/// with int16 activations and weights (4 passes). Whatever SRAM tiling the mapper picks (it may
/// split k or n where the int8 layer used one tile: every candidate reads each operand once), the
/// layer's folds are the int8 layer's — WS (4,4,4) 14, (4,2,4) 12, (4,4,1) 11, (4,2,1) 9; OS
/// (4,6,4) 16, (4,6,1) 13; IS (4,4,5) 15, (4,2,5) 13 — and each fold runs `passes` times, so the
/// layer's array cycles are WS 46, OS 29, IS 28 × passes, and the requantizer 20 outputs / 4
/// lanes = 5 cycles in all.
/// Each activation byte enters the array once per weight slice and each weight byte once per
/// activation slice: input reads = Σ m·k · 2 B · weight slices, weight reads = Σ k·n · weight
/// bytes · activation slices. The accumulator buffer sees one read-modify-write per fold (the PE
/// combines the passes), as for int8.
@Suite struct MultiPassTimingTests {
    struct Expected: Sendable, CustomStringConvertible {
        var dataflow: Dataflow
        var int16Weights: Bool
        var arrayCycles: Int
        var inputReads: Int
        var weightReads: Int
        var outputReads: Int
        var outputWrites: Int
        var description: String { "\(dataflow.rawValue) \(int16Weights ? "int16×int16" : "int16×int8")" }
    }

    static let cases: [Expected] = [
        // int16 × int8, 2 passes. WS: Σ m·k = 48 elements → 96 B × 1; Σ k·n = 30 B × 2.
        Expected(
            dataflow: .weightStationary, int16Weights: false, arrayCycles: 92, inputReads: 96, weightReads: 60,
            outputReads: 180, outputWrites: 180),
        // OS: Σ m·k = 48 → 96 B; Σ k·n = 30 → 60 B.
        Expected(
            dataflow: .outputStationary, int16Weights: false, arrayCycles: 58, inputReads: 96, weightReads: 60,
            outputReads: 100, outputWrites: 100),
        // IS: Σ m·k = 24 → 48 B; Σ k·n = 30 → 60 B.
        Expected(
            dataflow: .inputStationary, int16Weights: false, arrayCycles: 56, inputReads: 48, weightReads: 60,
            outputReads: 180, outputWrites: 180),
        // int16 × int16, 4 passes: inputs × 2 weight slices, weights 2 B × 2 activation slices.
        Expected(
            dataflow: .weightStationary, int16Weights: true, arrayCycles: 184, inputReads: 192, weightReads: 120,
            outputReads: 180, outputWrites: 180),
        Expected(
            dataflow: .outputStationary, int16Weights: true, arrayCycles: 116, inputReads: 192, weightReads: 120,
            outputReads: 100, outputWrites: 100),
        Expected(
            dataflow: .inputStationary, int16Weights: true, arrayCycles: 112, inputReads: 96, weightReads: 120,
            outputReads: 180, outputWrites: 180),
    ]

    static func graph(int16Weights: Bool) -> Graph {
        var graph = MappingFixtures.convGraph(height: 2, width: 2, channels: 6, filters: 5, kernel: Size2D(1))
        graph.tensors[0].elementType = .int16
        if int16Weights {
            graph.tensors[1].elementType = .int16
            graph.constants["w"] = ConstantData(elementType: .int16, values: (0..<30).map { Int32($0 * 1000) - 15000 })
        }
        return graph
    }

    @Test(arguments: cases)
    func cyclesAndTrafficScaleWithThePasses(_ expected: Expected) throws {
        let hardware = MappingFixtures.hardware(dataflow: expected.dataflow)
        let schedule = try MappingFixtures.schedule(Self.graph(int16Weights: expected.int16Weights), on: hardware)
        let layer = try #require(schedule.layers.first)
        let plan = try #require(layer.gemm)
        #expect(plan.lowering.activationSlices == 2)
        #expect(plan.lowering.weightSlices == (expected.int16Weights ? 2 : 1))
        #expect(layer.computeSteps.reduce(0) { $0 + $1.arrayCycles } == expected.arrayCycles)
        #expect(layer.computeSteps.reduce(0) { $0 + $1.requantizerCycles } == 5)
        let traffic = layer.traffic
        #expect(traffic.input == BufferTraffic(reads: expected.inputReads, writes: 48))
        #expect(traffic.weight == BufferTraffic(reads: expected.weightReads, writes: expected.int16Weights ? 60 : 30))
        #expect(traffic.output == BufferTraffic(reads: expected.outputReads, writes: expected.outputWrites))
        #expect(traffic.dramInputReadBytes == 48)
        #expect(traffic.dramWeightReadBytes == (expected.int16Weights ? 60 : 30))
        #expect(traffic.macs == 120)
    }

    @Test func aNative16BitArrayRunsOnePass() throws {
        var hardware = MappingFixtures.hardware(dataflow: .weightStationary)
        hardware.array.inputType = .int16
        hardware.array.weightType = .int16
        let schedule = try MappingFixtures.schedule(Self.graph(int16Weights: true), on: hardware)
        let layer = try #require(schedule.layers.first)
        #expect(layer.gemm?.lowering.passes == 1)
        #expect(layer.computeSteps.reduce(0) { $0 + $1.arrayCycles } == 46)
        #expect(layer.traffic.input.reads == 96 && layer.traffic.weight.reads == 60)
    }
}
