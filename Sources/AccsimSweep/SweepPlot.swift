import AccsimJSON
import AccsimPlot
import Foundation

/// One axis or colour of a sweep plot: a metric of the rows (anything ``ParetoMetric`` reads) or
/// a varied config key, given as `values.KEY` or as the bare key (`array.rows`).
public struct SweepPlotKey: Sendable, Hashable {
    /// The name as given.
    public var name: String
    /// The metric that reads it.
    public var metric: ParetoMetric

    /// `name` resolved against `records`: a metric, else a varied key some row has.
    public init(_ name: String, records: [SweepRecord]) throws(SweepError) {
        self.name = name
        if let metric = try? ParetoMetric(name) {
            self.metric = metric
        } else if records.contains(where: { $0.values[name] != nil }) {
            self.metric = try ParetoMetric("values." + name)
        } else {
            let varied = Self.variedKeys(records)
            throw SweepError(
                "unknown plot key '\(name)': not a metric and not a varied key of these rows"
                    + (varied.isEmpty ? "" : " (varied: \(varied.joined(separator: ", ")))"))
        }
    }

    /// The axis title.
    public var label: String {
        metric.key.hasPrefix("values.") ? String(metric.key.dropFirst(7)) : metric.label
    }

    /// The row's value as a number (nil when it has none or it is not a number).
    func number(_ record: SweepRecord) -> Double? { metric.value(in: record) }

    /// The row's value as JSON (for categorical colours): a varied value or a field.
    func json(_ record: SweepRecord) -> JSONValue? {
        metric.key.hasPrefix("values.") ? record.values[String(metric.key.dropFirst(7))] : record.fields[metric.key]
    }

    /// The varied keys of `records`, in order of first appearance.
    static func variedKeys(_ records: [SweepRecord]) -> [String] {
        var keys: [String] = []
        for record in records { for key in record.values.keys where !keys.contains(key) { keys.append(key) } }
        return keys
    }
}

/// A scatter plot of sweep rows: any two keys, the Pareto front (both minimised) highlighted and
/// joined as a staircase and labelled with its varied values, points coloured by a third key
/// (a colour ramp for numbers, a palette for text) or by model, and the invalid rows listed
/// under the plot. Drawn with the same writer, axes and label layout as ``ParetoPlot``; the same
/// rows and options always give the same bytes.
public struct SweepScatterPlot: Sendable {
    public var records: [SweepRecord]
    public var x: SweepPlotKey
    public var y: SweepPlotKey
    public var color: SweepPlotKey?
    public var logX: Bool
    public var logY: Bool
    /// At most this many invalid rows are listed by name (the rest are counted).
    public var maxListed: Int

    public init(
        records: [SweepRecord], x: SweepPlotKey, y: SweepPlotKey, color: SweepPlotKey? = nil, logX: Bool = false,
        logY: Bool = false, maxListed: Int = 12
    ) {
        self.records = records
        self.x = x
        self.y = y
        self.color = color
        self.logX = logX
        self.logY = logY
        self.maxListed = maxListed
    }

    static let width = 900.0
    static let plotHeight = 412.0
    static let margin = (left: 92.0, right: 200.0, top: 64.0, bottom: 64.0)

