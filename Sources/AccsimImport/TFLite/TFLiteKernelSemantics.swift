import AccsimArithmetic

/// Which rounding each LiteRT kernel uses, as measured against LiteRT 2.3.0 on x86-64
/// (docs/import-tflite.md has the measurements).
///
/// The reference kernels use `tflite` (MultiplyByQuantizedMultiplier: SRDHM, then a rounding
/// divide with ties away from zero) everywhere, except FULLY_CONNECTED, which requantizes in double
/// precision. The optimized kernels split in two groups:
/// - CONV_2D and FULLY_CONNECTED go through ruy, which rounds the final shift half up
///   (`tflite_half_up`) for every element;
/// - DEPTHWISE_CONV_2D, QUANTIZE and MEAN (keep_dims over H, W) run a SIMD loop whose rounding
///   shift rounds half up, and finish the elements that do not fill a SIMD block with the scalar
///   `tflite` code. Which elements those are is fixed by the shapes (``Split``).
/// ADD rounds with `tflite` in both variants (its SIMD code rounds like the scalar one). SOFTMAX
/// is the one optimized kernel that is not integer arithmetic at all (``softmaxIsExact(_:)``).
enum TFLiteKernelSemantics {
    /// A rounding mode for an operator and, when LiteRT rounds a range of positions differently,
    /// those positions (`tail`, which LiteRT rounds with `tflite` while the graph uses `rounding`).
    struct Split: Sendable, Hashable {
        var rounding: RoundingMode
        /// Positions rounded with `tflite` by LiteRT; nil when every position follows `rounding`.
        var tail: Range<Int>?
    }

    /// CONV_2D.
    static func convolution(_ kernels: TFLiteImporter.Options.Kernels) -> RoundingMode {
        kernels == .optimized ? .tfliteHalfUp : .tflite
    }

    /// FULLY_CONNECTED.
    static func fullyConnected(_ kernels: TFLiteImporter.Options.Kernels) -> RoundingMode {
        kernels == .optimized ? .tfliteHalfUp : .doubleHalfAway
    }

    /// ADD (input rescales and output).
    static let add: RoundingMode = .tflite

    /// Whether accsim's integer softmax reproduces LiteRT's SOFTMAX exactly. The reference kernel
    /// is the gemmlowp fixed-point algorithm accsim implements; the optimized x86 kernel instead
    /// builds a float32 table `expf(−s_in·β·d)` for d = 0…255, sums a row's entries in float32,
    /// and outputs `round(entry · (1 / (sum · s_out))) + zp_out`, which differs by one on rare
    /// elements (measured: about one element in 8,000 rows).
    static func softmaxIsExact(_ kernels: TFLiteImporter.Options.Kernels) -> Bool {
        kernels == .reference
    }

    /// DEPTHWISE_CONV_2D over `channels` output channels: the optimized kernel rounds channels in
    /// blocks of 16 and then one block of 8 with a half-up shift, the remaining `channels mod 8`
    /// with `tflite`.
    static func depthwise(channels: Int, _ kernels: TFLiteImporter.Options.Kernels) -> Split {
        split(count: channels, block: 8, kernels)
    }

    /// QUANTIZE (int8 → int8) of `elements` elements (the whole tensor, flattened): blocks of 16
    /// half up, the last `elements mod 16` with `tflite`.
    static func quantize(elements: Int, _ kernels: TFLiteImporter.Options.Kernels) -> Split {
        split(count: elements, block: 16, kernels)
    }

    /// The optimized MEAN over H and W with keep_dims of a 4-D tensor, `channels` channels: blocks
    /// of 16 channels half up, the last `channels mod 16` with `tflite` (with one thread; LiteRT
    /// splits the channels between threads when it has several, which moves the blocks).
    static func meanKeepDims(channels: Int, _ kernels: TFLiteImporter.Options.Kernels) -> Split {
        split(count: channels, block: 16, kernels)
    }

    /// Blocks of `block` positions half up, the rest `tflite`; all `tflite` for the reference
    /// kernels. A count that is all blocks or all rest is exact with one mode; a mixed count uses
    /// `tflite_half_up` and reports the rest as the tail.
    private static func split(count: Int, block: Int, _ kernels: TFLiteImporter.Options.Kernels) -> Split {
        guard kernels == .optimized else { return Split(rounding: .tflite, tail: nil) }
        let vectorised = count / block * block
        if vectorised == count { return Split(rounding: .tfliteHalfUp, tail: nil) }
        if vectorised == 0 { return Split(rounding: .tflite, tail: nil) }
        return Split(rounding: .tfliteHalfUp, tail: vectorised..<count)
    }
}
