import AccsimArithmetic

/// How an importer turns a real (floating-point) rescaling factor into accsim's integer
/// requantizer `(M, n)` (real factor `M·2^−n`, docs/arithmetic.md).
///
/// - ``fixedPoint(bits:rounding:)``: one requantizer per scale with an `M` of `bits − 1`
///   significant bits (`bits` counts a sign bit, as in TFLite's int32 multiplier), `n` chosen to
///   keep all of them: `M ∈ [2^(bits−2), 2^(bits−1))`. `bits = 32` gives TFLite's 31-bit
///   multiplier, which represents a float32 scale (24 significant bits) exactly. The rounding is
///   `half_even` by default (onnxruntime's float requantization rounds half to even).
/// - ``singleShift``: power-of-two requantizers, as Eclipse Aidge's PTQ produces: after a
///   convolution or fully connected layer the factor `r` is rounded **up** to `2^−n` and the ratio
///   `r·2^n ∈ (0.5, 1]` is folded into that layer's weights and bias, which are re-rounded;
///   joining nodes (Add, Concat) and global average pooling, which have no weights, get a small
///   multiplier `M ≤ 127`. Rounding `half_up`.
///
/// docs/import-onnx.md gives the measured approximation of each policy on the fixtures.
public enum RequantPolicy: Sendable, Hashable {
    /// Fixed-point multipliers of `bits − 1` bits (2 ≤ bits ≤ 32) with the given rounding
    /// (`half_even`, `half_up`, `half_away`, `floor`, `tflite` or `tflite_half_up`).
    case fixedPoint(bits: Int, rounding: RoundingMode = .halfEven)
    /// Power-of-two scales with the ratio folded into the producing layer's weights; small
    /// multipliers (≤ 127) on joining nodes; `half_up`.
    case singleShift

    /// The default: `fixedPoint(bits: 32, rounding: .halfEven)`.
    public static let `default` = RequantPolicy.fixedPoint(bits: 32)

    /// A short description (`fixed_point(32, half_even)`, `single_shift`).
    public var description: String {
        switch self {
        case .fixedPoint(let bits, let rounding): "fixed_point(\(bits), \(rounding.rawValue))"
        case .singleShift: "single_shift"
        }
    }
}