    /// The SVG document.
    public func svg() throws(SweepError) -> String {
        let front = ParetoFront(records: records, metrics: [x.metric, y.metric])
        let points = front.models.flatMap { front.points[$0] ?? [] }
        guard !points.isEmpty else {
            throw SweepError("nothing to plot: no valid row has both \(x.name) and \(y.name)")
        }
        if logX, points.contains(where: { $0.metrics[0] <= 0 }) {
            throw SweepError("--log x needs positive \(x.name) values")
        }
        if logY, points.contains(where: { $0.metrics[1] <= 0 }) {
            throw SweepError("--log y needs positive \(y.name) values")
        }
        let left = SweepPlotText.leftOut(records, keys: [x, y])
        let m = Self.margin
        let listed = min(left.count, maxListed) + (left.count > maxListed ? 1 : 0)
        let height = m.top + Self.plotHeight + m.bottom + (left.isEmpty ? 0 : 22 + Double(listed) * 14)
        let plotWidth = Self.width - m.left - m.right
        let xAxis = PlotAxis(values: points.map { $0.metrics[0] }, isLog: logX)
        let yAxis = PlotAxis(values: points.map { $0.metrics[1] }, isLog: logY)
        func px(_ v: Double) -> Double { m.left + xAxis.fraction(v) * plotWidth }
        func py(_ v: Double) -> Double { m.top + (1 - yAxis.fraction(v)) * Self.plotHeight }

        var svg = SVGWriter(width: Self.width, height: height)
        svg.rect(x: 0, y: 0, width: Self.width, height: height, fill: "#ffffff")
        svg.text("\(y.label) vs \(x.label)", x: m.left, y: 26, size: 16, weight: "bold")
        let frontCount = front.models.reduce(0) { $0 + front.front(of: $1).count }
        var subtitle = "\(points.count) points, \(frontCount) on the Pareto front (minimising both)"
        if !left.isEmpty { subtitle += "; \(left.count) left out (listed below)" }
        svg.text(subtitle, x: m.left, y: 46, size: 12, fill: "#555555")
        SweepPlotText.axes(
            &svg, x: xAxis, y: yAxis, px: px, py: py, area: (m.left, m.top, plotWidth, Self.plotHeight),
            xTitle: x.label + (logX ? " (log)" : ""), yTitle: y.label + (logY ? " (log)" : ""))

        let colouring = Colouring(color: color, points: points.map(\.record), models: front.models)
        for point in points where !point.isOnFront {
            svg.circle(
                cx: px(point.metrics[0]), cy: py(point.metrics[1]), r: 3.5, fill: colouring.colour(point.record),
                opacity: 0.55, classes: "point", title: SweepPlotText.title(point.record, x: x, y: y, color: color))
        }
        var labels: [(text: String, x: Double, y: Double)] = []
        var markers: [(Double, Double)] = []
        let labelKeys = ParetoPlot.labelKeys(front)
        for model in front.models {
            let onFront = front.front(of: model)
            if onFront.count > 1 {
                var path: [(Double, Double)] = []
                for (index, point) in onFront.enumerated() {
                    if index > 0 { path.append((px(point.metrics[0]), py(onFront[index - 1].metrics[1]))) }
                    path.append((px(point.metrics[0]), py(point.metrics[1])))
                }
                svg.polyline(path, stroke: "#000000", width: 1.2, dash: "4 3", classes: "front")
            }
            for point in onFront {
                let cx = px(point.metrics[0])
                let cy = py(point.metrics[1])
                svg.circle(
                    cx: cx, cy: cy, r: 5, fill: colouring.colour(point.record), stroke: "#000000",
                    classes: "point front-point", title: SweepPlotText.title(point.record, x: x, y: y, color: color))
                markers.append((cx, cy))
                let text = labelKeys.compactMap { key, short in
                    point.record.values[key].map { "\(short)=\(PlotLabel.value($0))" }
                }.joined(separator: " ")
                if !text.isEmpty && onFront.count <= 16 { labels.append((text, cx, cy)) }
            }
        }
        let area = PlotLabelLayout.Box(x: m.left, y: m.top, width: plotWidth, height: Self.plotHeight)
        for placed in PlotLabelLayout.place(labels, markers: markers, inside: area) {
            if let leader = placed.leader {
                svg.line(x1: leader.x1, y1: leader.y1, x2: leader.x2, y2: leader.y2, stroke: "#999999")
            }
            svg.text(placed.text, x: placed.x, y: placed.y, size: PlotLabelLayout.fontSize, fill: "#222222")
        }
        colouring.legend(&svg, x: m.left + plotWidth + 24, y: m.top + 12)
        SweepPlotText.leftOutList(&svg, left, max: maxListed, x: m.left, y: m.top + Self.plotHeight + m.bottom + 8)
        return svg.finished()
    }
}

