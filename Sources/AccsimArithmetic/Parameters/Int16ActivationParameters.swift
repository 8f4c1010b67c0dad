import Foundation

/// LiteRT's int16 LOGISTIC and TANH: the input (zero point 0) is rescaled to a fixed grid by an
/// integer multiplier and a rounding right shift, then interpolated linearly in one 256-entry
/// table of `sigmoid(i / 24)` in unsigned Q0.16 (``sigmoidTable``), using `tanh(x) = 2·sigmoid(2x) − 1`
/// for TANH. The output is int16 with the fixed scale 2^−15 and zero point 0.
/// docs/arithmetic.md §int16_activation gives the kernel.
public struct Int16ActivationParameters: Sendable, Hashable, Codable {
    /// LOGISTIC or TANH.
    public var function: TableFunction
    /// The input multiplier; 0 selects the power-of-two form `3 · 2^input_left_shift` with no shift.
    public var inputMultiplier: Int32
    /// The rounding right shift after the multiplication (0…31).
    public var inputLeftShift: Int32

    enum CodingKeys: String, CodingKey {
        case function
        case inputMultiplier = "input_multiplier"
        case inputLeftShift = "input_left_shift"
    }

    public init(function: TableFunction, inputMultiplier: Int32, inputLeftShift: Int32) {
        self.function = function
        self.inputMultiplier = inputMultiplier
        self.inputLeftShift = inputLeftShift
    }

    /// The parameters LiteRT's Prepare derives from the float32 input scale (`SigmoidPrepare`,
    /// `TanhPrepare` for int16):
    /// - with `k = round(log2 s_in)` and `s_in` within 10^−3 (in log2) of `2^k` (TFLite's
    ///   `CheckedLog2`, in float32), the shift `12 + k` if it is 0 (LOGISTIC) or 0 or 1 (TANH), and
    ///   multiplier 0: the power-of-two form;
    /// - otherwise `m = double(s_in) · 4096 · 3`, doubled (shift + 1) while `m ≤ 32767 / 2` and
    ///   the shift is ≤ 30, and the multiplier is `m` truncated.
    public static func litert(_ function: TableFunction, inputScale: Float) -> Int16ActivationParameters {
        let log2 = Foundation.logf(inputScale) * (1 / Foundation.logf(2))
        let rounded = log2.rounded(.toNearestOrAwayFromZero)
        let powerOfTwoShift = 12 + Int(rounded)
        let allowed = function == .logistic ? [0] : [0, 1]
        if abs(log2 - rounded) < 1e-3, allowed.contains(powerOfTwoShift) {
            return Int16ActivationParameters(
                function: function, inputMultiplier: 0, inputLeftShift: Int32(powerOfTwoShift))
        }
        var multiplier = Double(inputScale) * 4096.0 * 3.0
        var shift: Int32 = 0
        while multiplier <= 32767.0 / 2.0 && shift <= 30 {
            shift += 1
            multiplier *= 2.0
        }
        let truncated = multiplier < Double(Int32.max) ? Int32(multiplier) : Int32.max
        return Int16ActivationParameters(function: function, inputMultiplier: truncated, inputLeftShift: shift)
    }

    /// The multiplier and shift the kernel applies: the power-of-two form becomes
    /// `(3 · 2^shift, 0)`.
    public var effective: (multiplier: Int32, shift: Int32) {
        inputMultiplier == 0 ? (3 << inputLeftShift, 0) : (inputMultiplier, inputLeftShift)
    }

    /// LiteRT's `sigmoid_table_uint16`: about `sigmoid(i / 24)` in unsigned Q0.16 for i = 0…255
    /// (inputs 0 … 10.6), entry 0 = 32768 (0.5), entry 255 = 65535. It is not the plain rounded
    /// function (44 entries are one above `round(65536·sigmoid(i/24))`), so it is data, measured
    /// from LiteRT 2.3.0: a TANH whose input grid step is exactly one table entry outputs
    /// `entry − 32768` (Scripts/make_tflite_int16_fixtures.py writes the probe, `sigmoid_table.npy`,
    /// and TFLiteInt16Tests compares it with this table).
    public static let sigmoidTable: [UInt16] = [
        32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794, 41432, 42064, 42688,
        43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409,
        51865, 52311, 52745, 53169, 53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
        57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110,
        61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186,
        63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
        64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900,
        64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208,
        65221, 65234, 65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
        65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433, 65438, 65442, 65445, 65449,
        65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491,
        65493, 65495, 65497, 65498, 65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
        65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524,
        65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530,
        65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
        65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535,
    ]
}

extension TableFunction: Codable {}
