import AccsimArithmetic
import AccsimHardware
import AccsimModel
import Testing

@testable import AccsimMapping

@Suite struct MappingErrorTests {
    /// A 32×36 kernel over a 32×36×1 input: the smallest tile (1 output row, 1 channel, 1 filter)
    /// still holds 32·36 = 1,152 weights, more than the 512-byte half of a 1 KiB double-buffered
    /// weight buffer. Its input (32 rows × 36 × 1 = 1,152 B) fits the 4 KiB input buffer.
    static func bigKernel() -> Graph {
        MappingFixtures.convGraph(
            name: "conv3", height: 32, width: 36, channels: 1, filters: 1, kernel: Size2D(height: 32, width: 36))
    }

    @Test func smallestTileNamesLayerAndBuffer() throws {
        let hardware = MappingFixtures.hardware(input: (4, true), weight: (1, true), output: (1, true))
        let error = try #require(throws: MappingError.self) {
            try MappingFixtures.schedule(Self.bigKernel(), on: hardware)
        }
        #expect(error.layer == "conv3")
        #expect(error.buffer == "sram.weight")
        #expect(
            error.description
                == "layer 'conv3': the smallest tile needs 1,152 bytes of weight buffer but sram.weight holds 1,024 (512 per half, double-buffered)"
        )
    }

    @Test func everyOverflowingBufferIsNamed() throws {
        let hardware = MappingFixtures.hardware(input: (1, false), weight: (1, false), output: (1, true))
        let error = try #require(throws: MappingError.self) {
            try MappingFixtures.schedule(Self.bigKernel(), on: hardware)
        }
        #expect(error.buffer == "sram.input")
        #expect(
            error.description
                == "layer 'conv3': the smallest tile needs 1,152 bytes of input buffer but sram.input holds 1,024 (single-buffered); "
                + "and needs 1,152 bytes of weight buffer but sram.weight holds 1,024 (single-buffered)")
    }

    /// A softmax row of 2,048 int8 elements cannot be split and does not fit 512 bytes.
    @Test func vectorLayerThatCannotBeChunked() throws {
        let graph = Graph(
            name: "g",
            tensors: [
                TensorInfo(name: "x", shape: [1, 2048], elementType: .int8),
                TensorInfo(name: "y", shape: [1, 2048], elementType: .int8),
            ],
            constants: [:],
            nodes: [
                Node(
                    name: "sm", operation: .softmax(SoftmaxParameters.softmaxParameters(betaTimesInputScale: 0.1)),
                    inputs: ["x"], outputs: ["y"])
            ],
            inputs: ["x"], outputs: ["y"])
        let error = try #require(throws: MappingError.self) {
            try MappingFixtures.schedule(graph, on: MappingFixtures.hardware())
        }
        #expect(
            error.description
                == "layer 'sm': the smallest chunk needs 2,048 bytes of input buffer but sram.input holds 1,024 (512 per half, double-buffered)"
        )
    }
}