/// A heat map of one metric over two varied keys: one cell per pair of values (sorted), coloured
/// on a ramp with its value written in it; when other keys vary too, a cell shows the smallest
/// value over them. Cells with no valid row are grey and marked `invalid`.
public struct SweepHeatMap: Sendable {
    public var records: [SweepRecord]
    public var x: SweepPlotKey
    public var y: SweepPlotKey
    public var metric: SweepPlotKey
    public var maxListed: Int

    public init(records: [SweepRecord], x: SweepPlotKey, y: SweepPlotKey, metric: SweepPlotKey, maxListed: Int = 12) {
        self.records = records
        self.x = x
        self.y = y
        self.metric = metric
        self.maxListed = maxListed
    }

    /// The cells: the distinct x and y values (numbers ascending, then text) and each cell's
    /// smallest metric value and row count.
    public struct Grid: Sendable, Hashable {
        public var xs: [JSONValue]
        public var ys: [JSONValue]
        /// `values[yIndex][xIndex]`: nil when no valid row has the metric there.
        public var values: [[Double?]]
        /// Valid rows per cell.
        public var counts: [[Int]]
    }

    /// The grid of `records`.
    public func grid() throws(SweepError) -> Grid {
        let withBoth = records.filter { x.json($0) != nil && y.json($0) != nil }
        guard !withBoth.isEmpty else { throw SweepError("nothing to plot: no row has both \(x.name) and \(y.name)") }
        let xs = Self.sortedDistinct(withBoth.compactMap { x.json($0) })
        let ys = Self.sortedDistinct(withBoth.compactMap { y.json($0) })
        var values = [[Double?]](repeating: [Double?](repeating: nil, count: xs.count), count: ys.count)
        var counts = [[Int]](repeating: [Int](repeating: 0, count: xs.count), count: ys.count)
        for record in withBoth where record.isOK {
            guard let value = metric.number(record), value.isFinite,
                let column = xs.firstIndex(of: x.json(record)!), let row = ys.firstIndex(of: y.json(record)!)
            else { continue }
            values[row][column] = min(values[row][column] ?? value, value)
            counts[row][column] += 1
        }
        return Grid(xs: xs, ys: ys, values: values, counts: counts)
    }

