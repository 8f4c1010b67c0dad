import AccsimPlot
import Foundation

/// The SVG charts of the HTML report, drawn from ``HTMLReportData`` with the shared plot writer.
/// Every chart has a fixed width and scales down with the page (CSS), so it prints on A4.
enum HTMLReportCharts {
    static let width = 1000.0
    /// Height of one layer's row in the per-layer charts: 100 layers stay readable at 16 px.
    static let rowHeight = 16.0
    static let barHeight = 11.0
    /// Layer names longer than this are shortened in the charts (the full name is the tooltip and
    /// stands in the table).
    static let maxNameCharacters = 34
    static let segmentColours = ["#1f77b4", "#d62728", "#ff7f0e", "#9467bd", "#8c564b", "#7f7f7f", "#bcbd22"]

    /// `#3 conv1`, shortened with an ellipsis when too long.
    static func rowLabel(_ layer: HTMLReportData.Layer) -> String {
        var name = layer.name
        if name.count > maxNameCharacters { name = String(name.prefix(maxNameCharacters - 1)) + "…" }
        return "#\(layer.index ?? 0) \(name)"
    }

    /// The left margin that fits the longest row label.
    static func labelMargin(_ layers: [HTMLReportData.Layer]) -> Double {
        let longest = layers.map { rowLabel($0).count }.max() ?? 8
        return Double(longest) * PlotLabelLayout.characterWidth + 16
    }

    /// One horizontal stacked bar per layer: compute, each stall cause, prologue, epilogue.
    static func cycleBars(_ data: HTMLReportData) -> String {
        let layers = data.layers
        let left = labelMargin(layers)
        let right = 90.0
        let top = 52.0
        let bottom = 40.0
        let height = top + bottom + Double(max(layers.count, 1)) * rowHeight
        let plotWidth = width - left - right
        let axis = PlotAxis(values: [0] + layers.map { Double($0.totalCycles) }, isLog: false)
        func px(_ value: Double) -> Double { left + axis.fraction(value) * plotWidth }
        var svg = SVGWriter(width: width, height: height)
        legend(&svg, names: HTMLReportData.segmentNames, colours: segmentColours, x: left, y: 18)
        svg.text("cycles per inference", x: left + plotWidth / 2, y: height - 8, size: 12, anchor: "middle")
        grid(&svg, axis: axis, px: px, top: top, bottom: height - bottom)
        for (row, layer) in layers.enumerated() {
            let y = top + Double(row) * rowHeight
            svg.text(rowLabel(layer), x: left - 8, y: y + barHeight - 1, size: 10, anchor: "end")
            svg.beginGroup(classes: "layer-bar")
            var start = 0
            for (segment, cycles) in layer.segments.enumerated() where cycles > 0 {
                let x0 = px(Double(start))
                let x1 = px(Double(start + cycles))
                svg.rect(
                    x: x0, y: y, width: max(x1 - x0, 0.5), height: barHeight, fill: segmentColours[segment],
                    classes: "segment",
                    title: "\(layer.name): \(HTMLReportData.segmentNames[segment]) \(groupedDigits(cycles)) cycles")
                start += cycles
            }
            svg.endGroup()
            svg.text(
                groupedDigits(layer.totalCycles), x: px(Double(layer.totalCycles)) + 4, y: y + barHeight - 1, size: 10)
        }
        return svg.element(attributes: "class=\"chart cycles\" role=\"img\" aria-label=\"cycles per layer\"")
    }

