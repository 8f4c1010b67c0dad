import AccsimArithmetic
import AccsimModel
import Testing

@testable import AccsimMapping

/// A depthwise 3×3 conv (pad 1) over 4×4×3: groups = 3, per group M = 16, K = 9, N = 1.
/// DRAM map: x (48 B) at 0, w (27 B) at 64, b (12 B) at 128, y (48 B) at 192.
@Suite struct GroupedConvTests {
    @Test func depthwiseRunsOneGEMMPerGroup() throws {
        let graph = MappingFixtures.convGraph(
            height: 4, width: 4, channels: 3, filters: 3, kernel: Size2D(3),
            padding: Padding2D(top: 1, bottom: 1, left: 1, right: 1), groups: 3)
        let layer = try #require(try MappingFixtures.schedule(graph, on: MappingFixtures.hardware()).layers.first)
        let plan = try #require(layer.gemm)
        #expect(plan.lowering.groups == 3)
        #expect(plan.lowering.shape.m == 16 && plan.lowering.shape.k == 9 && plan.lowering.shape.n == 1)
        // Each group's operands once: 16 input bytes and 9 weights; 3 × 25 + 12 (bias) = 87.
        #expect(plan.chosenEstimate.totalBytes == 87)
        #expect(layer.tiles.map(\.group) == [0, 1, 2])
        // Group g reads channel g of every pixel (1 byte of every 3), filter g's 9 weights, and
        // writes channel g of every output pixel.
        let inputs = layer.transfers.filter { $0.buffer == .input }
        #expect(inputs.map(\.dramAddress) == [0, 1, 2])
        #expect(inputs.allSatisfy { $0.pattern == DMAPattern(count: 16, chunkBytes: 1, strideBytes: 3) })
        let weights = layer.transfers.filter { $0.buffer == .weight }
        #expect(weights.map(\.dramAddress) == [64, 73, 82])
        #expect(weights.allSatisfy { $0.pattern == .contiguous(9) })
        let stores = layer.transfers.filter { $0.direction == .store }
        #expect(stores.map(\.dramAddress) == [192, 193, 194])
        #expect(stores.allSatisfy { $0.pattern == DMAPattern(count: 16, chunkBytes: 1, strideBytes: 3) })
        #expect(layer.traffic.macs == 3 * 16 * 9)
    }

    /// Reduction index k = channel · KH·KW + kh · KW + kw: a chunk of whole channels is one range.
    @Test func reductionIndexIsChannelMajor() {
        let g = ConvGeometry(
            inputHeight: 5, inputWidth: 5, inputChannels: 4, outputHeight: 5, outputWidth: 5,
            outputChannels: 2, kernel: Size2D(height: 3, width: 2), stride: Size2D(1), dilation: Size2D(1),
            padding: .zero, groups: 1)
        #expect(g.window(ofReduction: 0) == ConvGeometry.WindowElement(channel: 0, kernelRow: 0, kernelColumn: 0))
        #expect(g.window(ofReduction: 5) == ConvGeometry.WindowElement(channel: 0, kernelRow: 2, kernelColumn: 1))
        #expect(g.window(ofReduction: 6) == ConvGeometry.WindowElement(channel: 1, kernelRow: 0, kernelColumn: 0))
        #expect(g.window(ofReduction: 23) == ConvGeometry.WindowElement(channel: 3, kernelRow: 2, kernelColumn: 1))
    }
}
