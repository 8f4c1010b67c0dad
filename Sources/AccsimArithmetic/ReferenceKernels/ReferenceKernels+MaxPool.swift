extension ReferenceKernels {
    /// Max pooling over the spatial axes of an NHWC tensor.
    ///
    /// Window `(oy, ox)` covers input rows `oy·stride_h − pad_top + ky` and columns
    /// `ox·stride_w − pad_left + kx`; the maximum is taken over the taps inside the image only
    /// (padding never wins), then clamped to `[clamp_min, clamp_max]`. The output keeps the input's
    /// element type. A window without any in-image tap (excluded by validation) yields `clamp_min`.
    public static func maxPool(_ input: IntTensor, parameters: MaxPoolParameters) -> IntTensor {
        let p = parameters
        let geometry = PoolGeometry(
            input.shape, window: p.window, stride: p.stride, padding: p.padding, kernel: "maxPool")
        var values = [Int32](repeating: 0, count: geometry.outputCount)
        var outIndex = 0
        for b in 0..<geometry.batch {
            for oy in 0..<geometry.outHeight {
                for ox in 0..<geometry.outWidth {
                    for c in 0..<geometry.channels {
                        var best = Int64.min
                        geometry.forEachTap(b, oy, ox, c) { index in
                            best = max(best, Int64(input.values[index]))
                        }
                        values[outIndex] = best == .min ? p.clampMin : clamped(best, p.clampMin, p.clampMax)
                        outIndex += 1
                    }
                }
            }
        }
        return IntTensor(shape: geometry.outputShape, elementType: input.elementType, values: values)
    }
}

/// Output extents, strides and window traversal shared by the pooling kernels.
struct PoolGeometry {
    let batch, inHeight, inWidth, channels: Int
    let outHeight, outWidth: Int
    let window: Size2D, stride: Size2D, padding: Padding2D

    init(_ shape: [Int], window: Size2D, stride: Size2D, padding: Padding2D, kernel: String) {
        (batch, inHeight, inWidth, channels) = ReferenceKernels.extents4(shape, "\(kernel) input")
        guard
            let oh = slidingWindowOutputExtent(
                input: inHeight, padBefore: padding.top, padAfter: padding.bottom, kernel: window.height,
                stride: stride.height, dilation: 1),
            let ow = slidingWindowOutputExtent(
                input: inWidth, padBefore: padding.left, padAfter: padding.right, kernel: window.width,
                stride: stride.width, dilation: 1)
        else {
            preconditionFailure("\(kernel): the window does not fit the padded input")
        }
        outHeight = oh
        outWidth = ow
        self.window = window
        self.stride = stride
        self.padding = padding
    }

    var outputShape: [Int] { [batch, outHeight, outWidth, channels] }
    var outputCount: Int { batch * outHeight * outWidth * channels }

    /// Calls `body` with the flat input index of every in-image tap of window `(oy, ox)` on
    /// channel `c`, in (ky, kx) order.
    @inline(__always)
    func forEachTap(_ b: Int, _ oy: Int, _ ox: Int, _ c: Int, _ body: (Int) -> Void) {
        for ky in 0..<window.height {
            let iy = oy * stride.height - padding.top + ky
            if iy < 0 || iy >= inHeight { continue }
            for kx in 0..<window.width {
                let ix = ox * stride.width - padding.left + kx
                if ix < 0 || ix >= inWidth { continue }
                body(((b * inHeight + iy) * inWidth + ix) * channels + c)
            }
        }
    }
}