    /// Utilization and mapping efficiency per layer, 0–100 %, as two thin bars per row.
    static func efficiencyBars(_ data: HTMLReportData) -> String {
        let layers = data.layers
        let left = labelMargin(layers)
        let right = 90.0
        let top = 52.0
        let bottom = 40.0
        let height = top + bottom + Double(max(layers.count, 1)) * rowHeight
        let plotWidth = width - left - right
        func px(_ fraction: Double) -> Double { left + fraction * plotWidth }
        let colours = ["#2ca02c", "#98df8a"]
        var svg = SVGWriter(width: width, height: height)
        legend(&svg, names: ["utilization", "mapping efficiency"], colours: colours, x: left, y: 18)
        svg.text("percent of the array's MAC slots", x: left + plotWidth / 2, y: height - 8, size: 12, anchor: "middle")
        for tick in stride(from: 0.0, through: 100.0, by: 10.0) {
            let x = px(tick / 100)
            svg.line(x1: x, y1: top, x2: x, y2: height - bottom, stroke: "#e6e6e6")
            svg.text(PlotAxis.label(tick) + "%", x: x, y: height - bottom + 14, size: 10, anchor: "middle")
        }
        for (row, layer) in layers.enumerated() {
            let y = top + Double(row) * rowHeight
            svg.text(rowLabel(layer), x: left - 8, y: y + barHeight - 1, size: 10, anchor: "end")
            svg.beginGroup(classes: "efficiency-bar")
            let half = barHeight / 2
            svg.rect(
                x: left, y: y, width: max(plotWidth * min(layer.utilization, 1), 0), height: half, fill: colours[0],
                classes: "utilization", title: "\(layer.name): utilization \(formatPercent(layer.utilization))")
            svg.rect(
                x: left, y: y + half, width: max(plotWidth * min(layer.mappingEfficiency, 1), 0), height: half,
                fill: colours[1], classes: "mapping-efficiency",
                title: "\(layer.name): mapping efficiency \(formatPercent(layer.mappingEfficiency))")
            svg.endGroup()
            let text = formatPercent(layer.utilization) + " / " + formatPercent(layer.mappingEfficiency)
            svg.text(
                text, x: px(max(layer.utilization, layer.mappingEfficiency, 0)) + 4, y: y + barHeight - 1, size: 10)
        }
        return svg.element(attributes: "class=\"chart efficiency\" role=\"img\" aria-label=\"utilization per layer\"")
    }

    /// The roofline of the configured hardware: MACs per cycle against MACs per DRAM byte, on
    /// log–log axes, with the compute roof (rows · cols) and the DRAM roof (bandwidth ×
    /// intensity), and one point per layer that has MACs and DRAM traffic.
    static func roofline(_ data: HTMLReportData) -> String {
        let height = 520.0
        let m = (left: 80.0, right: 30.0, top: 40.0, bottom: 56.0)
        let plotWidth = width - m.left - m.right
        let plotHeight = height - m.top - m.bottom
        let peak = data.peakMACsPerCycle
        let bandwidth = data.dramBytesPerCycle
        let ridge = peak / bandwidth
        let placed = data.layers.filter { $0.arithmeticIntensity != nil && $0.macsPerCycle != nil }
        let intensities = placed.compactMap(\.arithmeticIntensity)
        let rates = placed.compactMap(\.macsPerCycle)
        let xAxis = PlotAxis(values: intensities + [ridge / 2, ridge * 2], isLog: true)
        let yAxis = PlotAxis(values: rates + [peak], isLog: true)
        func px(_ x: Double) -> Double { m.left + xAxis.fraction(x) * plotWidth }
        func py(_ y: Double) -> Double { m.top + (1 - yAxis.fraction(y)) * plotHeight }
        var svg = SVGWriter(width: width, height: height)
        for tick in xAxis.ticks {
            svg.line(x1: px(tick), y1: m.top, x2: px(tick), y2: m.top + plotHeight, stroke: "#e6e6e6")
            svg.text(PlotAxis.label(tick), x: px(tick), y: m.top + plotHeight + 16, size: 11, anchor: "middle")
        }
        for tick in yAxis.ticks {
            svg.line(x1: m.left, y1: py(tick), x2: m.left + plotWidth, y2: py(tick), stroke: "#e6e6e6")
            svg.text(PlotAxis.label(tick), x: m.left - 6, y: py(tick) + 4, size: 11, anchor: "end")
        }
        svg.rect(x: m.left, y: m.top, width: plotWidth, height: plotHeight, fill: "none", stroke: "#333333")
        svg.text(
            "arithmetic intensity (MACs per DRAM byte, log)", x: m.left + plotWidth / 2, y: height - 14, size: 12,
            anchor: "middle")
        svg.text("MACs per cycle (log)", x: 20, y: m.top + plotHeight / 2, size: 12, anchor: "middle", rotate: -90)

        // The roof, clipped to the axes: bandwidth-bound left of the ridge, compute-bound right.
        let startX = max(xAxis.low, yAxis.low / bandwidth)
        var roof: [(Double, Double)] = []
        if startX < ridge { roof.append((px(startX), py(bandwidth * startX))) }
        roof.append((px(min(ridge, xAxis.high)), py(min(peak, bandwidth * xAxis.high))))
        if ridge < xAxis.high { roof.append((px(xAxis.high), py(peak))) }
        svg.polyline(roof, stroke: "#000000", width: 2, classes: "roof")
        let peakText = "compute roof: \(PlotAxis.label(peak)) MACs/cycle (\(data.rows)×\(data.cols))"
        svg.text(peakText, x: m.left + plotWidth - 6, y: py(peak) - 6, size: 11, anchor: "end")
        let ridgeText = "DRAM roof: \(PlotAxis.label(bandwidth)) B/cycle; ridge at \(PlotAxis.label(ridge)) MACs/B"
        svg.text(ridgeText, x: m.left + 8, y: m.top + 16, size: 11, fill: "#444444")

        var labels: [(text: String, x: Double, y: Double)] = []
        var markers: [(Double, Double)] = []
        for layer in placed {
            guard let x = layer.arithmeticIntensity, let y = layer.macsPerCycle else { continue }
            let bound = x < ridge ? "memory-bound side" : "compute-bound side"
            let title =
                "\(layer.name): \(formatFixed(x, digits: 2)) MACs/B, \(formatFixed(y, digits: 2)) MACs/cycle (\(bound))"
            svg.circle(
                cx: px(x), cy: py(y), r: 4, fill: x < ridge ? "#d62728" : "#1f77b4", stroke: "#000000",
                opacity: 0.8, classes: "roofline-point", title: title)
            markers.append((px(x), py(y)))
            labels.append((layer.name, px(x), py(y)))
        }
        let area = PlotLabelLayout.Box(x: m.left, y: m.top, width: plotWidth, height: plotHeight)
        for label in PlotLabelLayout.place(labels, markers: markers, inside: area) {
            if let leader = label.leader {
                svg.line(x1: leader.x1, y1: leader.y1, x2: leader.x2, y2: leader.y2, stroke: "#aaaaaa")
            }
            svg.text(label.text, x: label.x, y: label.y, size: PlotLabelLayout.fontSize, fill: "#222222")
        }
        return svg.element(attributes: "class=\"chart roofline\" role=\"img\" aria-label=\"roofline\"")
    }

