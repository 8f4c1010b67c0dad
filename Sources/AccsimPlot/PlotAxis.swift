import Foundation

/// One axis of a plot: the data range (padded), linear or logarithmic, its ticks and how a value
/// maps to a pixel.
public struct PlotAxis: Sendable {
    /// The smallest and largest value shown.
    public var low: Double
    public var high: Double
    /// Whether the axis is logarithmic (base 10).
    public var isLog: Bool

    /// An axis covering `values` with a margin; a log axis needs positive values.
    public init(values: [Double], isLog: Bool) {
        self.isLog = isLog
        var low = values.min() ?? 0
        var high = values.max() ?? 1
        if isLog {
            var (a, b) = (log10(low), log10(high))
            if a == b { (a, b) = (a - 0.5, b + 0.5) }
            let pad = (b - a) * 0.06
            (low, high) = (pow(10, a - pad), pow(10, b + pad))
        } else {
            if low == high { (low, high) = (low - max(1, abs(low) * 0.1), high + max(1, abs(high) * 0.1)) }
            let pad = (high - low) * 0.06
            (low, high) = (low - pad, high + pad)
            // Keep a non-negative quantity's axis from dipping below zero for the padding alone.
            if low < 0 && (values.min() ?? 0) >= 0 { low = 0 }
        }
        self.low = low
        self.high = high
    }

    /// The position of `value` in 0…1 along the axis.
    public func fraction(_ value: Double) -> Double {
        if isLog { return (log10(value) - log10(low)) / (log10(high) - log10(low)) }
        return (value - low) / (high - low)
    }

    /// Tick values inside the axis: 1-2-5 steps for a linear axis (about six ticks); for a log
    /// axis the powers of ten, or 1-2-5 or 1…9 times them when the range is short (linear ticks
    /// when even those give fewer than two).
    public var ticks: [Double] {
        isLog ? logTicks : linearTicks
    }

    private var linearTicks: [Double] {
        let span = high - low
        guard span > 0 else { return [low] }
        let raw = span / 6
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var ticks: [Double] = []
        var index = (low / step).rounded(.up)
        while index * step <= high + step * 1e-9 {
            let value = index * step
            ticks.append(abs(value) < step * 1e-9 ? 0 : value)
            index += 1
        }
        return ticks
    }

    private var logTicks: [Double] {
        let first = Int(log10(low).rounded(.down))
        let last = Int(log10(high).rounded(.up))
        var best: [Double] = []
        for mantissas in [[1.0], [1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]] {
            var ticks: [Double] = []
            for exponent in first...last {
                for mantissa in mantissas {
                    let value = mantissa * pow(10, Double(exponent))
                    if value >= low && value <= high { ticks.append(value) }
                }
            }
            best = ticks
            if ticks.count >= 3 { break }
        }
        // Less than a decade with at most one "nice" log tick: linear 1-2-5 ticks read better.
        return best.count >= 2 ? best : linearTicks
    }

    /// A tick label: at most three significant digits with an SI suffix (k, M, G, T; m, µ).
    public static func label(_ value: Double) -> String {
        if value == 0 { return "0" }
        let suffixes: [(Double, String)] = [
            (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"), (1, ""), (1e-3, "m"), (1e-6, "µ"),
        ]
        let magnitude = abs(value)
        let (scale, suffix) = suffixes.first { magnitude >= $0.0 } ?? (1, "")
        return trimmed(String(format: "%.3g", value / scale)) + suffix
    }

    /// `%.3g` text without an exponent where possible and without trailing zeros.
    private static func trimmed(_ text: String) -> String {
        guard text.contains("."), !text.contains("e") else { return text }
        var result = text
        while result.hasSuffix("0") { result.removeLast() }
        if result.hasSuffix(".") { result.removeLast() }
        return result
    }
}
