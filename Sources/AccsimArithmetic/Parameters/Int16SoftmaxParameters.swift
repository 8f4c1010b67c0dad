import Foundation

/// LiteRT's int16 softmax (`SoftmaxInt16`): row differences are scaled so that −65535…0 covers
/// −10…0, `exp` comes from a 513-entry interpolated table, the row sum is normalised to [1, 2)
/// and inverted through a second 513-entry table of `1 / (1 + x)`. Input and output are int16
/// with zero point 0; the output scale is fixed at 2^−15. Both tables are built once, in double
/// precision, when the model is imported (LiteRT builds them in its Prepare). docs/arithmetic.md
/// §int16_softmax gives the kernel.
public struct Int16SoftmaxParameters: Sendable, Hashable, Codable {
    /// `QuantizeMultiplier(double(float(s_in · β)) / (10 / 65535))`: multiplier…
    public var inputMultiplier: Int32
    /// …and TFLite's signed exponent (positive = left shift), applied with `tflite` rounding.
    public var inputShift: Int32
    /// `exp(x)` for x in [−10, 0], Q0.15, 513 entries (the last one only for the slope).
    public var expTable: [Int32]
    /// `1 / (1 + x)` for x in [0, 1], Q0.15, 513 entries.
    public var reciprocalTable: [Int32]

    /// Entries of each table.
    public static let tableSize = 513

    enum CodingKeys: String, CodingKey {
        case inputMultiplier = "input_multiplier"
        case inputShift = "input_shift"
        case expTable = "exp_table"
        case reciprocalTable = "reciprocal_table"
    }

    public init(inputMultiplier: Int32, inputShift: Int32, expTable: [Int32], reciprocalTable: [Int32]) {
        self.inputMultiplier = inputMultiplier
        self.inputShift = inputShift
        self.expTable = expTable
        self.reciprocalTable = reciprocalTable
    }

    /// The parameters LiteRT's Prepare derives from the float32 input scale and β: the product
    /// `s_in · β` is taken in float32 (both operands are float), then divided in double by
    /// `10 / 65535`; the tables are ``interpolationTable(inputScale:inputZeroPoint:outputScale:_:)``
    /// of `exp` over `(10/65535, zero point 32767)` and of `1/(1+x)` over `(1/65535, −32768)`,
    /// both to the output scale `2/65535`.
    public static func litert(inputScale: Float, beta: Float) -> Int16SoftmaxParameters {
        let real = Double(inputScale * beta) / (10.0 / 65535.0)
        let q = FixedPoint.quantizeMultiplier(real)
        let range = 65535.0
        let exps = interpolationTable(inputScale: 10.0 / range, inputZeroPoint: 32767, outputScale: 2.0 / range) {
            Foundation.exp($0)
        }
        let reciprocals = interpolationTable(inputScale: 1.0 / range, inputZeroPoint: -32768, outputScale: 2.0 / range)
        {
            1.0 / (1.0 + $0)
        }
        return Int16SoftmaxParameters(
            inputMultiplier: q.multiplier, inputShift: Int32(q.shift), expTable: exps, reciprocalTable: reciprocals)
    }

    /// An int16 interpolation table as TFLite's `LUTPopulate` builds it in double precision (used
    /// by ``ReferenceKernels/int16TableLookup(_:_:)``): the int16 input range, as reals
    /// `[s_in·(−32768 − zp_in), s_in·(32767 − zp_in)]`, is cut into 512 steps; with
    /// `inv = 65536 / (s_out·32767 − s_out·(−32768))` and `R = round_half_away`, entry `i` is
    /// `R(f(x_i)·inv) − R((R((f(x_{i+1})·inv + R(f(x_i)·inv)) / 2) − R(f(x_i + step/2)·inv)) / 2)`
    /// — the sample, lowered by half the interpolation error at the step's midpoint — clamped to
    /// int16; entry 512 is `R(f(x_max)·inv)`, clamped.
    public static func interpolationTable(
        inputScale: Double, inputZeroPoint: Int32, outputScale: Double, _ f: (Double) -> Double
    ) -> [Int32] {
        let inputMin = inputScale * Double(-32768 - inputZeroPoint)
        let inputMax = inputScale * Double(32767 - inputZeroPoint)
        let outputMin = outputScale * Double(-32768)
        let outputMax = outputScale * Double(32767)
        let steps = 512
        let step = (inputMax - inputMin) / Double(steps)
        let halfStep = step / 2
        let inverse = 65536.0 / (outputMax - outputMin)
        func round(_ v: Double) -> Double { v.rounded(.toNearestOrAwayFromZero) }
        func clamp(_ v: Double) -> Int32 { Int32(min(max(v, -32768), 32767)) }
        var table: [Int32] = []
        table.reserveCapacity(steps + 1)
        for i in 0..<steps {
            let value = f(inputMin + Double(i) * step)
            let midpoint = f(inputMin + Double(i) * step + halfStep)
            let next = f(inputMin + Double(i + 1) * step)
            let sample = round(value * inverse)
            let interpolated = round((next * inverse + round(value * inverse)) / 2)
            let bias = round((interpolated - round(midpoint * inverse)) / 2)
            table.append(clamp(sample - bias))
        }
        table.append(clamp(round(f(inputMax) * inverse)))
        return table
    }
}