    /// Bytes per buffer over the whole inference: SRAM reads and writes, DRAM reads by kind and
    /// writes, one bar each with its value.
    static func traffic(_ data: HTMLReportData) -> String {
        let names = HTMLReportData.sramColumns.map { "SRAM " + $0 } + HTMLReportData.dramColumns.map { "DRAM " + $0 }
        let values = data.totals.sram + data.totals.dram
        let left = 150.0
        let right = 110.0
        let top = 16.0
        let bottom = 40.0
        let height = top + bottom + Double(names.count) * 20
        let plotWidth = width - left - right
        let axis = PlotAxis(values: [0] + values.map(Double.init), isLog: false)
        func px(_ value: Double) -> Double { left + axis.fraction(value) * plotWidth }
        var svg = SVGWriter(width: width, height: height)
        grid(&svg, axis: axis, px: px, top: top, bottom: height - bottom)
        svg.text("bytes per inference", x: left + plotWidth / 2, y: height - 8, size: 12, anchor: "middle")
        for (row, (name, value)) in zip(names, values).enumerated() {
            let y = top + Double(row) * 20
            svg.text(name, x: left - 8, y: y + 12, size: 11, anchor: "end")
            let colour = name.hasPrefix("SRAM") ? "#17becf" : "#e377c2"
            svg.rect(
                x: left, y: y + 2, width: max(px(Double(value)) - left, 0), height: 13, fill: colour,
                classes: "traffic-bar", title: "\(name): \(groupedDigits(value)) B")
            svg.text(groupedDigits(value) + " B", x: px(Double(value)) + 4, y: y + 12, size: 10)
        }
        return svg.element(attributes: "class=\"chart traffic\" role=\"img\" aria-label=\"traffic per buffer\"")
    }

    /// Vertical grid lines with tick labels at the bottom of a horizontal-bar chart.
    private static func grid(
        _ svg: inout SVGWriter, axis: PlotAxis, px: (Double) -> Double, top: Double, bottom: Double
    ) {
        for tick in axis.ticks where tick >= 0 {
            let x = px(tick)
            svg.line(x1: x, y1: top, x2: x, y2: bottom, stroke: "#e6e6e6")
            svg.text(PlotAxis.label(tick), x: x, y: bottom + 14, size: 10, anchor: "middle")
        }
    }

    /// A one-line legend of coloured squares.
    private static func legend(_ svg: inout SVGWriter, names: [String], colours: [String], x: Double, y: Double) {
        var cursor = x
        for (name, colour) in zip(names, colours) {
            svg.rect(x: cursor, y: y - 9, width: 10, height: 10, fill: colour)
            svg.text(name, x: cursor + 14, y: y, size: 11)
            cursor += 14 + Double(name.count) * 6.2 + 14
        }
    }
}
