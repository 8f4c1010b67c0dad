/// How one input of an Add is brought to the common int32 scale before the sum:
/// `v = (q − zp)·2^leftShift`, then, when `rescale` is present, `v = ROUND(v, M, n)` with the
/// rescale's multiplier, shift and rounding (its zero point and clamp are not used).
public struct AddInputScaling: Sendable, Hashable, Codable {
    public var leftShift: Int
    public var rescale: Requantizer?

    enum CodingKeys: String, CodingKey {
        case leftShift = "left_shift"
        case rescale
    }

    public init(leftShift: Int, rescale: Requantizer?) {
        self.leftShift = leftShift
        self.rescale = rescale
    }
}

/// Attributes of an elementwise Add of two tensors of the same shape, each with its own
/// quantization. The two scaled inputs are summed in int32 (under the accumulator's overflow mode)
/// and the sum goes through `output`.
///
/// - TFLite scheme: `left_shift = 20` on both inputs, a per-input rescale with `tflite` rounding,
///   and an output requantizer with `tflite` rounding.
/// - Aidge scheme ("int32 sum then requantize"): `left_shift = 0`, no input rescale, and an output
///   requantizer with a small integer multiplier and `half_up` rounding.
public struct AddParameters: Sendable, Hashable, Codable {
    public var inputs: [AddInputScaling]
    public var output: Requantizer

    public init(inputs: [AddInputScaling], output: Requantizer) {
        self.inputs = inputs
        self.output = output
    }
}

/// Attributes of a concatenation along `axis` (3 = channels for NHWC). An input with a requantizer
/// is rescaled on the way, `requantizer((q − zp_in))`; an input without one is copied as stored.
public struct ConcatParameters: Sendable, Hashable, Codable {
    public var axis: Int
    public var inputRequantizers: [Requantizer?]

    enum CodingKeys: String, CodingKey {
        case axis
        case inputRequantizers = "input_requantizers"
    }

    public init(axis: Int = 3, inputRequantizers: [Requantizer?]) {
        self.axis = axis
        self.inputRequantizers = inputRequantizers
    }
}

/// A clamp of the stored values to `[min, max]` (ReLU, ReLU6 or any range, expressed in the
/// tensor's stored integers; normally fused into the producing requantizer instead).
public struct ClampParameters: Sendable, Hashable, Codable {
    public var min: Int32
    public var max: Int32

    public init(min: Int32, max: Int32) {
        self.min = min
        self.max = max
    }
}

/// LeakyReLU with a shift-based slope on integer values; input and output share the scale.
/// With `v = q − zp_in`: `y = v ≥ 0 ? v : ROUND(v, slope_multiplier, slope_shift)`, then
/// `out = clamp(y + zp_out)` to the output type. A slope of 1/8 is multiplier 1, shift 3.
public struct LeakyReluParameters: Sendable, Hashable, Codable {
    public var slopeMultiplier: Int32
    public var slopeShift: Int32
    public var rounding: RoundingMode

    enum CodingKeys: String, CodingKey {
        case slopeMultiplier = "slope_multiplier"
        case slopeShift = "slope_shift"
        case rounding
    }

    public init(slopeMultiplier: Int32, slopeShift: Int32, rounding: RoundingMode) {
        self.slopeMultiplier = slopeMultiplier
        self.slopeShift = slopeShift
        self.rounding = rounding
    }
}

/// A 256-entry lookup table: the output for stored input value `v` is `table[v − minValue]`, i.e.
/// `table[v + 128]` for int8 and `table[v]` for uint8 inputs. Sigmoid and tanh run this way.
public struct LookupTableParameters: Sendable, Hashable, Codable {
    public var table: [Int32]

    public init(table: [Int32]) {
        self.table = table
    }
}

/// Constant padding of an NHWC tensor: `padding[d] = [before, after]` for every dimension, filled
/// with the stored value `value` (normally the zero point).
public struct PadParameters: Sendable, Hashable, Codable {
    public var padding: [[Int]]
    public var value: Int32

    public init(padding: [[Int]], value: Int32) {
        self.padding = padding
        self.value = value
    }
}

/// A reshape to `shape` (same element count, same order of elements); Flatten is a reshape.
public struct ReshapeParameters: Sendable, Hashable, Codable {
    public var shape: [Int]

    public init(shape: [Int]) {
        self.shape = shape
    }
}
