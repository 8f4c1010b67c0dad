import AccsimExecution
import AccsimTrace

/// What `accsim run --trace` records.
public struct TraceOptions: Sendable, Hashable {
    /// How much (cumulative levels).
    public var level: TraceLevel
    /// Layers traced below the layer level (nil: all). Layer begin/end records cover every layer.
    public var layers: TraceLayerSet?
    /// Global cycles traced at the cycle level (nil: all).
    public var cycles: CycleWindow?
    /// The sample of the batch to trace.
    public var sample: Int
    /// Chunking and compression.
    public var writer: TraceWriterOptions

    /// Options as given: the tile level, every layer, every cycle, sample 0 by default.
    public init(
        level: TraceLevel = .tile, layers: TraceLayerSet? = nil, cycles: CycleWindow? = nil, sample: Int = 0,
        writer: TraceWriterOptions = TraceWriterOptions()
    ) {
        self.level = level
        self.layers = layers
        self.cycles = cycles
        self.sample = sample
        self.writer = writer
    }

    /// Whether `layer` is traced at `level`.
    func traces(_ level: TraceLevel, layer: Int) -> Bool {
        self.level >= level && (level == .layer || (layers?.contains(layer) ?? true))
    }
}
