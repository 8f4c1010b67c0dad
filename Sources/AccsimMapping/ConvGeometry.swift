import AccsimArithmetic

/// The spatial geometry of a 2-D convolution (or a pooling window) over one NHWC sample.
public struct ConvGeometry: Sendable, Hashable {
    /// Input rows `H`.
    public var inputHeight: Int
    /// Input columns `W`.
    public var inputWidth: Int
    /// Input channels `Cin` (all groups).
    public var inputChannels: Int
    /// Output rows `OH`.
    public var outputHeight: Int
    /// Output columns `OW`.
    public var outputWidth: Int
    /// Output channels `Cout` (all groups).
    public var outputChannels: Int
    /// Kernel (window) size `KH × KW`.
    public var kernel: Size2D
    /// Stride.
    public var stride: Size2D
    /// Dilation (1 for pooling).
    public var dilation: Size2D
    /// Explicit padding.
    public var padding: Padding2D
    /// Channel groups (1 for an ordinary conv, `Cin` for depthwise).
    public var groups: Int

    /// A geometry as given.
    public init(
        inputHeight: Int, inputWidth: Int, inputChannels: Int, outputHeight: Int, outputWidth: Int,
        outputChannels: Int, kernel: Size2D, stride: Size2D, dilation: Size2D, padding: Padding2D, groups: Int
    ) {
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.inputChannels = inputChannels
        self.outputHeight = outputHeight
        self.outputWidth = outputWidth
        self.outputChannels = outputChannels
        self.kernel = kernel
        self.stride = stride
        self.dilation = dilation
        self.padding = padding
        self.groups = groups
    }

    /// Input channels per group.
    public var groupInputChannels: Int { inputChannels / groups }
    /// Output channels (filters) per group.
    public var groupOutputChannels: Int { outputChannels / groups }
    /// Taps of one kernel window: `KH · KW`.
    public var taps: Int { kernel.height * kernel.width }

    /// The input rows that output rows `rows` read, halo included, clipped to the image (empty when
    /// every tap of those rows falls in the padding).
    public func inputRows(forOutputRows rows: Range<Int>) -> Range<Int> {
        guard !rows.isEmpty else { return 0..<0 }
        let first = rows.lowerBound * stride.height - padding.top
        let last = (rows.upperBound - 1) * stride.height - padding.top + (kernel.height - 1) * dilation.height
        let lower = max(0, first)
        let upper = min(inputHeight, last + 1)
        return lower < upper ? lower..<upper : 0..<0
    }

    /// The output rows that GEMM rows (output pixels, row-major over `OH × OW`) `pixels` touch.
    public func outputRows(forPixels pixels: Range<Int>) -> Range<Int> {
        guard !pixels.isEmpty else { return 0..<0 }
        return pixels.lowerBound / outputWidth..<(pixels.upperBound + outputWidth - 1) / outputWidth
    }

    /// The input rows a tile of output pixels `pixels` reads: those of every output row it touches
    /// (a pixel range that starts or ends inside a row still loads that row's whole input rows).
    public func inputRows(forPixels pixels: Range<Int>) -> Range<Int> {
        inputRows(forOutputRows: outputRows(forPixels: pixels))
    }

    /// The most input rows, and the input rows summed, over the tiles of `pixelsPerTile` output
    /// pixels (the last tile may be smaller; halo rows count once per tile that reads them).
    public func inputRowStatistics(pixelsPerTile: Int) -> (most: Int, total: Int) {
        let pixels = outputHeight * outputWidth
        var most = 0
        var total = 0
        for start in Swift.stride(from: 0, to: pixels, by: pixelsPerTile) {
            let rows = inputRows(forPixels: start..<min(start + pixelsPerTile, pixels)).count
            most = max(most, rows)
            total += rows
        }
        return (most, total)
    }

    /// The most input rows any tile of `rowsPerTile` output rows reads.
    public func maxInputRows(rowsPerTile: Int) -> Int {
        var most = 0
        for start in Swift.stride(from: 0, to: outputHeight, by: rowsPerTile) {
            most = max(most, inputRows(forOutputRows: start..<min(start + rowsPerTile, outputHeight)).count)
        }
        return most
    }

    /// Input rows summed over the tiles of `rowsPerTile` output rows (halo rows count once per
    /// tile that reads them).
    public func totalInputRows(rowsPerTile: Int) -> Int {
        var total = 0
        for start in Swift.stride(from: 0, to: outputHeight, by: rowsPerTile) {
            total += inputRows(forOutputRows: start..<min(start + rowsPerTile, outputHeight)).count
        }
        return total
    }
}

extension ConvGeometry {
    /// One element of a kernel window: an input channel of the group and a kernel tap.
    public struct WindowElement: Sendable, Hashable {
        /// Input channel within the group.
        public var channel: Int
        /// Kernel row `kh`.
        public var kernelRow: Int
        /// Kernel column `kw`.
        public var kernelColumn: Int

        /// An element as given.
        public init(channel: Int, kernelRow: Int, kernelColumn: Int) {
            self.channel = channel
            self.kernelRow = kernelRow
            self.kernelColumn = kernelColumn
        }
    }

    /// The window element of GEMM reduction index `k`, which is channel-major:
    /// `k = channel · KH·KW + kernelRow · KW + kernelColumn`.
    public func window(ofReduction k: Int) -> WindowElement {
        let tap = k % taps
        return WindowElement(channel: k / taps, kernelRow: tap / kernel.width, kernelColumn: tap % kernel.width)
    }
}
