import AccsimModel

/// The builtin options tables the importer reads, decoded from their flatbuffer tables. A missing
/// table decodes to the schema defaults (`init(table: nil)`); field ids follow `schema.fbs`.
enum TFLiteOptions {
    /// `Conv2DOptions`.
    struct Conv2D: Sendable {
        var padding: Int8
        var strideW: Int32
        var strideH: Int32
        var activation: Int8
        var dilationW: Int32
        var dilationH: Int32
        var quantizedBiasType: Int8

        init(table t: FlatTable?) throws(ModelError) {
            padding = try t?.int8(0, "padding") ?? 0
            strideW = try t?.int32(1, "stride_w") ?? 0
            strideH = try t?.int32(2, "stride_h") ?? 0
            activation = try t?.int8(3, "fused_activation_function") ?? 0
            dilationW = try t?.int32(4, "dilation_w_factor", default: 1) ?? 1
            dilationH = try t?.int32(5, "dilation_h_factor", default: 1) ?? 1
            quantizedBiasType = try t?.int8(6, "quantized_bias_type") ?? 0
        }
    }

    /// `DepthwiseConv2DOptions`.
    struct DepthwiseConv2D: Sendable {
        var padding: Int8
        var strideW: Int32
        var strideH: Int32
        var depthMultiplier: Int32
        var activation: Int8
        var dilationW: Int32
        var dilationH: Int32

        init(table t: FlatTable?) throws(ModelError) {
            padding = try t?.int8(0, "padding") ?? 0
            strideW = try t?.int32(1, "stride_w") ?? 0
            strideH = try t?.int32(2, "stride_h") ?? 0
            depthMultiplier = try t?.int32(3, "depth_multiplier") ?? 0
            activation = try t?.int8(4, "fused_activation_function") ?? 0
            dilationW = try t?.int32(5, "dilation_w_factor", default: 1) ?? 1
            dilationH = try t?.int32(6, "dilation_h_factor", default: 1) ?? 1
        }
    }

    /// `Pool2DOptions`.
    struct Pool2D: Sendable {
        var padding: Int8
        var strideW: Int32
        var strideH: Int32
        var filterWidth: Int32
        var filterHeight: Int32
        var activation: Int8

        init(table t: FlatTable?) throws(ModelError) {
            padding = try t?.int8(0, "padding") ?? 0
            strideW = try t?.int32(1, "stride_w") ?? 0
            strideH = try t?.int32(2, "stride_h") ?? 0
            filterWidth = try t?.int32(3, "filter_width") ?? 0
            filterHeight = try t?.int32(4, "filter_height") ?? 0
            activation = try t?.int8(5, "fused_activation_function") ?? 0
        }
    }

    /// `FullyConnectedOptions`.
    struct FullyConnected: Sendable {
        var activation: Int8
        var weightsFormat: Int8
        var keepNumDims: Bool
        var quantizedBiasType: Int8

        init(table t: FlatTable?) throws(ModelError) {
            activation = try t?.int8(0, "fused_activation_function") ?? 0
            weightsFormat = try t?.int8(1, "weights_format") ?? 0
            keepNumDims = try t?.bool(2, "keep_num_dims") ?? false
            quantizedBiasType = try t?.int8(4, "quantized_bias_type") ?? 0
        }
    }

    /// `SoftmaxOptions`.
    struct Softmax: Sendable {
        var beta: Float

        init(table t: FlatTable?) throws(ModelError) {
            beta = try t?.float32(0, "beta") ?? 0
        }
    }

    /// `ConcatenationOptions`.
    struct Concatenation: Sendable {
        var axis: Int32
        var activation: Int8

        init(table t: FlatTable?) throws(ModelError) {
            axis = try t?.int32(0, "axis") ?? 0
            activation = try t?.int8(1, "fused_activation_function") ?? 0
        }
    }

    /// `AddOptions`.
    struct Add: Sendable {
        var activation: Int8
        /// int16 only: the power-of-two-scales kernel (schema default true); the converter writes
        /// false for its general-scale int16 kernel.
        var potScaleInt16: Bool

        init(table t: FlatTable?) throws(ModelError) {
            activation = try t?.int8(0, "fused_activation_function") ?? 0
            potScaleInt16 = try t?.bool(1, "pot_scale_int16", default: true) ?? true
        }
    }

    /// `ReducerOptions` (MEAN).
    struct Reducer: Sendable {
        var keepDims: Bool

        init(table t: FlatTable?) throws(ModelError) {
            keepDims = try t?.bool(0, "keep_dims") ?? false
        }
    }
}
