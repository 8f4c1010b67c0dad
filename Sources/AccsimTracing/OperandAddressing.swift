import AccsimExecution
import AccsimHardware
import AccsimMapping

/// Where the operands of one SRAM tile sit in the buffers, following the schedule's DMA layout:
/// a load's SRAM side is contiguous, so
///
/// - input (conv): the tile's input rows (halo included, clipped to the image) × `W` × the
///   tile's `cinT` channels, channel fastest, from the load's address; (FC): the `kT` elements;
/// - weights (conv): `nT` filters × `KH·KW` taps × `cinT` channels (OHWI order); (FC): `nT` rows of `kT`;
/// - accumulators: `mT × nT` int32, row-major, from the start of the step's output half.
///
/// Bank = `address / bank_bytes_per_cycle mod banks` of the buffer, as for transfers.
struct OperandAddressing {
    let lowering: GEMMLowering
    let tile: GEMMTile
    let inputBase: Int
    let weightBase: Int
    let outputBase: Int
    let sram: SRAMConfig
    private let firstInputRow: Int
    private let channelsPerTile: Int

    init(lowering: GEMMLowering, tile: GEMMTile, inputBase: Int, weightBase: Int, outputBase: Int, sram: SRAMConfig) {
        self.lowering = lowering
        self.tile = tile
        self.inputBase = inputBase
        self.weightBase = weightBase
        self.outputBase = outputBase
        self.sram = sram
        switch lowering.source {
        case .conv2D(let g):
            let outputRows = tile.m.lowerBound / g.outputWidth..<(tile.m.upperBound + g.outputWidth - 1) / g.outputWidth
            firstInputRow = g.inputRows(forOutputRows: outputRows).lowerBound
            channelsPerTile = tile.k.count / g.taps
        case .fullyConnected:
            firstInputRow = 0
            channelsPerTile = tile.k.count
        }
    }

    /// The input-buffer address of `A[m][k]` (GEMM coordinates of the tile's group), nil when
    /// the element lies in the padding (the feeder supplies 0, nothing is read).
    func inputAddress(m: Int, k: Int) -> Int? {
        let width = lowering.inputElementBytes
        switch lowering.source {
        case .conv2D(let g):
            let local = k - tile.k.lowerBound
            let channel = local / g.taps
            let tap = local % g.taps
            let ky = tap / g.kernel.width
            let kx = tap % g.kernel.width
            let oy = m / g.outputWidth
            let ox = m % g.outputWidth
            let iy = oy * g.stride.height - g.padding.top + ky * g.dilation.height
            let ix = ox * g.stride.width - g.padding.left + kx * g.dilation.width
            guard iy >= 0 && iy < g.inputHeight && ix >= 0 && ix < g.inputWidth else { return nil }
            return inputBase + (((iy - firstInputRow) * g.inputWidth + ix) * channelsPerTile + channel) * width
        case .fullyConnected:
            return inputBase + (k - tile.k.lowerBound) * width
        }
    }

    /// The weight-buffer address of `B[k][n]`.
    func weightAddress(k: Int, n: Int) -> Int {
        let width = lowering.weightElementBytes
        let filter = n - tile.n.lowerBound
        switch lowering.source {
        case .conv2D(let g):
            let local = k - tile.k.lowerBound
            return weightBase + ((filter * g.taps + local % g.taps) * channelsPerTile + local / g.taps) * width
        case .fullyConnected:
            return weightBase + (filter * tile.k.count + (k - tile.k.lowerBound)) * width
        }
    }

    /// The output-buffer address of accumulator `C[m][n]` (4 bytes).
    func accumulatorAddress(m: Int, n: Int) -> Int {
        outputBase + ((m - tile.m.lowerBound) * tile.n.count + (n - tile.n.lowerBound)) * 4
    }

    static func bank(of address: Int, in buffer: BufferConfig) -> Int {
        address / buffer.bankBytesPerCycle % buffer.banks
    }
}
