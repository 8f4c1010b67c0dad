import AccsimJSON
import AccsimPlot
import Foundation

/// Draws a Pareto front as an SVG image, by hand: axes with ticks and labels, every candidate
/// point (dominated ones faint), the front highlighted and joined as a staircase (two metrics) or
/// sized by the third metric, the front points labelled with their varied values, one colour per
/// model. The same front and options always give the same bytes.
public struct ParetoPlot: Sendable {
    /// The front to draw (its first two metrics are x and y).
    public var front: ParetoFront
    /// Logarithmic x axis.
    public var logX: Bool
    /// Logarithmic y axis.
    public var logY: Bool
    /// Label the front points with their varied values (when there are at most this many).
    public var maxLabels: Int

    /// A plot of `front`.
    public init(front: ParetoFront, logX: Bool = false, logY: Bool = false, maxLabels: Int = 16) {
        self.front = front
        self.logX = logX
        self.logY = logY
        self.maxLabels = maxLabels
    }

    static let width = 900.0
    static let height = 540.0
    /// The right margin holds the legend, so it never hides a point.
    static let margin = (left: 92.0, right: 200.0, top: 64.0, bottom: 64.0)
    static let colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]

    /// The SVG document.
    public func svg() throws(SweepError) -> String {
        let all = front.models.flatMap { front.points[$0] ?? [] }
        guard !all.isEmpty else { throw SweepError("nothing to plot: no valid row has every metric") }
        guard front.metrics.count >= 2 else { throw SweepError("a plot needs an x and a y metric") }
        let xs = all.map { $0.metrics[0] }
        let ys = all.map { $0.metrics[1] }
        if logX, xs.contains(where: { $0 <= 0 }) {
            throw SweepError("--log x needs positive \(front.metrics[0].name) values")
        }
        if logY, ys.contains(where: { $0 <= 0 }) {
            throw SweepError("--log y needs positive \(front.metrics[1].name) values")
        }
        let xAxis = PlotAxis(values: xs, isLog: logX)
        let yAxis = PlotAxis(values: ys, isLog: logY)
        let m = Self.margin
        let plotWidth = Self.width - m.left - m.right
        let plotHeight = Self.height - m.top - m.bottom
        func px(_ x: Double) -> Double { m.left + xAxis.fraction(x) * plotWidth }
        func py(_ y: Double) -> Double { m.top + (1 - yAxis.fraction(y)) * plotHeight }
        let zRange: (Double, Double)? =
            front.metrics.count > 2 ? (all.map { $0.metrics[2] }.min()!, all.map { $0.metrics[2] }.max()!) : nil
        func radius(_ point: ParetoFront.Point, base: Double) -> Double {
            guard let (low, high) = zRange else { return base }
            let t = high > low ? (point.metrics[2] - low) / (high - low) : 0.5
            return base + 6 * t
        }

        var svg = SVGWriter(width: Self.width, height: Self.height)
        svg.rect(x: 0, y: 0, width: Self.width, height: Self.height, fill: "#ffffff")
        let metricNames = front.metrics.map(\.name).joined(separator: ", ")
        svg.text(
            "Pareto front: \(front.metrics[1].label) vs \(front.metrics[0].label)", x: m.left, y: 26, size: 16,
            weight: "bold")
        let frontCount = front.models.reduce(0) { $0 + front.front(of: $1).count }
        let candidates = front.models.reduce(0) { $0 + (front.candidates[$1] ?? 0) }
        var subtitle = "\(candidates) points, \(frontCount) on the front; minimising \(metricNames)"
        if candidates > all.count { subtitle += " (\(all.count) drawn)" }
        if let zMetric = front.metrics.dropFirst(2).first { subtitle += "; marker size: \(zMetric.label)" }
        svg.text(subtitle, x: m.left, y: 46, size: 12, fill: "#555555")

        // Grid, ticks and tick labels.
        for tick in xAxis.ticks {
            let x = px(tick)
            svg.line(x1: x, y1: m.top, x2: x, y2: m.top + plotHeight, stroke: "#e6e6e6")
            svg.line(x1: x, y1: m.top + plotHeight, x2: x, y2: m.top + plotHeight + 5, stroke: "#333333")
            svg.text(PlotAxis.label(tick), x: x, y: m.top + plotHeight + 19, size: 11, anchor: "middle")
        }
        for tick in yAxis.ticks {
            let y = py(tick)
            svg.line(x1: m.left, y1: y, x2: m.left + plotWidth, y2: y, stroke: "#e6e6e6")
            svg.line(x1: m.left - 5, y1: y, x2: m.left, y2: y, stroke: "#333333")
            svg.text(PlotAxis.label(tick), x: m.left - 8, y: y + 4, size: 11, anchor: "end")
        }
        svg.rect(x: m.left, y: m.top, width: plotWidth, height: plotHeight, fill: "none", stroke: "#333333")
        svg.text(
            front.metrics[0].label + (logX ? " (log)" : ""), x: m.left + plotWidth / 2, y: Self.height - 18, size: 13,
            anchor: "middle")
        svg.text(
            front.metrics[1].label + (logY ? " (log)" : ""), x: 22, y: m.top + plotHeight / 2, size: 13,
            anchor: "middle", rotate: -90)

        // Points: dominated first (faint), then each model's front on top.
        for (modelIndex, model) in front.models.enumerated() {
            let colour = Self.colours[modelIndex % Self.colours.count]
            for point in front.points[model] ?? [] where !point.isOnFront {
                svg.circle(
                    cx: px(point.metrics[0]), cy: py(point.metrics[1]), r: radius(point, base: 2.5), fill: colour,
                    opacity: 0.3)
            }
        }
        let labelKeys = Self.labelKeys(front)
        var labels: [(text: String, x: Double, y: Double)] = []
        for (modelIndex, model) in front.models.enumerated() {
            let colour = Self.colours[modelIndex % Self.colours.count]
            let points = front.front(of: model)
            if zRange == nil && points.count > 1 {
                // Two metrics: the front is a staircase, x increasing and y decreasing.
                var path: [(Double, Double)] = []
                for (index, point) in points.enumerated() {
                    if index > 0 { path.append((px(point.metrics[0]), py(points[index - 1].metrics[1]))) }
                    path.append((px(point.metrics[0]), py(point.metrics[1])))
                }
                svg.polyline(path, stroke: colour, width: 1.5)
            }
            for point in points {
                svg.circle(
                    cx: px(point.metrics[0]), cy: py(point.metrics[1]), r: radius(point, base: 4.5), fill: colour,
                    stroke: "#000000")
            }
            if points.count <= maxLabels {
                for point in points {
                    let text = labelKeys.compactMap { key, short in
                        point.record.values[key].map { "\(short)=\(PlotLabel.value($0))" }
                    }.joined(separator: " ")
                    if !text.isEmpty {
                        labels.append((text, px(point.metrics[0]), py(point.metrics[1])))
                    }
                }
            }
        }
        let markers = front.models.flatMap { front.front(of: $0) }.map { (px($0.metrics[0]), py($0.metrics[1])) }
        let plotArea = PlotLabelLayout.Box(x: m.left, y: m.top, width: plotWidth, height: plotHeight)
        for placed in PlotLabelLayout.place(labels, markers: markers, inside: plotArea) {
            if let leader = placed.leader {
                svg.line(x1: leader.x1, y1: leader.y1, x2: leader.x2, y2: leader.y2, stroke: "#999999")
            }
            svg.text(placed.text, x: placed.x, y: placed.y, size: PlotLabelLayout.fontSize, fill: "#222222")
        }

        // Legend: one entry per model, then the dominated points.
        let legendX = m.left + plotWidth + 24
        var legendY = m.top + 12
        for (modelIndex, model) in front.models.enumerated() {
            let colour = Self.colours[modelIndex % Self.colours.count]
            svg.circle(cx: legendX, cy: legendY - 4, r: 4.5, fill: colour, stroke: "#000000")
            svg.text("\(model): front (\(front.front(of: model).count))", x: legendX + 10, y: legendY, size: 11)
            legendY += 16
        }
        svg.circle(cx: legendX, cy: legendY - 4, r: 2.5, fill: "#777777", opacity: 0.3)
        svg.text("dominated", x: legendX + 10, y: legendY, size: 11)
        return svg.finished()
    }

    /// The varied keys with the short names labels use: the last part of the key path, or the
    /// last two when the last part alone is ambiguous.
    static func labelKeys(_ front: ParetoFront) -> [(key: String, short: String)] {
        var keys: [String] = []
        for model in front.models {
            for point in front.points[model] ?? [] {
                for key in point.record.values.keys where !keys.contains(key) { keys.append(key) }
            }
        }
        let lastParts = keys.map { $0.split(separator: ".").last.map(String.init) ?? $0 }
        return zip(keys, lastParts).map { key, last in
            if lastParts.filter({ $0 == last }).count == 1 { return (key, last) }
            return (key, key.split(separator: ".").suffix(2).joined(separator: "."))
        }
    }
}

/// Text of a varied value in a point label.
enum PlotLabel {
    static func value(_ value: JSONValue) -> String {
        if case .string(let string) = value { return string }
        return SweepValueIdentity.text(value)
    }
}
