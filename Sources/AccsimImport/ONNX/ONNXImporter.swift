import AccsimModel
import Foundation

/// Imports a quantized ONNX model — QDQ form (QuantizeLinear/DequantizeLinear around float
/// operators) or QOperator form (QLinearConv, …), as `onnxruntime.quantization.quantize_static`
/// writes them — into an accsim ``Graph`` that reproduces onnxruntime's (CPU execution provider,
/// x86-64) integer outputs.
///
/// The imported graph starts at the output of the QuantizeLinear of each float graph input (its
/// int8/uint8 values are the accsim graph's input) and ends at the input of the DequantizeLinear
/// of each float graph output. Activations become NHWC (ONNX NCHW is transposed), convolution
/// weights OHWI. onnxruntime requantizes with float32 scales; ``Options/policy`` decides how they
/// become integer requantizers, and the ``Report`` says how far the result is from onnxruntime.
///
/// Supported: Conv, Gemm, MatMul (constant second operand), Add, MaxPool, AveragePool,
/// GlobalAveragePool, Concat, Relu/Clip, Sigmoid, Reshape/Flatten and Pad between
/// DequantizeLinear and QuantizeLinear; QLinearConv, QLinearMatMul, QGemm, QLinearAdd,
/// QLinearAveragePool, QLinearGlobalAveragePool, QLinearSigmoid, QLinearConcat and MaxPool on
/// quantized tensors; int8 and uint8 activations (per tensor), int8/uint8 weights per tensor or per
/// output channel, int32 biases. Anything else is a ``ModelError`` naming the node, its operator
/// and the tensor; a damaged file is a ``ModelError`` naming the protobuf field path.
/// docs/import-onnx.md has the details and the measured agreement with onnxruntime.
public enum ONNXImporter {
    /// How to import.
    public struct Options: Sendable, Hashable {
        /// How float scales become integer requantizers; ``RequantPolicy/default`` (31-bit
        /// multipliers, `half_even`) reproduces onnxruntime best.
        public var policy: RequantPolicy

        public init(policy: RequantPolicy = .default) {
            self.policy = policy
        }
    }

    /// How faithful the imported graph is to onnxruntime.
    public struct Report: Sendable, Hashable {
        /// The policy used.
        public var policy: RequantPolicy
        /// `qdq`, `qoperator` or `mixed`.
        public var form: String
        /// The largest `|M·2^−n / f − r| / r` over every requantizer and every channel, where `r`
        /// is the real factor onnxruntime applies (its float32 scale for convolutions, fully
        /// connected layers and global average pooling; the quotient of the float32 scales for
        /// Add and Concat) and `f` a factor folded into the weights (single shift; 1 otherwise).
        public var worstRelativeError: Double
        /// Requantizers created (an Add counts once for its two input multipliers and output).
        public var requantizers: Int
        /// Exhaustively counted inputs on which accsim's integer arithmetic differs from
        /// onnxruntime's float32 arithmetic: int32 accumulators that do not saturate (convolution,
        /// fully connected and global-average-pool requantizers), input pairs of each Add (65 536)
        /// and stored values of each rescaled Concat input (256). Nil when it could not be counted
        /// (the single-shift policy changes the weights, so accumulators are not comparable).
        public var differingInputs: Int?
        /// Single shift: output channels whose weights and bias were rescaled and re-rounded.
        public var foldedChannels: Int
        /// Single shift: weights that left their type's range when rescaled (clamped).
        public var clampedWeights: Int
        /// Single shift: the largest relative RMS change of a channel's rescaled weights caused by
        /// re-rounding them, `‖round(w·f) − w·f‖ / ‖w·f‖`.
        public var worstWeightRoundingError: Double
        /// Anything else worth knowing, one sentence each.
        public var notes: [String]
    }

    /// Imports the `.onnx` file at `path`.
    public static func importModel(path: String, options: Options = Options()) throws(ModelError) -> (Graph, Report) {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ModelError(file: path, "cannot read: \(error.localizedDescription)")
        }
        return try importModel(bytes: bytes, file: path, options: options)
    }

    /// Imports an ONNX model held in memory; errors name `file` when given. The returned graph has
    /// passed `Graph.validate()`.
    public static func importModel(bytes: [UInt8], file: String? = nil, options: Options = Options()) throws(ModelError)
        -> (Graph, Report)
    {
        do {
            try options.policy.validate()
        } catch {
            throw file.map { error.inFile($0) } ?? error
        }
        let model = try ONNXModel.decode(bytes, file: file)
        guard let version = model.opsets[""] else {
            throw ModelError(file: file, field: "opset_import", "the model imports no ai.onnx opset")
        }
        if version < 10 {
            throw ModelError(
                file: file, field: "opset_import",
                "the default opset is \(version); quantized operators need opset 10 or later")
        }
        for node in model.graph.nodes where model.opsets[node.domain] == nil {
            throw ModelError(
                file: file, node: node.label, field: node.path,
                "\(node.opType): domain '\(node.domain)' is not imported by the model's opset_import")
        }
        var builder = ONNXGraphBuilder(model: model, policy: options.policy, file: file)
        let graph = try builder.build()
        do {
            try graph.validate()
        } catch {
            throw file.map { error.inFile($0) } ?? error
        }
        var notes = builder.notes
        if options.policy == .singleShift {
            notes.append(
                "single shift: \(builder.foldedChannels) output channels rescaled, \(builder.clampedWeights) weights clamped"
            )
        }
        let report = Report(
            policy: options.policy, form: builder.form, worstRelativeError: builder.worstRelativeError,
            requantizers: builder.requantizerCount, differingInputs: builder.disagreements,
            foldedChannels: builder.foldedChannels, clampedWeights: builder.clampedWeights,
            worstWeightRoundingError: builder.worstWeightError, notes: notes)
        return (graph, report)
    }
}
