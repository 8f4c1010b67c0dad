import AccsimArithmetic
import AccsimHardware
import AccsimModel
import Foundation

/// Checks a model's requantizers against the hardware requantizer (multiplier width, largest
/// shift, rounding modes) and, on request, converts them to what the hardware offers.
///
/// A requantizer fits when its rounding mode is implemented, every multiplier fits in
/// `multiplier_bits` unsigned bits (`0` bits: only M = 1, pure shifts) and every shift is at most
/// `max_shift`. Conversion keeps the real scale `M·2^−n` as close as the hardware allows:
/// the multiplier is rounded (half away from zero) to the available bits and the shift reduced
/// to match; with 0 bits the scale becomes the nearest power of two (in the log domain); a mode
/// the hardware lacks is replaced by the first implemented mode of `half_up`, `half_away`,
/// `half_even`, `tflite_half_up`, `tflite`, `floor` — every mode reads the same `M·2^−n`.
/// An average pooling in Aidge's double-precision running-mean mode does not fit any hardware;
/// conversion gives it the exact integer division.
public struct RequantizerFitting: Sendable {
    public let capability: RequantizerConfig

    public init(capability: RequantizerConfig) {
        self.capability = capability
    }

    /// One requantizer that does not fit, with the reason.
    public struct Mismatch: Sendable, Hashable, CustomStringConvertible {
        public var node: String
        /// Where the requantizer sits in the node's attributes (`attributes.requantizer`, …).
        public var field: String
        public var reason: String

        public var description: String { "layer '\(node)': \(field): \(reason)" }
    }

    /// Every requantizer of `graph` that the hardware cannot run as is.
    public func mismatches(in graph: Graph) -> [Mismatch] {
        var found: [Mismatch] = []
        for node in graph.nodes {
            for (field, requantizer) in Self.requantizers(of: node.operation) {
                if let reason = reason(requantizer) {
                    found.append(Mismatch(node: node.name, field: field, reason: reason))
                }
            }
            if case .avgPool(let p) = node.operation, p.usesRunningMean {
                found.append(
                    Mismatch(
                        node: node.name, field: "attributes.average",
                        reason:
                            "aidge_running_mean (Aidge's double-precision running mean) is not an integer-hardware operation; --adapt-requant divides exactly"
                    ))
            }
        }
        return found
    }

    /// Why `requantizer` does not fit, or nil when it does.
    public func reason(_ requantizer: Requantizer) -> String? {
        if !capability.roundingModes.contains(requantizer.rounding) {
            let offered = capability.roundingModes.map(\.rawValue).joined(separator: ", ")
            return
                "rounding '\(requantizer.rounding.rawValue)' is not implemented by the hardware requantizer (requantizer.rounding_modes: \(offered))"
        }
        for (index, multiplier) in requantizer.multipliers.enumerated() where !fits(multiplier: multiplier) {
            let bits = Self.bitLength(multiplier)
            let limit =
                capability.multiplierBits == 0
                ? "a shift-only requantizer (requantizer.multiplier_bits = 0) needs M = 1"
                : "the hardware multiplier has \(capability.multiplierBits) bits (requantizer.multiplier_bits)"
            return "multiplier \(multiplier) (channel \(index)) needs \(bits) bits but \(limit)"
        }
        for (index, shift) in requantizer.shifts.enumerated() where Int(shift) > capability.maxShift {
            return "shift \(shift) (channel \(index)) exceeds requantizer.max_shift = \(capability.maxShift)"
        }
        return nil
    }

    /// The graph with every requantizer converted to fit, and the list of what was converted.
    public func adapt(_ graph: Graph) -> (graph: Graph, adapted: [Mismatch]) {
        var adapted = graph
        let changes = mismatches(in: graph)
        for index in adapted.nodes.indices {
            adapted.nodes[index].operation = Self.mapRequantizers(of: adapted.nodes[index].operation) { requantizer in
                reason(requantizer) == nil ? requantizer : convert(requantizer)
            }
            if case .avgPool(var p) = adapted.nodes[index].operation, p.usesRunningMean {
                p.average = nil
                adapted.nodes[index].operation = .avgPool(p)
            }
        }
        return (adapted, changes)
    }