    /// The SVG document.
    public func svg() throws(SweepError) -> String {
        let grid = try grid()
        let finite = grid.values.flatMap { $0.compactMap { $0 } }
        guard let low = finite.min(), let high = finite.max() else {
            throw SweepError("nothing to plot: no valid row has \(metric.name)")
        }
        let left = SweepPlotText.leftOut(records, keys: [x, y, metric])
        let xTexts = grid.xs.map(PlotLabel.value)
        let yTexts = grid.ys.map(PlotLabel.value)
        let m = (left: max(92.0, Double(yTexts.map(\.count).max() ?? 0) * 6.6 + 40), right: 150.0, top: 64.0)
        let cellWidth = max(44.0, min(90.0, 640 / Double(grid.xs.count)))
        let cellHeight = max(22.0, min(48.0, 420 / Double(grid.ys.count)))
        let plotWidth = cellWidth * Double(grid.xs.count)
        let plotHeight = cellHeight * Double(grid.ys.count)
        // Column labels: horizontal when they fit their cell, else turned by 45°.
        let widest = Double(xTexts.map(\.count).max() ?? 0) * 6.6
        let turned = widest > cellWidth - 4
        let bottom = 56.0 + (turned ? widest * 0.71 : 0)
        let listed = min(left.count, maxListed) + (left.count > maxListed ? 1 : 0)
        let width = m.left + plotWidth + m.right
        let height = m.top + plotHeight + bottom + (left.isEmpty ? 0 : 22 + Double(listed) * 14)
        var svg = SVGWriter(width: max(width, 520), height: height)
        svg.rect(x: 0, y: 0, width: max(width, 520), height: height, fill: "#ffffff")
        svg.text("\(metric.label) over \(x.label) × \(y.label)", x: 20, y: 26, size: 16, weight: "bold")
        let others = SweepPlotKey.variedKeys(records).filter { $0 != x.label && $0 != y.label }
        var subtitle = "\(grid.xs.count) × \(grid.ys.count) cells"
        if !others.isEmpty { subtitle += "; each the smallest over \(others.joined(separator: ", "))" }
        svg.text(subtitle, x: 20, y: 46, size: 12, fill: "#555555")
        let ramp = ColourRamp(low: low, high: high)
        for (row, rowValues) in grid.values.enumerated() {
            // The first y value at the bottom, as on a plot's axis.
            let cy = m.top + plotHeight - Double(row + 1) * cellHeight
            for (column, value) in rowValues.enumerated() {
                let cx = m.left + Double(column) * cellWidth
                let place = "\(x.label)=\(xTexts[column]), \(y.label)=\(yTexts[row])"
                if let value {
                    svg.rect(
                        x: cx, y: cy, width: cellWidth, height: cellHeight, fill: ramp.colour(value), stroke: "#ffffff",
                        classes: "cell", title: "\(place): \(metric.label) \(SweepPlotText.number(value))")
                    svg.text(
                        PlotAxis.label(value), x: cx + cellWidth / 2, y: cy + cellHeight / 2 + 4, size: 10,
                        anchor: "middle", fill: ramp.isDark(value) ? "#ffffff" : "#000000")
                } else {
                    svg.rect(
                        x: cx, y: cy, width: cellWidth, height: cellHeight, fill: "#dddddd", stroke: "#ffffff",
                        classes: "cell invalid", title: "\(place): no valid row")
                    svg.text(
                        "invalid", x: cx + cellWidth / 2, y: cy + cellHeight / 2 + 4, size: 9, anchor: "middle",
                        fill: "#777777")
                }
            }
            svg.text(yTexts[row], x: m.left - 8, y: cy + cellHeight / 2 + 4, size: 11, anchor: "end")
        }
        for (column, text) in xTexts.enumerated() {
            let cx = m.left + (Double(column) + 0.5) * cellWidth
            let ty = m.top + plotHeight + 16
            if turned {
                svg.text(text, x: cx, y: ty, size: 11, anchor: "end", rotate: -45)
            } else {
                svg.text(text, x: cx, y: ty, size: 11, anchor: "middle")
            }
        }
        svg.text(x.label, x: m.left + plotWidth / 2, y: m.top + plotHeight + bottom - 14, size: 13, anchor: "middle")
        svg.text(y.label, x: 18, y: m.top + plotHeight / 2, size: 13, anchor: "middle", rotate: -90)
        ramp.bar(&svg, x: m.left + plotWidth + 30, y: m.top, height: min(plotHeight, 240), title: metric.label)
        SweepPlotText.leftOutList(&svg, left, max: maxListed, x: 20, y: m.top + plotHeight + bottom + 8)
        return svg.finished()
    }

    /// Distinct values, numbers ascending first, then the rest in order of appearance.
    static func sortedDistinct(_ values: [JSONValue]) -> [JSONValue] {
        var distinct: [JSONValue] = []
        for value in values where !distinct.contains(value) { distinct.append(value) }
        let numbers = distinct.filter { $0.doubleValue != nil }.sorted { $0.doubleValue! < $1.doubleValue! }
        return numbers + distinct.filter { $0.doubleValue == nil }
    }
}

/// A colour ramp from pale yellow (low) through green and blue to dark purple (high), with a
/// labelled bar for the legend; logarithmic when the values are positive and span two decades.
struct ColourRamp {
    var low: Double
    var high: Double
    var isLog: Bool

    init(low: Double, high: Double) {
        self.low = low
        self.high = high
        isLog = low > 0 && high / low >= 100
    }
    static let stops: [(Double, Double, Double)] = [
        (253, 231, 37), (94, 201, 98), (33, 145, 140), (59, 82, 139), (68, 1, 84),
    ]

    func position(_ value: Double) -> Double {
        guard high > low else { return 0.5 }
        if isLog { return (log10(max(value, low)) - log10(low)) / (log10(high) - log10(low)) }
        return (value - low) / (high - low)
    }

