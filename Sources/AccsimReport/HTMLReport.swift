import AccsimJSON
import AccsimPlot
import Foundation

/// A self-contained HTML page of one run: inline CSS and SVG, a few lines of inline JavaScript
/// that sort the table (the page reads fully without it), no network access. It shows the
/// per-layer cycle breakdown, utilization and mapping efficiency, a roofline of the configured
/// hardware, traffic per buffer, each layer's mapping when the report has one, a sortable table
/// and the resolved config with its hash. The same report always gives the same bytes.
public struct HTMLReport: Sendable {
    /// What the page shows.
    public var data: HTMLReportData

    /// A page of `data`.
    public init(data: HTMLReportData) {
        self.data = data
    }

    /// A page of a run report's JSON; `file` names it in errors.
    public init(json: JSONValue, file: String) throws(ReportError) {
        data = try HTMLReportData(json: json, file: file)
    }

    /// The page.
    public func render() -> String {
        let d = data
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>accsim: \(Self.escape(d.modelName)) on \(Self.escape(d.hardwareName))</title>
            <style>\(Self.css)</style>
            </head>
            <body>
            <h1>\(Self.escape(d.modelName)) on \(Self.escape(d.hardwareName))</h1>

            """
        html += summary()
        html += section(
            "cycles", "Cycles per layer",
            "Stacked: compute, stalls by cause, DMA prologue and epilogue (total = their sum).",
            HTMLReportCharts.cycleBars(d))
        html += section(
            "efficiency", "Utilization and mapping efficiency",
            "Utilization = MACs / (PEs · total cycles); mapping efficiency = MACs / (PEs · streamed fold cycles).",
            HTMLReportCharts.efficiencyBars(d))
        html += roofline()
        html += section(
            "traffic", "Traffic per buffer", "Bytes moved in one inference, summed over the layers.",
            HTMLReportCharts.traffic(d))
        html += mappings()
        html += table()
        html += config()
        html += "<footer>accsim \(Self.escape(d.accsimVersion)); report of \(Self.escape(d.modelFile))</footer>\n"
        html += "<script>\(Self.sortScript)</script>\n</body>\n</html>\n"
        return html
    }

    private func summary() -> String {
        let d = data
        let t = d.totals
        var items: [(String, String)] = [
            ("model", "\(d.modelName) (\(d.modelFile))"),
            (
                "hardware",
                "\(d.hardwareName) (\(d.hardwareFile)): \(d.rows)×\(d.cols) \(d.dataflow), \(SVGWriter.number(d.clockMHz)) MHz"
            ),
            ("config hash", d.configHash),
            ("samples", "\(d.samples) (\(d.inputSource))"),
            (
                "cycles per inference",
                "\(groupedDigits(t.totalCycles)) = \(formatFixed(t.latencyMicroseconds, digits: 2)) µs"
            ),
            ("MACs", groupedDigits(t.macs)),
            ("utilization", formatPercent(t.utilization)),
            ("mapping efficiency", formatPercent(t.mappingEfficiency)),
            ("DRAM", "read \(groupedDigits(t.dramReadBytes)) B, written \(groupedDigits(t.dramWriteBytes)) B"),
        ]
        if let accuracy = d.accuracy {
            let top1 = accuracy.total == 0 ? 0 : Double(accuracy.correct) / Double(accuracy.total)
            items.append(("top-1", "\(accuracy.correct)/\(accuracy.total) = \(formatPercent(top1))"))
        }
        var html = "<dl class=\"summary\">\n"
        for (key, value) in items {
            html += "<dt>\(Self.escape(key))</dt><dd>\(Self.escape(value))</dd>\n"
        }
        return html + "</dl>\n"
    }

    private func section(_ id: String, _ title: String, _ note: String, _ body: String) -> String {
        "<section id=\"\(id)\">\n<h2>\(Self.escape(title))</h2>\n<p class=\"note\">\(Self.escape(note))</p>\n\(body)</section>\n"
    }

    private func roofline() -> String {
        let d = data
        let left = d.layers.filter { $0.arithmeticIntensity == nil || $0.macsPerCycle == nil }
        var note =
            "Peak \(PlotAxis.label(d.peakMACsPerCycle)) MACs/cycle, DRAM \(PlotAxis.label(d.dramBytesPerCycle)) B/cycle. "
        note += "Each layer at its MACs per DRAM byte and its achieved MACs per cycle; red: left of the ridge."
        var html = section("roofline", "Roofline", note, HTMLReportCharts.roofline(d))
        if !left.isEmpty {
            let names = left.map { "#\($0.index ?? 0) \($0.name)" }.joined(separator: ", ")
            html = html.replacingLast(
                "</section>\n",
                with:
                    "<p class=\"note\">Not on the roofline (no MACs or no DRAM traffic): \(Self.escape(names)).</p>\n</section>\n"
            )
        }
        return html
    }

    private func mappings() -> String {
        let mapped = data.layers.filter { $0.mapping != nil }
        guard !mapped.isEmpty else { return "" }
        var html = "<section id=\"mapping\">\n<h2>Mapping per layer</h2>\n<table class=\"mapping\">\n"
        html += "<thead><tr><th>#</th><th>layer</th><th>mapping</th></tr></thead>\n<tbody>\n"
        for layer in mapped {
            let text =
                layer.mapping.map(Self.flatten).map { $0.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") } ?? ""
            html +=
                "<tr><td>\(layer.index ?? 0)</td><td>\(Self.escape(layer.name))</td><td class=\"mono\">\(Self.escape(text))</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n</section>\n"
    }

    /// The table's columns: header, whether numeric, and each layer's cell text and sort value.
    private var columns: [(header: String, cell: (HTMLReportData.Layer) -> (text: String, sort: String))] {
        func int(_ value: Int) -> (String, String) { (groupedDigits(value), String(value)) }
        func percent(_ value: Double) -> (String, String) { (formatPercent(value), SVGWriter.number(value * 1e4)) }
        var columns: [(String, (HTMLReportData.Layer) -> (text: String, sort: String))] = [
            ("#", { ($0.index.map(String.init) ?? "", $0.index.map(String.init) ?? "") }),
            ("layer", { ($0.name, $0.name) }),
            ("op", { ($0.op, $0.op) }),
            ("MACs", { int($0.macs) }),
            ("cycles", { int($0.totalCycles) }),
        ]
        for (index, name) in HTMLReportData.segmentNames.enumerated() {
            columns.append((name, { int($0.segments[index]) }))
        }
        columns += [
            ("util", { percent($0.utilization) }),
            ("map eff", { percent($0.mappingEfficiency) }),
            (
                "MACs/DRAM B",
                { layer in
                    layer.arithmeticIntensity.map { (formatFixed($0, digits: 2), SVGWriter.number($0)) } ?? ("–", "-1")
                }
            ),
        ]
        for (index, name) in HTMLReportData.sramColumns.enumerated() {
            columns.append(("SRAM " + name + " B", { int($0.sram[index]) }))
        }
        for (index, name) in HTMLReportData.dramColumns.enumerated() {
            columns.append(("DRAM " + name + " B", { int($0.dram[index]) }))
        }
        columns.append(
            (
                "latency µs",
                { (formatFixed($0.latencyMicroseconds, digits: 3), SVGWriter.number($0.latencyMicroseconds * 1000)) }
            ))
        return columns
    }

    private func table() -> String {
        let columns = self.columns
        var html = "<section id=\"layers\">\n<h2>Layers</h2>\n<p class=\"note\">Click a column header to sort.</p>\n"
        html += "<div class=\"scroll\"><table class=\"layers sortable\">\n<thead><tr>"
        for (index, column) in columns.enumerated() {
            let kind = index == 1 || index == 2 ? "text" : "number"
            html += "<th data-kind=\"\(kind)\">\(Self.escape(column.header))</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for layer in data.layers {
            html += "<tr>"
            for column in columns {
                let cell = column.cell(layer)
                html += "<td data-sort=\"\(Self.escape(cell.sort))\">\(Self.escape(cell.text))</td>"
            }
            html += "</tr>\n"
        }
        html += "</tbody>\n<tfoot><tr>"
        for column in columns { html += "<td>\(Self.escape(column.cell(data.totals).text))</td>" }
        return html + "</tr></tfoot>\n</table></div>\n</section>\n"
    }

    private func config() -> String {
        let text =
            (try? JSONWriter(style: .pretty).serialize(data.config)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return """
            <section id="config">
            <h2>Resolved hardware config</h2>
            <p>config hash <code class="hash">\(Self.escape(data.configHash))</code></p>
            <pre>\(Self.escape(text))</pre>
            </section>

            """
    }

    /// A mapping as `key=value` pairs, nested objects flattened with dots, in the JSON's order.
    static func flatten(_ value: JSONValue) -> [(key: String, value: String)] {
        var pairs: [(key: String, value: String)] = []
        func walk(_ value: JSONValue, _ prefix: String) {
            switch value {
            case .object(let object):
                for (key, member) in object.members { walk(member, prefix.isEmpty ? key : prefix + "." + key) }
            case .string(let text):
                pairs.append((prefix, text))
            default:
                let text =
                    (try? JSONWriter(style: .compact).serialize(value)).map { String(decoding: $0, as: UTF8.self) }
                    ?? ""
                pairs.append((prefix, text))
            }
        }
        walk(value, "")
        return pairs
    }

    /// `text` safe inside HTML text and double-quoted attributes.
    public static func escape(_ text: String) -> String {
        SVGWriter.escape(text)
    }

    static let css = """
        body{font-family:Helvetica,Arial,sans-serif;margin:24px;color:#111;max-width:1100px}\
        h1{font-size:22px;margin:0 0 12px}h2{font-size:17px;margin:28px 0 4px;border-bottom:1px solid #ccc}\
        .note{color:#555;font-size:12px;margin:2px 0 8px}\
        dl.summary{display:grid;grid-template-columns:max-content auto;gap:2px 16px;font-size:13px;margin:0}\
        dl.summary dt{color:#555}dl.summary dd{margin:0}\
        svg.chart{max-width:100%;height:auto;display:block}\
        .scroll{overflow-x:auto}table{border-collapse:collapse;font-size:11px}\
        th,td{border:1px solid #ddd;padding:2px 5px;text-align:right;white-space:nowrap}\
        th{background:#f2f2f2;cursor:pointer;position:sticky;top:0}\
        th.asc::after{content:" \\25B2"}th.desc::after{content:" \\25BC"}\
        td:nth-child(2),td:nth-child(3),th:nth-child(2),th:nth-child(3){text-align:left}\
        tfoot td{font-weight:bold;background:#fafafa}\
        table.mapping td{text-align:left;white-space:normal}.mono,pre,code{font-family:Menlo,Consolas,monospace}\
        pre{font-size:11px;background:#f7f7f7;padding:8px;overflow-x:auto}\
        footer{margin-top:24px;color:#777;font-size:11px}\
        @media print{body{margin:0;max-width:none}section{break-inside:avoid-page}\
        .scroll{overflow:visible}th{position:static}table{font-size:8px}}
        """

    /// Sorts the layer table by a clicked column (numbers by `data-sort`, text by locale order).
    static let sortScript = """
        document.querySelectorAll("table.sortable").forEach(function(table){\
        var heads=table.tHead.rows[0].cells;\
        Array.prototype.forEach.call(heads,function(th,col){th.addEventListener("click",function(){\
        var asc=!th.classList.contains("asc");\
        Array.prototype.forEach.call(heads,function(h){h.classList.remove("asc","desc");});\
        th.classList.add(asc?"asc":"desc");\
        var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows),num=th.dataset.kind==="number";\
        rows.sort(function(a,b){var x=a.cells[col].dataset.sort,y=b.cells[col].dataset.sort;\
        var c=num?parseFloat(x)-parseFloat(y):x.localeCompare(y);return asc?c:-c;});\
        rows.forEach(function(r){body.appendChild(r);});});});});
        """
}

extension String {
    /// The string with the last occurrence of `target` replaced.
    fileprivate func replacingLast(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target, options: .backwards) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}

extension RunReport {
    /// The report as a self-contained HTML page (``HTMLReport``), drawn from its JSON form.
    public func renderHTML() throws -> String {
        let json = try JSONWriter().value(of: self)
        return HTMLReport(data: try HTMLReportData(json: json, file: "the run report")).render()
    }
}
