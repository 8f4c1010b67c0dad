import AccsimArithmetic
import AccsimHardware
import AccsimMapping

/// Everything that can change a point's outputs; points with equal keys share one computation.
///
/// What matters, and why nothing else does:
/// - **The model** (its index in the sweep).
/// - **`array.overflow`**: the accumulators (and the vector unit's adds) wrap or saturate.
/// - **The requantizer**, only when the model's requantizers do not fit it and the sweep converts
///   them (`--adapt-requant`): the converted requantizers depend on `requantizer.multiplier_bits`,
///   `max_shift` and `rounding_modes`. When they fit, the model's own requantizers run whatever
///   the unit offers (`requantizer.lanes` is timing only); a point whose requantizers do not fit
///   and are not converted is invalid.
/// - **The accumulation order**, only under `saturate`: the tiled data path adds each fold's
///   partial sum (its products in k order, from 0) to the accumulator in schedule order, so the
///   result depends on how every output's reduction is cut into folds — the SRAM tiling's
///   k-chunks and, for weight- and input-stationary arrays, `array.rows`. The key holds that cut
///   per layer (``accumulationOrder(of:)``). Under `wrap` the result is the graph executor's
///   whatever the order (arithmetic modulo 2³²), so the order is not part of the key.
/// - `array.input_type` / `array.weight_type` do not change outputs: a point whose operand types
///   differ from the model's is invalid.
///
/// Everything else (array size and dataflow, SRAM, DRAM, clock, vector unit, energy, convention)
/// is timing only.
public struct SweepDataKey: Sendable, Hashable {
    /// The model's index in the sweep.
    public var model: Int
    /// The accumulators' overflow mode.
    public var overflow: OverflowMode
    /// The requantizer capability the model's requantizers were converted to; nil when they run
    /// unchanged.
    public var requantizer: RequantizerKey?
    /// Under `saturate`: the accumulation order (``accumulationOrder(of:)``); nil under `wrap`.
    public var accumulationOrder: [Int]?

    /// The requantizer settings a conversion depends on.
    public struct RequantizerKey: Sendable, Hashable {
        /// `requantizer.multiplier_bits`.
        public var multiplierBits: Int
        /// `requantizer.max_shift`.
        public var maxShift: Int
        /// The implemented modes, sorted by name.
        public var roundingModes: [String]

        /// The key of `config`.
        public init(_ config: RequantizerConfig) {
            multiplierBits = config.multiplierBits
            maxShift = config.maxShift
            roundingModes = config.roundingModes.map(\.rawValue).sorted()
        }
    }

    /// The key of a point of model `model` on `hardware`, with `schedule` its mapping; `adapted`
    /// tells whether the model's requantizers were converted.
    public init(model: Int, hardware: HardwareConfig, adapted: Bool, schedule: Schedule) {
        self.model = model
        overflow = hardware.array.overflow
        requantizer = adapted ? RequantizerKey(hardware.requantizer) : nil
        accumulationOrder = hardware.array.overflow == .saturate ? Self.accumulationOrder(of: schedule) : nil
    }

    /// A short, stable digest of the key (16 hex digits), as rows show it in `data_key`: points
    /// with the same digest share their outputs.
    public func digest(modelHash: String) -> String {
        var text = "model=\(modelHash);overflow=\(overflow.rawValue)"
        if let requantizer {
            text +=
                ";requantizer=\(requantizer.multiplierBits),\(requantizer.maxShift),\(requantizer.roundingModes.joined(separator: "+"))"
        }
        if let accumulationOrder {
            text += ";order=" + accumulationOrder.map(String.init).joined(separator: ",")
        }
        return SweepHash.hex(Array(text.utf8))
    }

    /// How every output of every conv / fully connected layer is reduced, as integers: per GEMM
    /// layer its node index and then either (uniform case) `0` and the one sequence of k ranges
    /// every output sees, or `1` and every tile in schedule order with its group, m and n ranges
    /// and k ranges. A k range is one fold's reduction: the tile's k range cut into chunks of
    /// `array.rows` (weight and input stationary) or whole (output stationary).
    ///
    /// The uniform form applies when the tiles' m ranges are pairwise equal or disjoint, so are
    /// their n ranges, and every output block sees the same sequence — then every output is
    /// reduced identically, whatever the order of the blocks and however m and n are cut.
    public static func accumulationOrder(of schedule: Schedule) -> [Int] {
        var order: [Int] = []
        for layer in schedule.layers where layer.gemm != nil {
            var tiles: [(block: Block, chunks: [Int])] = []
            for step in layer.steps {
                guard let tile = step.compute?.tile else { continue }
                var chunks: [Int] = []
                if tile.layout.dataflow == .outputStationary {
                    chunks = [tile.k.lowerBound, tile.k.upperBound]
                } else {
                    for start in stride(from: tile.k.lowerBound, to: tile.k.upperBound, by: max(1, tile.layout.rows)) {
                        chunks += [start, min(start + tile.layout.rows, tile.k.upperBound)]
                    }
                }
                tiles.append((Block(group: tile.group, m: tile.m, n: tile.n), chunks))
            }
            order += [layer.nodeIndex]
            if let uniform = uniformSequence(tiles) {
                order += [0, uniform.count] + uniform
            } else {
                order += [1, tiles.count]
                for (block, chunks) in tiles {
                    order +=
                        [
                            block.group, block.m.lowerBound, block.m.upperBound, block.n.lowerBound, block.n.upperBound,
                            chunks.count,
                        ] + chunks
                }
            }
        }
        return order
    }

    /// An output block of a GEMM layer.
    struct Block: Hashable {
        var group: Int
        var m: Range<Int>
        var n: Range<Int>
    }

    /// The sequence every output sees, when the blocks partition the outputs and share it.
    private static func uniformSequence(_ tiles: [(block: Block, chunks: [Int])]) -> [Int]? {
        var sequences: [Block: [Int]] = [:]
        var blockOrder: [Block] = []
        for (block, chunks) in tiles {
            if sequences[block] == nil { blockOrder.append(block) }
            sequences[block, default: []] += chunks
        }
        guard let first = blockOrder.first, let sequence = sequences[first] else { return [] }
        for block in blockOrder where sequences[block] != sequence { return nil }
        guard equalOrDisjoint(Set(blockOrder.map(\.m))), equalOrDisjoint(Set(blockOrder.map(\.n))) else { return nil }
        return sequence
    }

    /// Whether distinct ranges never overlap.
    private static func equalOrDisjoint(_ ranges: Set<Range<Int>>) -> Bool {
        let sorted = ranges.sorted { ($0.lowerBound, $0.upperBound) < ($1.lowerBound, $1.upperBound) }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.upperBound > b.lowerBound { return false }
        return true
    }
}