    /// `requantizer` converted to the hardware's capability.
    public func convert(_ requantizer: Requantizer) -> Requantizer {
        var converted = requantizer
        if !capability.roundingModes.contains(requantizer.rounding) {
            let preference: [RoundingMode] = [.halfUp, .halfAway, .halfEven, .tfliteHalfUp, .tflite, .floor]
            converted.rounding =
                preference.first(where: capability.roundingModes.contains) ?? capability.roundingModes[0]
        }
        for channel in converted.multipliers.indices {
            var (multiplier, shift) = (Int64(converted.multipliers[channel]), Int64(converted.shifts[channel]))
            if capability.multiplierBits == 0 {
                // Nearest power of two in the log domain: 2^−n' closest to M·2^−n.
                let log2Scale =
                    multiplier > 0 ? (Double(multiplier)).log2Value - Double(shift) : -Double(capability.maxShift)
                multiplier = 1
                shift = Int64((-log2Scale).rounded(.toNearestOrAwayFromZero))
            } else {
                let excess = Self.bitLength(Int32(truncatingIfNeeded: multiplier)) - capability.multiplierBits
                if excess > 0 {
                    let drop = Int64(min(excess, Int(shift)))
                    multiplier = (multiplier + (Int64(1) << drop) / 2) >> drop
                    shift -= drop
                    if multiplier >> Int64(capability.multiplierBits) != 0 {
                        // Rounding carried into a new bit: halve once more.
                        multiplier = (multiplier + 1) >> 1
                        shift -= 1
                    }
                }
            }
            if shift > Int64(capability.maxShift) {
                // Too small a scale for the shifter: drop multiplier bits instead (toward zero scale).
                let extra = shift - Int64(capability.maxShift)
                multiplier = extra >= 62 ? 0 : (multiplier + (Int64(1) << extra) / 2) >> extra
                shift = Int64(capability.maxShift)
            }
            converted.multipliers[channel] = Int32(clamping: max(0, multiplier))
            converted.shifts[channel] = Int32(clamping: max(0, shift))
        }
        return converted
    }

    private func fits(multiplier: Int32) -> Bool {
        if capability.multiplierBits == 0 { return multiplier == 1 }
        return multiplier >= 0 && Self.bitLength(multiplier) <= capability.multiplierBits
    }

    /// Bits needed for |value| (0 for 0).
    static func bitLength(_ value: Int32) -> Int {
        Int32.bitWidth - value.magnitude.leadingZeroBitCount
    }

    /// Every requantizer of an operation with its field path.
    static func requantizers(of operation: Operation) -> [(String, Requantizer)] {
        switch operation {
        case .conv2D(let p): [("attributes.requantizer", p.requantizer)]
        case .fullyConnected(let p): [("attributes.requantizer", p.requantizer)]
        case .mean(let p): [("attributes.requantizer", p.requantizer)]
        case .requantize(let r): [("attributes.requantizer", r)]
        case .add(let p):
            p.inputs.enumerated().compactMap { i, s in s.rescale.map { ("attributes.inputs[\(i)].rescale", $0) } }
                + [("attributes.output", p.output)]
        case .concat(let p):
            p.inputRequantizers.enumerated().compactMap { i, r in r.map { ("attributes.input_requantizers[\(i)]", $0) }
            }
        default: []
        }
    }

    /// `operation` with `transform` applied to each of its requantizers.
    static func mapRequantizers(of operation: Operation, _ transform: (Requantizer) -> Requantizer) -> Operation {
        switch operation {
        case .conv2D(var p):
            p.requantizer = transform(p.requantizer)
            return .conv2D(p)
        case .fullyConnected(var p):
            p.requantizer = transform(p.requantizer)
            return .fullyConnected(p)
        case .mean(var p):
            p.requantizer = transform(p.requantizer)
            return .mean(p)
        case .requantize(let r): return .requantize(transform(r))
        case .add(var p):
            for i in p.inputs.indices { p.inputs[i].rescale = p.inputs[i].rescale.map(transform) }
            p.output = transform(p.output)
            return .add(p)
        case .concat(var p):
            p.inputRequantizers = p.inputRequantizers.map { $0.map(transform) }
            return .concat(p)
        default:
            return operation
        }
    }
}

extension Double {
    /// Base-2 logarithm.
    fileprivate var log2Value: Double { Foundation.log2(self) }
}
