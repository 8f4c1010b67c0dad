import AccsimArithmetic

/// The memory layout a framework gives a rank-4 graph input or output. accsim computes in NHWC;
/// a tensor marked `nchw` is read from (and written to) `.npy` arrays as `[N, C, H, W]`, the
/// layout of Aidge and ONNX.
public enum TensorLayout: String, Sendable, Hashable, Codable, CaseIterable {
    case nhwc
    case nchw
}

/// How the framework that produced a model turns a float32 input into the stored integers of a
/// graph input (Aidge's `InputRescaling` Quantizer, TFLite's and ONNX's input QUANTIZE):
///
/// `q = clamp(ROUND(f32(x) ⊙ f32(factor)) + zero_point, type_min, type_max)`
///
/// with `⊙` one IEEE float32 multiplication (`multiply`, Aidge: the factor is 1/scale) or division
/// (`divide`, TFLite/ONNX: the factor is the scale), and ROUND one of `half_up` (Aidge's Round
/// HALF_UP: exact `floor(y) + [frac(y) ≥ 1/2]`), `half_away` (C `round`) or `half_even`. The zero
/// point is the tensor's; a NaN input is an error.
public struct FloatInputQuantization: Sendable, Hashable, Codable {
    public enum Operation: String, Sendable, Hashable, Codable {
        case multiply
        case divide
    }

    public var operation: Operation
    /// The float32 factor (stored as the double of a float32 value; used as `Float(factor)`).
    public var factor: Double
    public var rounding: RoundingMode

    /// The roundings a float input can use.
    public static let roundingModes: [RoundingMode] = [.halfUp, .halfAway, .halfEven]

    public init(operation: Operation, factor: Double, rounding: RoundingMode) {
        self.operation = operation
        self.factor = factor
        self.rounding = rounding
    }

    /// The stored value of `x`, or nil for NaN.
    public func quantize(_ x: Float, zeroPoint: Int32, type: ElementType) -> Int32? {
        if x.isNaN { return nil }
        let f = Float(factor)
        let y = operation == .multiply ? x * f : x / f
        let rounded: Float
        switch rounding {
        case .halfUp:
            let floor = y.rounded(.down)
            rounded = y - floor >= 0.5 ? floor + 1 : floor
        case .halfEven:
            rounded = y.rounded(.toNearestOrEven)
        default:
            rounded = y.rounded(.toNearestOrAwayFromZero)
        }
        let lo = Float(type.minValue) - Float(zeroPoint)
        let hi = Float(type.maxValue) - Float(zeroPoint)
        return Int32(min(max(rounded, lo), hi)) + zeroPoint
    }
}

extension TensorInfo {
    /// The integer tensor an `.npy` array stands for as this graph input: an integer array is
    /// taken as already quantized, a float32 array is quantized by ``floatInput``. The array is
    /// `[N, …]` in accsim's NHWC order, or `[N, C, H, W]` when the tensor's layout is `nchw`
    /// (a shape that fits NCHW is read as NCHW then). `source` names the array in errors.
    public func inputTensor(from array: NPYArray, source: String) throws(ModelError) -> IntTensor {
        try inputTensor(from: array, source: source, firstElement: 0)
    }

    /// ``inputTensor(from:source:)`` of a chunk of a larger array (samples read from the file
    /// piece by piece): `firstElement` is the index of the chunk's first element in the whole
    /// array, so that an error names the element as in the whole.
    public func inputTensor(from array: NPYArray, source: String, firstElement: Int) throws(ModelError) -> IntTensor {
        let (batchShape, transpose) = try inputLayout(of: array.shape, dtype: array.dtype, source: source)
        var values: [Int32]
        let valueType: ElementType
        if array.dtype == .float32, let floatInput {
            let floats = array.floatValues()
            values = [Int32](repeating: 0, count: floats.count)
            let zp = zeroPoint()
            for index in floats.indices {
                guard let q = floatInput.quantize(floats[index], zeroPoint: zp, type: self.elementType) else {
                    throw ModelError(field: source, "element \(firstElement + index) is NaN")
                }
                values[index] = q
            }
            valueType = self.elementType
        } else {
            guard let tensor = array.intTensor() else {
                throw ModelError(field: source, "dtype \(array.dtype) is not supported")
            }
            values = tensor.values
            valueType = tensor.elementType
        }
        if transpose {
            let nchw = [batchShape[0], batchShape[3], batchShape[1], batchShape[2]]
            values = Self.permute(values, shape: nchw, order: [0, 2, 3, 1])
        }
        return IntTensor(shape: batchShape, elementType: valueType, values: values)
    }

