import AccsimArithmetic

/// Counts, exactly, the int32 accumulators on which an accsim requantizer and onnxruntime's float
/// requantization (``ONNXRuntimeArithmetic/requantize(_:scale:zeroPoint:clampMin:clampMax:)``)
/// give different outputs.
///
/// Both are non-decreasing step functions of the accumulator that stay within a small distance
/// `d` of the exact value `acc·S`, so they can only differ where `acc·S` lies within `d` of a
/// rounding boundary `k + ½` between two unclamped outputs. The check enumerates exactly those
/// accumulators: a few per boundary and channel, not the whole int32 range.
enum ONNXRequantizationCheck {
    /// The number of accumulators (over all channels) where `requantizer` and onnxruntime's float
    /// requantization with `scales` (one per channel, or one) differ, or nil when more than
    /// `limit` candidates would have to be tried (a coarse requantizer far from the scale).
    static func disagreements(_ requantizer: Requantizer, scales: [Float], limit: Int = 1 << 22) -> Int? {
        let channels = max(requantizer.channelCount, scales.count)
        let low = Int64(requantizer.clampMin) - Int64(requantizer.zeroPoint)
        let high = Int64(requantizer.clampMax) - Int64(requantizer.zeroPoint)
        var candidates = 0
        var differing = 0
        for channel in 0..<channels {
            let scale = scales[scales.count == 1 ? 0 : channel]
            let index = requantizer.channelCount == 1 ? 0 : channel
            let m = Double(requantizer.multipliers[index])
            let n = Int(requantizer.shifts[index])
            let s = Double(scale)
            guard s > 0 else { continue }
            let effective = m * Double(sign: .plus, exponent: -n, significand: 1)
            let relative = abs(effective - s) / s
            var slack = 1.0 / 16384
            if requantizer.rounding.usesQ31Multiplier, n > 31 {
                slack += Double(sign: .plus, exponent: -(n - 31) - 1, significand: 1)
            }
            var k = low
            var next = Int64.min  // windows of neighbouring boundaries may overlap: count each accumulator once
            while k < high {
                let boundary = Double(k) + 0.5
                let distance = abs(boundary) * (relative + 1.0 / 4_194_304) + slack
                let lowest = ((boundary - distance) / s).rounded(.down) - 1
                let highest = ((boundary + distance) / s).rounded(.up) + 1
                // A scale so small (or a requantizer so far from it) that the window is not a
                // finite number of accumulators: as good as over the limit.
                guard lowest.isFinite && highest.isFinite else { return nil }
                let first = max(lowest, Double(Int32.min))
                let last = min(highest, Double(Int32.max))
                if first <= last, case let start = max(Int64(first), next), Double(start) <= last {
                    candidates += Int(Int64(last) - start) + 1
                    if candidates > limit { return nil }
                    var acc = start
                    while acc <= Int64(last) {
                        let a = Int32(acc)
                        let ours = requantizer.apply(a, channel: channel)
                        let theirs = ONNXRuntimeArithmetic.requantize(
                            a, scale: scale, zeroPoint: requantizer.zeroPoint, clampMin: requantizer.clampMin,
                            clampMax: requantizer.clampMax)
                        if ours != theirs { differing += 1 }
                        acc += 1
                    }
                    next = Int64(last) + 1
                }
                k += 1
            }
        }
        return differing
    }
}
