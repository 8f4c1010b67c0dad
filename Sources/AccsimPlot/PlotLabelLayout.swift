/// Places point labels so that they neither overlap each other nor the front's markers, nor leave
/// the plot area: each label tries a few positions around its point in a fixed order and is left
/// out when none is free (deterministic, greedy, in the order given).
public enum PlotLabelLayout {
    /// The labels' font size.
    public static let fontSize = 10.0
    /// Estimated advance of one character at ``fontSize`` (Helvetica's average is about 0.55 em).
    public static let characterWidth = 5.6

    /// An axis-aligned rectangle.
    public struct Box: Sendable {
        public var x: Double
        public var y: Double
        public var width: Double
        public var height: Double

        /// A box at (`x`, `y`) of the given size.
        public init(x: Double, y: Double, width: Double, height: Double) {
            self.x = x
            self.y = y
            self.width = width
            self.height = height
        }

        public func overlaps(_ other: Box) -> Bool {
            x < other.x + other.width && other.x < x + width && y < other.y + other.height && other.y < y + height
        }

        public func contains(_ other: Box) -> Bool {
            other.x >= x && other.y >= y && other.x + other.width <= x + width && other.y + other.height <= y + height
        }
    }

    /// A label placed: its text, baseline start, and the leader line from its point when it sits
    /// away from the point.
    public struct Placed {
        public var text: String
        public var x: Double
        public var y: Double
        public var leader: (x1: Double, y1: Double, x2: Double, y2: Double)?
    }

    /// The labels that fit; `labels` hold the points' pixel positions.
    public static func place(
        _ labels: [(text: String, x: Double, y: Double)], markers: [(Double, Double)], inside area: Box
    ) -> [Placed] {
        var taken = markers.map { Box(x: $0.0 - 6, y: $0.1 - 6, width: 12, height: 12) }
        var placed: [Placed] = []
        for label in labels {
            let width = Double(label.text.count) * characterWidth
            // Baseline offsets: right above, right below, left above, left below, then further out.
            var offsets: [(Double, Double)] = [(8, -7), (8, 14), (-8 - width, -7), (-8 - width, 14)]
            for step in 1...4 {
                let dy = Double(step) * 13
                offsets += [(8, -7 - dy), (8, 14 + dy), (-8 - width, -7 - dy), (-8 - width, 14 + dy)]
            }
            for (index, (dx, dy)) in offsets.enumerated() {
                let x = label.x + dx
                let y = label.y + dy
                let box = Box(x: x, y: y - fontSize + 1, width: width, height: fontSize + 2)
                guard area.contains(box), !taken.contains(where: { $0.overlaps(box) }) else { continue }
                taken.append(box)
                var leader: (Double, Double, Double, Double)?
                if index >= 4 {
                    // Away from its point: a leader line to the label's near end, at mid-height.
                    let endX = dx > 0 ? x - 2 : x + width + 2
                    leader = (label.x, label.y, endX, y - fontSize / 2 + 2)
                }
                placed.append(Placed(text: label.text, x: x, y: y, leader: leader))
                break
            }
        }
        return placed
    }
}
