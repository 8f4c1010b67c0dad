import AccsimArithmetic
import AccsimModel
import Testing

@testable import AccsimMapping

@Suite struct DRAMMemoryMapTests {
    /// conv (x [1,2,2,6] → y [1,2,2,5]) then a reshape to [1, 20] and an FC to [1, 3].
    static func graph() -> Graph {
        var g = MappingFixtures.convGraph(height: 2, width: 2, channels: 6, filters: 5, kernel: Size2D(1))
        g.tensors += [
            TensorInfo(name: "flat", shape: [1, 20], elementType: .int8),
            TensorInfo(name: "fw", shape: [3, 20], elementType: .int8),
            TensorInfo(name: "z", shape: [1, 3], elementType: .int8),
        ]
        g.constants["fw"] = MappingFixtures.int8(60)
        g.nodes += [
            Node(
                name: "flatten", operation: .reshape(ReshapeParameters(shape: [1, 20])), inputs: ["y"],
                outputs: ["flat"]),
            Node(
                name: "fc",
                operation: .fullyConnected(FullyConnectedParameters(requantizer: MappingFixtures.requantizer)),
                inputs: ["flat", "fw"], outputs: ["z"]),
        ]
        g.outputs = ["z"]
        return g
    }

    /// x 24 B at 0, w 30 B at 64, b 20 B at 128, y 20 B at 192, flat aliases y, fw 60 B at 256,
    /// z 3 B at 320; 384 bytes in all.
    @Test func regionsAreAlignedInTensorOrderAndReshapesAlias() throws {
        let graph = Self.graph()
        try graph.validate()
        let map = DRAMMemoryMap(graph: graph)
        #expect(map.regions.map(\.tensor) == ["x", "w", "b", "y", "flat", "fw", "z"])
        #expect(map.regions.map(\.address) == [0, 64, 128, 192, 192, 256, 320])
        #expect(map.regions.map(\.bytes) == [24, 30, 20, 20, 20, 60, 3])
        #expect(map.region(of: "flat")?.aliasOf == "y")
        #expect(map.totalBytes == 384)
    }

    /// The reshape moves nothing; the FC reads its input from y's region.
    @Test func reshapeHasNoStepsAndTheNextLayerReadsTheAlias() throws {
        let schedule = try MappingFixtures.schedule(Self.graph(), on: MappingFixtures.hardware())
        let flatten = try #require(schedule.layer(named: "flatten"))
        #expect(flatten.steps.isEmpty)
        #expect(flatten.work == .idle)
        let result = flatten.result(dma: .init(dram: schedule.hardware.dram))
        #expect(result.totalCycles == 0 && result.traffic == LayerTraffic())
        let fc = try #require(schedule.layer(named: "fc"))
        #expect(fc.transfers.first { $0.buffer == .input }?.dramAddress == 192)
        // Sequence numbers continue across layers: the FC starts after the conv's last step.
        let conv = try #require(schedule.layer(named: "conv"))
        #expect(fc.steps.first?.sequence == conv.steps.count && conv.steps.count >= 5)
    }
}
