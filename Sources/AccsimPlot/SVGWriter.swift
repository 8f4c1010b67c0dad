import Foundation

/// Builds an SVG document element by element; coordinates are written with two decimals, so the
/// same drawing always gives the same bytes.
public struct SVGWriter: Sendable {
    private var body = ""
    private let width: Double
    private let height: Double

    /// An empty drawing of `width` × `height` pixels.
    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// The document: an XML declaration and the `<svg>` element.
    public func finished() -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + element()
    }

    /// The `<svg>` element alone, for inlining into HTML; `attributes` (already escaped, e.g.
    /// `class="roofline"`) are added to it.
    public func element(attributes: String? = nil) -> String {
        let size = "width=\"\(Self.number(width))\" height=\"\(Self.number(height))\""
        let box = "viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\""
        let extra = attributes.map { " " + $0 } ?? ""
        return
            "<svg xmlns=\"http://www.w3.org/2000/svg\" \(size) \(box) font-family=\"Helvetica, Arial, sans-serif\"\(extra)>\n"
            + body + "</svg>\n"
    }

    /// Opens a group `<g>` with the CSS class `classes` (when given); close it with ``endGroup()``.
    public mutating func beginGroup(classes: String? = nil) {
        body += classes.map { "<g class=\"\(Self.escape($0))\">\n" } ?? "<g>\n"
    }

    /// Closes the innermost group.
    public mutating func endGroup() {
        body += "</g>\n"
    }

    /// A rectangle; `classes` become its CSS class and `title` its tooltip.
    public mutating func rect(
        x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil,
        classes: String? = nil, title: String? = nil
    ) {
        body +=
            "<rect x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" fill=\"\(fill)\""
        if let stroke { body += " stroke=\"\(stroke)\"" }
        close(classes: classes, title: title, tag: "rect")
    }

    /// A straight line.
    public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String) {
        body +=
            "<line x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\" y2=\"\(Self.number(y2))\" stroke=\"\(stroke)\"/>\n"
    }

    /// An open path through `points`; `dash` is an SVG dash pattern such as `"4 3"`.
    public mutating func polyline(
        _ points: [(Double, Double)], stroke: String, width: Double, dash: String? = nil, classes: String? = nil
    ) {
        let text = points.map { "\(Self.number($0.0)),\(Self.number($0.1))" }.joined(separator: " ")
        body += "<polyline points=\"\(text)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(Self.number(width))\""
        if let dash { body += " stroke-dasharray=\"\(dash)\"" }
        if let classes { body += " class=\"\(Self.escape(classes))\"" }
        body += "/>\n"
    }

    /// A circle; `classes` become its CSS class and `title` its tooltip.
    public mutating func circle(
        cx: Double, cy: Double, r: Double, fill: String, stroke: String? = nil, opacity: Double? = nil,
        classes: String? = nil, title: String? = nil
    ) {
        body += "<circle cx=\"\(Self.number(cx))\" cy=\"\(Self.number(cy))\" r=\"\(Self.number(r))\" fill=\"\(fill)\""
        if let stroke { body += " stroke=\"\(stroke)\" stroke-width=\"0.8\"" }
        if let opacity { body += " fill-opacity=\"\(Self.number(opacity))\"" }
        close(classes: classes, title: title, tag: "circle")
    }

    /// Ends an element's start tag: with a class attribute, and with a `<title>` child (a tooltip).
    private mutating func close(classes: String?, title: String?, tag: String) {
        if let classes { body += " class=\"\(Self.escape(classes))\"" }
        if let title {
            body += "><title>\(Self.escape(title))</title></\(tag)>\n"
        } else {
            body += "/>\n"
        }
    }

    /// A text element, escaped; `rotate` turns it by that many degrees about its anchor.
    public mutating func text(
        _ content: String, x: Double, y: Double, size: Double, anchor: String = "start", weight: String? = nil,
        fill: String = "#000000", rotate: Double? = nil
    ) {
        body +=
            "<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" font-size=\"\(Self.number(size))\" text-anchor=\"\(anchor)\" fill=\"\(fill)\""
        if let weight { body += " font-weight=\"\(weight)\"" }
        if let rotate { body += " transform=\"rotate(\(Self.number(rotate)) \(Self.number(x)) \(Self.number(y)))\"" }
        body += ">\(Self.escape(content))</text>\n"
    }

    /// `value` with two decimals, trailing zeros dropped.
    public static func number(_ value: Double) -> String {
        var text = String(format: "%.2f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    /// `text` with XML's special characters escaped.
    public static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