    func colour(_ value: Double) -> String {
        let t = min(max(position(value), 0), 1) * Double(Self.stops.count - 1)
        let index = min(Int(t), Self.stops.count - 2)
        let f = t - Double(index)
        let (a, b) = (Self.stops[index], Self.stops[index + 1])
        func channel(_ u: Double, _ v: Double) -> String {
            let c = Int((u + (v - u) * f).rounded())
            let text = String(c, radix: 16)
            return text.count == 1 ? "0" + text : text
        }
        return "#" + channel(a.0, b.0) + channel(a.1, b.1) + channel(a.2, b.2)
    }

    /// Whether white text reads better on the value's colour.
    func isDark(_ value: Double) -> Bool { position(value) > 0.55 }

    func bar(_ svg: inout SVGWriter, x: Double, y: Double, height: Double, title: String) {
        svg.text(title, x: x, y: y - 8, size: 11)
        let steps = 24
        for step in 0..<steps {
            let t = 1 - Double(step) / Double(steps - 1)
            let value = isLog ? low * pow(high / low, t) : low + (high - low) * t
            svg.rect(
                x: x, y: y + Double(step) * height / Double(steps), width: 16, height: height / Double(steps) + 0.5,
                fill: colour(value))
        }
        svg.text(PlotAxis.label(high), x: x + 22, y: y + 9, size: 10)
        svg.text(PlotAxis.label(low), x: x + 22, y: y + height, size: 10)
        if isLog { svg.text("(log)", x: x + 22, y: y + height / 2 + 4, size: 10, fill: "#555555") }
    }
}

/// How scatter points are coloured: by a numeric key (ramp), a text key (palette) or the model.
private struct Colouring {
    var key: SweepPlotKey?
    var ramp: ColourRamp?
    var categories: [String]

    init(color: SweepPlotKey?, points: [SweepRecord], models: [String]) {
        key = color
        categories = models
        ramp = nil
        guard let color else { return }
        let numbers = points.compactMap { color.number($0) }
        if numbers.count == points.count, let low = numbers.min(), let high = numbers.max() {
            ramp = ColourRamp(low: low, high: high)
        } else {
            var seen: [String] = []
            for point in points {
                let text = color.json(point).map(PlotLabel.value) ?? "–"
                if !seen.contains(text) { seen.append(text) }
            }
            categories = seen
        }
    }

    func colour(_ record: SweepRecord) -> String {
        if let ramp, let key, let value = key.number(record) { return ramp.colour(value) }
        let text = key.map { $0.json(record).map(PlotLabel.value) ?? "–" } ?? record.model
        let index = categories.firstIndex(of: text) ?? 0
        return ParetoPlot.colours[index % ParetoPlot.colours.count]
    }

    func legend(_ svg: inout SVGWriter, x: Double, y: Double) {
        if let ramp, let key {
            ramp.bar(&svg, x: x, y: y + 10, height: 200, title: "colour: \(key.label)")
            return
        }
        var cursor = y
        if let key {
            svg.text("colour: \(key.label)", x: x - 6, y: cursor, size: 11)
            cursor += 16
        }
        for (index, category) in categories.prefix(12).enumerated() {
            svg.circle(cx: x, cy: cursor - 4, r: 4.5, fill: ParetoPlot.colours[index % ParetoPlot.colours.count])
            svg.text(category, x: x + 10, y: cursor, size: 11)
            cursor += 16
        }
        svg.circle(cx: x, cy: cursor - 4, r: 5, fill: "#ffffff", stroke: "#000000")
        svg.text("on the Pareto front", x: x + 10, y: cursor, size: 11)
    }
}

/// Text shared by the sweep plots: axes, tooltips, the list of rows left out.
enum SweepPlotText {
    /// Rows not drawn: invalid ones (with their reason) and valid ones without a key.
    static func leftOut(_ records: [SweepRecord], keys: [SweepPlotKey]) -> [String] {
        records.compactMap { record in
            let name = record.index.map { "#\($0)" } ?? record.id
            let values = SweepPlotText.values(record)
            if !record.isOK {
                let reason = record.fields["error"]?.stringValue ?? record.fields["status"]?.stringValue ?? "invalid"
                return "\(name) \(values): \(reason)"
            }
            let missing = keys.filter { $0.number(record) == nil && $0.json(record) == nil }.map(\.name)
            return missing.isEmpty ? nil : "\(name) \(values): no \(missing.joined(separator: ", "))"
        }
    }

