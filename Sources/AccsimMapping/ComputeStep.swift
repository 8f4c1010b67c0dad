import AccsimTiming

/// One compute step: an SRAM tile on the array (its folds, then the requantizer when the tile
/// completes its outputs) or a chunk on the vector unit.
public struct ComputeStep: Sendable, Hashable {
    /// What is computed.
    public enum Work: Sendable, Hashable {
        /// An SRAM tile on the array.
        case gemm(GEMMTile)
        /// A chunk on the vector unit.
        case vector(VectorChunk)
    }

    /// What is computed.
    public var work: Work
    /// Array cycles: the folds' cycles summed, by phase.
    public var arrayPhases: TileCycles
    /// Requantizer cycles: `ceil(mT·nT / requantizer.lanes)` after the last k-chunk, else 0.
    public var requantizerCycles: Int
    /// Vector-unit cycles: `ceil(work / vector_unit.lanes) · cycles_per_op`.
    public var vectorCycles: Int
    /// Sequence numbers of the transfers that must have completed before the step starts: its
    /// loads, and the store that frees the output buffer half it writes.
    public var waitsFor: [Int]
    /// Which half of the output buffer the step writes (0 when single-buffered).
    public var outputHalf: Int
    /// Buffer accesses and operation counts.
    public var accesses: ComputeAccesses

    /// A step as given.
    public init(
        work: Work, arrayPhases: TileCycles, requantizerCycles: Int, vectorCycles: Int,
        waitsFor: [Int], outputHalf: Int, accesses: ComputeAccesses
    ) {
        self.work = work
        self.arrayPhases = arrayPhases
        self.requantizerCycles = requantizerCycles
        self.vectorCycles = vectorCycles
        self.waitsFor = waitsFor
        self.outputHalf = outputHalf
        self.accesses = accesses
    }

    /// The unit the step runs on.
    public var unit: ComputeUnit {
        if case .vector = work { return .vector }
        return .array
    }

    /// Array cycles (all phases of all folds).
    public var arrayCycles: Int { arrayPhases.total }

    /// All cycles of the step: array + requantizer + vector.
    public var cycles: Int { arrayCycles + requantizerCycles + vectorCycles }

    /// The GEMM tile, for an array step.
    public var tile: GEMMTile? {
        if case .gemm(let tile) = work { return tile }
        return nil
    }

    /// The vector chunk, for a vector step.
    public var chunk: VectorChunk? {
        if case .vector(let chunk) = work { return chunk }
        return nil
    }
}