    /// Checks that an `.npy` array of `shape` and `dtype` can stand for this graph input (the
    /// errors of ``inputTensor(from:source:)`` that depend on no value), before its data is read.
    public func checkInput(shape: [Int], dtype: NPYDType, source: String) throws(ModelError) {
        _ = try inputLayout(of: shape, dtype: dtype, source: source)
    }

    /// The `[N, …]` NHWC shape an array of `arrayShape` gives, and whether it is NCHW to transpose.
    private func inputLayout(of arrayShape: [Int], dtype: NPYDType, source: String) throws(ModelError) -> (
        batchShape: [Int], transpose: Bool
    ) {
        let nhwc = Array(shape.dropFirst())
        guard arrayShape.count == shape.count, let n = arrayShape.first else {
            throw ModelError(
                field: source, "shape \(arrayShape) does not fit: the model input '\(name)' \(expectedShapes)")
        }
        var transpose = false
        let rest = Array(arrayShape.dropFirst())
        if layout == .nchw, shape.count == 4, rest == [nhwc[2], nhwc[0], nhwc[1]] {
            transpose = true
        } else if rest != nhwc {
            throw ModelError(
                field: source, "shape \(arrayShape) does not fit: the model input '\(name)' \(expectedShapes)")
        }
        if dtype == .float32 && floatInput == nil {
            throw ModelError(
                field: source,
                "float32 input, but model input '\(name)' records no input quantization (float_input); "
                    + "pass \(self.elementType.rawValue) values")
        }
        return ([n] + nhwc, transpose)
    }

    /// The shape of ``frameworkArray(_:)`` for an output of `samples` samples.
    public func frameworkShape(samples: Int) -> [Int] {
        guard layout == .nchw, shape.count == 4 else { return [samples] + shape.dropFirst() }
        return [samples, shape[3], shape[1], shape[2]]
    }

    /// The `.npy` array of an output tensor in the framework's layout (NCHW when ``layout`` is
    /// `nchw`), at the tensor's element type.
    public func frameworkArray(_ tensor: IntTensor) -> NPYArray {
        guard layout == .nchw, tensor.shape.count == 4 else { return NPYArray(tensor: tensor) }
        let s = tensor.shape
        let values = Self.permute(tensor.values, shape: s, order: [0, 3, 1, 2])
        let nchw = IntTensor(shape: [s[0], s[3], s[1], s[2]], elementType: tensor.elementType, values: values)
        return NPYArray(tensor: nchw)
    }

    private var expectedShapes: String {
        let rest = "[N] + [\(shape.dropFirst().map(String.init).joined(separator: ", "))]"
        if layout == .nchw, shape.count == 4 {
            return "expects \(rest) (NHWC) or [N] + [\(shape[3]), \(shape[1]), \(shape[2])] (NCHW)"
        }
        return "expects \(rest)"
    }

    /// `values` of a rank-4 row-major `shape`, permuted so that output axis `i` is input axis
    /// `order[i]`.
    static func permute(_ values: [Int32], shape: [Int], order: [Int]) -> [Int32] {
        let outShape = order.map { shape[$0] }
        var strides = [Int](repeating: 1, count: 4)
        for axis in stride(from: 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
        let s = order.map { strides[$0] }
        var out = [Int32](repeating: 0, count: values.count)
        var index = 0
        for a in 0..<outShape[0] {
            for b in 0..<outShape[1] {
                for c in 0..<outShape[2] {
                    for d in 0..<outShape[3] {
                        out[index] = values[a * s[0] + b * s[1] + c * s[2] + d * s[3]]
                        index += 1
                    }
                }
            }
        }
        return out
    }
}
