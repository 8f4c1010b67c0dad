import AccsimHardware

/// How a conv or fully connected layer was mapped, as the report states it (`layers[].mapping`,
/// docs/report-format.md): the GEMM, the chosen SRAM tile and loop order, tile and fold counts,
/// the bytes each buffer holds for the largest tile, and the objective the search minimised with
/// the chosen tiling's score.
public struct LayerMapping: Sendable, Hashable, Codable {
    /// Independent GEMMs (conv groups).
    public var groups: Int
    /// The GEMM of one group: `M × K × N`.
    public var gemm: Extents
    /// Elements per SRAM tile: `m` pixels, `k` reduction elements, `n` filters.
    public var tile: Extents
    /// Tiles per group along m, k, n.
    public var tiles: Extents
    /// `weights_outer` or `inputs_outer` (the k-chunk loop is innermost in both).
    public var loopOrder: LoopOrder
    /// Array folds of the whole layer.
    public var folds: Int
    /// Bytes of the largest tile in each buffer (`input`, `weight`, `output` accumulators).
    public var bufferBytes: BufferBytes
    /// What the search minimised.
    public var objective: MappingObjective
    /// The objective's value for the chosen tiling.
    public var objectiveValue: Double
    /// The chosen tiling's cycles, DRAM bytes and energy.
    public var score: MappingScore
    /// Candidates of the space that fit the buffers, and how many were built and timed.
    public var candidates: Int
    public var evaluated: Int

    enum CodingKeys: String, CodingKey {
        case groups, gemm, tile, tiles
        case loopOrder = "loop_order"
        case folds
        case bufferBytes = "buffer_bytes"
        case objective
        case objectiveValue = "objective_value"
        case score, candidates, evaluated
    }

    /// The mapping of `layer`, nil unless it runs on the array.
    public init?(_ layer: LayerSchedule) {
        guard let plan = layer.gemm else { return nil }
        let t = plan.tiling
        let lowering = plan.lowering
        groups = lowering.groups
        gemm = Extents(m: lowering.shape.m, k: lowering.shape.k, n: lowering.shape.n)
        tile = Extents(m: t.mTile, k: t.kTile, n: t.nTile)
        tiles = Extents(m: t.mTiles, k: t.kTiles, n: t.nTiles)
        loopOrder = t.order
        var folds = 0
        var input = 0
        var weight = 0
        var output = 0
        for step in layer.steps {
            switch step.action {
            case .transfer(let transfer):
                guard transfer.direction == .load else { continue }
                switch transfer.buffer {
                case .input: input = max(input, transfer.bytes)
                case .weight: weight = max(weight, transfer.bytes)
                default: break
                }
            case .compute(let compute):
                guard let tile = compute.tile else { continue }
                folds += tile.foldCount
                output = max(output, tile.m.count * tile.n.count * 4)
            }
        }
        self.folds = folds
        bufferBytes = BufferBytes(input: input, weight: weight, output: output)
        objective = plan.objective
        objectiveValue = plan.score.value(plan.objective)
        score = plan.score
        candidates = plan.candidates
        evaluated = plan.evaluated
    }
}

extension LayerMapping {
    /// Sizes along the GEMM's m, k and n.
    public struct Extents: Sendable, Hashable, Codable {
        public var m: Int
        public var k: Int
        public var n: Int
    }

    /// Bytes per buffer.
    public struct BufferBytes: Sendable, Hashable, Codable {
        public var input: Int
        public var weight: Int
        public var output: Int
    }
}