    static func values(_ record: SweepRecord) -> String {
        record.values.members.map { "\($0.key)=\(PlotLabel.value($0.value))" }.joined(separator: " ")
    }

    static func title(_ record: SweepRecord, x: SweepPlotKey, y: SweepPlotKey, color: SweepPlotKey?) -> String {
        var parts = [values(record)]
        for key in [x, y] + (color.map { [$0] } ?? []) {
            if let value = key.number(record) { parts.append("\(key.label) \(number(value))") }
        }
        return parts.filter { !$0.isEmpty }.joined(separator: "; ")
    }

    /// An integer as such, anything else to six significant digits.
    static func number(_ value: Double) -> String {
        if value.rounded() == value && abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.6g", value)
    }

    static func axes(
        _ svg: inout SVGWriter, x: PlotAxis, y: PlotAxis, px: (Double) -> Double, py: (Double) -> Double,
        area: (left: Double, top: Double, width: Double, height: Double), xTitle: String, yTitle: String
    ) {
        let bottom = area.top + area.height
        // Tick labels that would touch their neighbour are skipped (every second, then every third…).
        let xTicks = x.ticks
        let labelWidth = xTicks.map { Double(PlotAxis.label($0).count) * 6.2 }.max() ?? 0
        var stride = 1
        while stride < xTicks.count,
            zip(xTicks, xTicks.dropFirst(stride)).contains(where: { px($1) - px($0) < labelWidth + 6 })
        {
            stride += 1
        }
        for (index, tick) in xTicks.enumerated() {
            svg.line(x1: px(tick), y1: area.top, x2: px(tick), y2: bottom, stroke: "#e6e6e6")
            svg.line(x1: px(tick), y1: bottom, x2: px(tick), y2: bottom + 5, stroke: "#333333")
            if index % stride == 0 {
                svg.text(PlotAxis.label(tick), x: px(tick), y: bottom + 19, size: 11, anchor: "middle")
            }
        }
        let yTicks = y.ticks
        var yStride = 1
        while yStride < yTicks.count,
            zip(yTicks, yTicks.dropFirst(yStride)).contains(where: { abs(py($1) - py($0)) < 13 })
        {
            yStride += 1
        }
        for (index, tick) in yTicks.enumerated() {
            svg.line(x1: area.left, y1: py(tick), x2: area.left + area.width, y2: py(tick), stroke: "#e6e6e6")
            svg.line(x1: area.left - 5, y1: py(tick), x2: area.left, y2: py(tick), stroke: "#333333")
            if index % yStride == 0 {
                svg.text(PlotAxis.label(tick), x: area.left - 8, y: py(tick) + 4, size: 11, anchor: "end")
            }
        }
        svg.rect(x: area.left, y: area.top, width: area.width, height: area.height, fill: "none", stroke: "#333333")
        svg.text(xTitle, x: area.left + area.width / 2, y: bottom + 44, size: 13, anchor: "middle")
        svg.text(yTitle, x: 22, y: area.top + area.height / 2, size: 13, anchor: "middle", rotate: -90)
    }

    static func leftOutList(_ svg: inout SVGWriter, _ lines: [String], max: Int, x: Double, y: Double) {
        guard !lines.isEmpty else { return }
        svg.text("Left out (\(lines.count)):", x: x, y: y + 6, size: 12, weight: "bold")
        var cursor = y + 22
        for line in lines.prefix(max) {
            let shown = line.count > 150 ? String(line.prefix(149)) + "…" : line
            svg.text(shown, x: x, y: cursor, size: 10, fill: "#444444")
            cursor += 14
        }
        if lines.count > max { svg.text("… and \(lines.count - max) more", x: x, y: cursor, size: 10, fill: "#444444") }
    }
}
