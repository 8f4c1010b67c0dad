/// The candidate tile extents along one dimension: the full extent, then the extent halved
/// (rounded up) again and again, each rounded up to a multiple of the array dimension the GEMM
/// dimension is laid along (1 when it streams or is tiled in rows/channels), down to that
/// dimension, plus the minimal 1. Distinct, descending.
///
/// `extent 6, unit 4 → [6, 4, 1]`; `extent 6, unit 1 → [6, 3, 2, 1]`;
/// `extent 100, unit 8 → [100, 56, 32, 16, 8, 1]`.
func tileCandidates(extent: Int, unit: Int) -> [Int] {
    precondition(extent >= 1 && unit >= 1)
    var result = [extent]
    var divisor = 2
    while divisor <= 2 * extent {
        let half = (extent + divisor - 1) / divisor
        let candidate = min(extent, (half + unit - 1) / unit * unit)
        if candidate < result[result.count - 1] { result.append(candidate) }
        if half <= unit { break }
        divisor *= 2
    }
    if result[result.count - 1] != 1 { result.append(1) }
    return result
}
