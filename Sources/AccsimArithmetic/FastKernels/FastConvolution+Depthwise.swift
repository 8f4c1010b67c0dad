import CAccsimKernels

/// The depthwise weights of ``FastConvolution`` on a C path: `w − zp_w` as int16 (|w − zp_w| ≤
/// 255), channels padded to a multiple of 16, in the layout of the path's kernel (tap pairs
/// interleaved for x86's `vpmaddwd`, `[tap][channel]` for NEON), and the bias padded alike.
struct DepthwiseWeights: Sendable {
    /// Channels rounded up to a multiple of 16 (the kernels' step).
    let paddedChannels: Int
    let taps: Int
    let weights: [Int16]
    let bias: [Int32]

    /// nil when some `w − zp_w` does not fit int16 (a weight zero point far outside the weight
    /// type's range): the direct path handles that.
    init?(
        path: KernelPath, bytes: UnsafeRawBufferPointer, signed: Bool, channels: Int, taps: Int, zeroPoints: [Int32],
        bias: [Int32]
    ) {
        let cp = (channels + 15) / 16 * 16
        paddedChannels = cp
        self.taps = taps
        // OHWI with one input channel: weight (channel c, tap t) at byte c·taps + t.
        var plain = [Int16](repeating: 0, count: taps * cp)
        for c in 0..<channels {
            for t in 0..<taps {
                let byte = bytes[c * taps + t]
                let w = signed ? Int32(Int8(bitPattern: byte)) : Int32(byte)
                guard let value = Int16(exactly: Int64(w) - Int64(zeroPoints[c])) else { return nil }
                plain[t * cp + c] = value
            }
        }
        switch path {
        case .avx512vnni, .avxvnni, .avx2:
            #if arch(x86_64)
            let pairs = (taps + 1) / 2
            weights = [Int16](unsafeUninitializedCapacity: pairs * cp * 2) { out, initialized in
                plain.withUnsafeBufferPointer {
                    accsim_depthwise_pack_avx2($0.baseAddress!, taps, cp, out.baseAddress!)
                }
                initialized = pairs * cp * 2
            }
            #else
            preconditionFailure("DepthwiseWeights: \(path.rawValue) exists only on x86-64")
            #endif
        case .neon, .portable:
            weights = plain
        }
        self.bias = bias + [Int32](repeating: 0, count: cp - channels)
    }

    var byteCount: Int { weights.count * 2 + bias.count * 4 }
}

extension FastConvolution {
    /// Output pixels per parallel item of the depthwise path: a multiple of 16, so every item's
    /// rows of int32 outputs start on a 64-byte boundary of the output (for any channel count)
    /// and no cache line is written by two threads.
    static let depthwiseRowsPerItem = 64

    func depthwiseConvolution(
        _ depthwise: DepthwiseWeights, input: IntTensor, inputZeroPoint: Int32, geometry g: Geometry, threads: Int,
        requantize: Bool, output: UnsafeMutablePointer<Int32>
    ) {
        let cp = depthwise.paddedChannels
        let cout = outChannels
        let pixels = g.batch * g.height * g.width
        // x − zp as int16 (|x − zp| ≤ 255), channels padded with zeros.
        let x = [Int16](unsafeUninitializedCapacity: pixels * cp) { out, initialized in
            input.values.withUnsafeBufferPointer { values in
                for pixel in 0..<pixels {
                    let source = values.baseAddress! + pixel * cout
                    let destination = out.baseAddress! + pixel * cp
                    for c in 0..<cout { destination[c] = Int16(truncatingIfNeeded: source[c] &- inputZeroPoint) }
                    for c in cout..<cp { destination[c] = 0 }
                }
            }
            initialized = pixels * cp
        }
        var geometry = accsim_depthwise_geometry(
            height: g.height, width: g.width, channels: cp, out_height: g.outHeight, out_width: g.outWidth,
            kernel_height: kernelHeight, kernel_width: kernelWidth, stride_height: stride.height,
            stride_width: stride.width, dilation_height: dilation.height, dilation_width: dilation.width,
            pad_top: padding.top, pad_left: padding.left)
        let rowsPerItem = Self.depthwiseRowsPerItem
        let items = (g.rows + rowsPerItem - 1) / rowsPerItem
        x.withUnsafeBufferPointer { x in
            depthwise.weights.withUnsafeBufferPointer { w in
                depthwise.bias.withUnsafeBufferPointer { bias in
                    withUnsafePointer(to: &geometry) { geometry in
                        nonisolated(unsafe) let output = output
                        FastKernels.parallelFor(
                            items, threads: threads,
                            scratch: { _ in UnsafeMutablePointer<Int32>.allocate(capacity: rowsPerItem * cp) },
                            { accumulators, item in
                                let firstRow = item * rowsPerItem
                                let rows = min(rowsPerItem, g.rows - firstRow)
                                Self.depthwiseKernel(
                                    path, x.baseAddress!, w.baseAddress!, bias.baseAddress!, accumulators, geometry,
                                    firstRow, rows)
                                let destination = output + firstRow * cout
                                if requantize {
                                    requantizer.apply(
                                        accumulators, sourceStride: cp, destination, destinationStride: cout,
                                        rows: rows,
                                        columns: cout, firstChannel: 0)
                                } else {
                                    for r in 0..<rows {
                                        (destination + r * cout).update(from: accumulators + r * cp, count: cout)
                                    }
                                }
                            },
                            finish: { $0.deallocate() })
                    }
                }
            }
        }
    }

    /// The depthwise kernel of `path` (see `accsim_depthwise_avx2`).
    private static func depthwiseKernel(
        _ path: KernelPath, _ x: UnsafePointer<Int16>, _ w: UnsafePointer<Int16>, _ bias: UnsafePointer<Int32>,
        _ out: UnsafeMutablePointer<Int32>, _ geometry: UnsafePointer<accsim_depthwise_geometry>, _ firstRow: Int,
        _ rows: Int
    ) {
        switch path {
        case .avx512vnni, .avxvnni, .avx2:
            #if arch(x86_64)
            accsim_depthwise_avx2(x, w, bias, out, geometry, firstRow, rows)
            #else
            preconditionFailure("depthwise: \(path.rawValue) exists only on x86-64")
            #endif
        case .neon:
            #if arch(arm64)
            accsim_depthwise_neon(x, w, bias, out, geometry, firstRow, rows)
            #else
            preconditionFailure("depthwise: neon exists only on AArch64")
            #endif
        case .portable:
            preconditionFailure("depthwise: the portable path uses the direct kernel")
        }
    }
}
