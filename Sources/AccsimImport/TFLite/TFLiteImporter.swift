import AccsimModel
import Foundation

/// Imports a fully integer-quantized TFLite (LiteRT) model into an accsim ``Graph`` whose int8
/// outputs equal LiteRT's, bit for bit, for the chosen kernel variant.
///
/// Supported: CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, ADD, CONCATENATION, MAX_POOL_2D,
/// AVERAGE_POOL_2D, MEAN (over H and W), RESHAPE, QUANTIZE (int8 → int8), LOGISTIC, TANH, SOFTMAX
/// and PAD on int8 activations, int8 symmetric weights (per tensor or per channel) and int32
/// biases, with fused RELU, RELU6 and RELU_N1_TO_1. Anything else — another operator, a float,
/// int16 or uint8 tensor in the graph, asymmetric weights — is a ``ModelError`` naming the operator
/// index, the operator and the tensor; a damaged file is a ``ModelError`` naming the field and
/// offset. docs/import-tflite.md describes the mapping of every operator and the rounding each
/// LiteRT kernel uses.
///
/// The graph's metadata records `semantics` (`tflite` or `tflite_reference`), `producer` and
/// `source_model`, and, when LiteRT's optimized kernels round some elements differently from the
/// rest (see ``Options/Kernels/optimized``), `tflite_inexact` naming them.
public enum TFLiteImporter {
    /// How to import.
    public struct Options: Sendable, Hashable {
        /// Which LiteRT kernels the imported graph reproduces.
        public enum Kernels: String, Sendable, Hashable, CaseIterable {
            /// LiteRT's default CPU kernels without delegates (`BUILTIN_WITHOUT_DEFAULT_DELEGATES`):
            /// `tflite_half_up` where they round with a rounding shift (convolutions, FULLY_CONNECTED,
            /// and the vectorised parts of DEPTHWISE_CONV_2D, QUANTIZE and MEAN with keep_dims),
            /// `tflite` elsewhere. Semantics `tflite`.
            case optimized
            /// LiteRT's reference kernels (`BUILTIN_REF`): `tflite` double rounding throughout, and
            /// FULLY_CONNECTED requantized in double precision (`double_half_away`, which is not an
            /// integer-hardware operation). Semantics `tflite_reference`.
            case reference
        }

        /// The kernel variant; `.optimized` by default.
        public var kernels: Kernels

        public init(kernels: Kernels = .optimized) {
            self.kernels = kernels
        }
    }

    /// Imports the `.tflite` file at `path`.
    public static func importModel(path: String, options: Options = Options()) throws(ModelError) -> Graph {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ModelError(file: path, "cannot read: \(error.localizedDescription)")
        }
        return try importModel(bytes: bytes, file: path, options: options)
    }

    /// Imports a `.tflite` model held in memory; errors name `file` when given. The returned graph
    /// has passed `Graph.validate()`.
    public static func importModel(bytes: [UInt8], file: String? = nil, options: Options = Options()) throws(ModelError)
        -> Graph
    {
        let model = try TFLiteModel.decode(bytes, file: file)
        var builder = TFLiteGraphBuilder(model: model, kernels: options.kernels, file: file)
        let graph = try builder.build()
        do {
            try graph.validate()
        } catch {
            throw file.map { error.inFile($0) } ?? error
        }
        return graph
    }
}
