/// What a layer runs as.
public enum LayerWork: Sendable, Hashable {
    /// Conv or fully connected: GEMMs on the array.
    case gemm(GEMMLayerPlan)
    /// Everything else that moves data: the vector unit.
    case vector(VectorLayerPlan)
    /// A reshape: no data moves, no cycles, no traffic.
    case idle
}
