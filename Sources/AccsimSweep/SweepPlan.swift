import AccsimHardware

/// Everything that defines a sweep's results: the models, the base config, the grid and whether
/// requantizers the hardware cannot run are converted. Execution options (threads, shard, output)
/// are not part of it: they never change a row.
public struct SweepPlan: Sendable {
    /// The models, in grid order.
    public var models: [SweepModel]
    /// The resolved base config (its file, then the fixed `--set` overrides).
    public var base: HardwareConfig
    /// The grid.
    public var space: SweepSpace
    /// Convert requantizers that do not fit a point's requantizer unit (as `accsim run
    /// --adapt-requant`); without it such points are invalid.
    public var adaptRequantizers: Bool

    /// A plan as given; `space` must have one entry per model.
    public init(models: [SweepModel], base: HardwareConfig, space: SweepSpace, adaptRequantizers: Bool = false) {
        precondition(
            models.count == space.modelCount, "the space has \(space.modelCount) models, the plan \(models.count)")
        self.models = models
        self.base = base
        self.space = space
        self.adaptRequantizers = adaptRequantizers
        setupHashes = models.map { model in
            let text = "adapt_requant=\(adaptRequantizers);data=\(model.data?.contentHash ?? "none")"
            return SweepHash.hex(Array(text.utf8))
        }
    }

    /// Per model, the hash of what besides the model and the config decides a row: the input
    /// data and labels, and whether requantizers are converted (`setup_hash` in the rows).
    public private(set) var setupHashes: [String]
}
