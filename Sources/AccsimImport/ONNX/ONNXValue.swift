import AccsimArithmetic

/// An int8/uint8 activation of the imported graph, with the ONNX view of it.
struct ONNXActivation: Sendable {
    /// How the ONNX tensor's elements are laid out in the accsim tensor.
    enum Layout: Sendable, Hashable {
        /// ONNX rank-4 NCHW, stored NHWC in accsim.
        case nchw
        /// The same order in both (rank 2, or rank 4 with H = W = 1 flattened).
        case plain
        /// ONNX `[N, C·H·W]` (a Flatten of NCHW) stored as accsim `[N, H·W·C]` in NHWC order: the
        /// fully connected layer reading it gets its weight columns permuted.
        case flattened(channels: Int, height: Int, width: Int)
    }

    /// The accsim tensor name.
    var name: String
    /// The ONNX shape (NCHW for rank 4).
    var shape: [Int]
    var type: ElementType
    var scale: Float
    var zeroPoint: Int32
    var layout: Layout

    /// The accsim shape: NHWC for an NCHW tensor, else the ONNX shape.
    var graphShape: [Int] {
        layout == .nchw ? [shape[0], shape[2], shape[3], shape[1]] : shape
    }

    /// The quantization as a pair, for the float emulation.
    var quantization: (scale: Float, zeroPoint: Int32) { (scale, zeroPoint) }
}

/// A quantized constant: an initializer read through DequantizeLinear (QDQ) or given with its
/// scale and zero point (QOperator).
struct ONNXQuantizedConstant: Sendable {
    var tensor: ONNXTensor
    var values: [Int64]
    var type: ElementType
    var scales: [Float]
    var zeroPoints: [Int32]
    /// The axis of per-channel parameters (nil: per tensor).
    var axis: Int?
}

/// An output quantization: the quantized tensor an operation produces.
struct ONNXOutputQuantization: Sendable {
    /// The ONNX name of the quantized tensor.
    var onnxName: String
    var scale: Float
    var zeroPoint: Int32
    var type: ElementType
}

/// A float operation of a QDQ graph whose output awaits its QuantizeLinear.
struct ONNXPendingOperation: Sendable {
    var node: ONNXNode
    /// A Relu or Clip applied to the operation's float output before the QuantizeLinear.
    var activation: ONNXNode?
}

/// What an ONNX tensor name stands for while the graph is converted.
enum ONNXValue: Sendable {
    /// A quantized activation present in the accsim graph.
    case activation(ONNXActivation)
    /// The float output of DequantizeLinear on an activation.
    case dequantized(ONNXActivation)
    /// A float graph input (before its QuantizeLinear).
    case floatInput(ONNXValueInfo)
    /// The float output of an operation waiting for its QuantizeLinear.
    case pending(ONNXPendingOperation)
    /// An initializer.
    case initializer(ONNXTensor)
    /// DequantizeLinear of an initializer.
    case dequantizedConstant(ONNXQuantizedConstant)
}
