import CAccsimKernels

/// The depthwise weights of ``FastConvolution`` on a C path: `w − zp_w` (|w − zp_w| ≤ 255 for
/// weights and zero points of the weight type), channels padded to a multiple of 16, in the
/// layout of the path's kernel, and the bias padded alike.
struct DepthwiseWeights: Sendable {
    /// How the kernel multiplies taps.
    enum Layout: Sendable, Equatable {
        /// x86 `vpmaddwd` / `vpdpwssd`: two horizontal taps of a kernel row as int16 in one word.
        case pairs
        /// x86 `vpdpbusd`: four horizontal taps as int8 in one word (every `w − zp_w` in
        /// −128 … 127, unit horizontal dilation).
        case quads
        /// NEON and portable: `[tap][channel]` int16.
        case plain
    }

    let layout: Layout
    /// Channels rounded up to a multiple of 16 (the kernels' step).
    let paddedChannels: Int
    let taps: Int
    /// NEON: `[tap][cp]` int16.
    let weights: [Int16]
    /// x86: `accsim_depthwise_pack_pairs`' or `accsim_depthwise_pack_quads`' layout.
    let pairs: [Int32]
    /// x86: Σ over the taps of `w − zp_w` per channel (the input zero point's correction).
    let sums: [Int32]
    let bias: [Int32]

    /// nil when some `w − zp_w` does not fit int16 (a weight zero point far outside the weight
    /// type's range): the direct path handles that. `quads`: take the quad layout on an x86 path
    /// when every `w − zp_w` fits int8 (else pairs).
    init?(
        path: KernelPath, bytes: UnsafeRawBufferPointer, signed: Bool, channels: Int, kernelHeight: Int,
        kernelWidth: Int, zeroPoints: [Int32], bias: [Int32], quads: Bool = false
    ) {
        let cp = (channels + 15) / 16 * 16
        let taps = kernelHeight * kernelWidth
        paddedChannels = cp
        self.taps = taps
        // OHWI with one input channel: weight (channel c, tap t) at byte c·taps + t.
        var plain = [Int16](repeating: 0, count: taps * cp)
        var sums = [Int32](repeating: 0, count: cp)
        var fitsInt8 = true
        for c in 0..<channels {
            for t in 0..<taps {
                let byte = bytes[c * taps + t]
                let w = signed ? Int32(Int8(bitPattern: byte)) : Int32(byte)
                guard let value = Int16(exactly: Int64(w) - Int64(zeroPoints[c])) else { return nil }
                plain[t * cp + c] = value
                sums[c] &+= Int32(value)
                fitsInt8 = fitsInt8 && Int8(exactly: value) != nil
            }
        }
        self.sums = sums
        switch path {
        case .avx512vnni, .avxvnni, .avx2:
            let useQuads = quads && fitsInt8
            layout = useQuads ? .quads : .pairs
            let count = kernelHeight * (useQuads ? (kernelWidth + 3) / 4 : (kernelWidth + 1) / 2) * cp
            pairs = [Int32](unsafeUninitializedCapacity: count) { out, initialized in
                plain.withUnsafeBufferPointer {
                    if useQuads {
                        accsim_depthwise_pack_quads($0.baseAddress!, kernelHeight, kernelWidth, cp, out.baseAddress!)
                    } else {
                        accsim_depthwise_pack_pairs($0.baseAddress!, kernelHeight, kernelWidth, cp, out.baseAddress!)
                    }
                }
                initialized = count
            }
            weights = []
        case .neon, .portable:
            layout = .plain
            weights = plain
            pairs = []
        }
        self.bias = bias + [Int32](repeating: 0, count: cp - channels)
    }

    var byteCount: Int { weights.count * 2 + pairs.count * 4 + sums.count * 4 + bias.count * 4 }
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
        switch path {
        case .avx512vnni, .avxvnni, .avx2:
            depthwisePairs(
                depthwise, input: input, inputZeroPoint: inputZeroPoint, geometry: g, threads: threads,
                requantize: requantize, output: output)
        case .neon, .portable:
            depthwisePixels(
                depthwise, input: input, inputZeroPoint: inputZeroPoint, geometry: g, threads: threads,
                requantize: requantize, output: output)
        }
    }

    /// The x86 kernel: one output row per work item; each worker keeps the pair rows of the input
    /// rows its next output rows read (`accsim_depthwise_pairs_avx2`), so an input row is turned
    /// into pairs once per worker, not once per output row that reads it.
    private func depthwisePairs(
        _ depthwise: DepthwiseWeights, input: IntTensor, inputZeroPoint: Int32, geometry g: Geometry, threads: Int,
        requantize: Bool, output: UnsafeMutablePointer<Int32>
    ) {
        let cp = depthwise.paddedChannels
        let cout = outChannels
        let quads = depthwise.layout == .quads
        // Pairs hold the values x, quads the bytes u = x + 128 (int8) or x (uint8); taps outside
        // the image read the zero point in the same form, X0. Σ (u − X0)·w = Σ u·w − X0·Σ w.
        let flip: Int32 = input.elementType == .int8 ? 0x80 : 0
        let x0 = quads ? inputZeroPoint &+ flip : inputZeroPoint
        let bias = (0..<cp).map { depthwise.bias[$0] &- x0 &* depthwise.sums[$0] }
        let wordsPerRow =
            quads
            ? (g.outWidth - 1) * stride.width + 4 * ((kernelWidth + 3) / 4 - 1) + 1
            : (g.outWidth - 1) * stride.width + (kernelWidth - 1) * dilation.width + 1
        var geometry = accsim_depthwise_pairs_geometry(
            height: g.height, width: g.width, channels: cout, cp: cp, out_height: g.outHeight, out_width: g.outWidth,
            kernel_height: kernelHeight, kernel_width: kernelWidth, stride_height: stride.height,
            stride_width: stride.width, dilation_height: dilation.height, dilation_width: dilation.width,
            pad_top: padding.top, pad_left: padding.left, pair_width: wordsPerRow,
            ring_rows: (kernelHeight - 1) * dilation.height + 1, zero_point: inputZeroPoint, byte_flip: flip,
            pad_byte: x0)
        let rowWords = geometry.pair_width * cp
        let ringWords = geometry.ring_rows * rowWords
        let outWords = g.outWidth * cp
        let ringRows = geometry.ring_rows
        // The pad row: the zero point in both halves of a pair word, in all four bytes of a quad.
        let padPair =
            quads
            ? Int32(bitPattern: UInt32(UInt8(truncatingIfNeeded: x0)) * 0x0101_0101)
            : Int32(bitPattern: UInt32(UInt16(truncatingIfNeeded: inputZeroPoint)) * 0x1_0001)
        let outWidth = g.outWidth
        let path = path
        input.values.withUnsafeBufferPointer { x in
            depthwise.pairs.withUnsafeBufferPointer { w in
                bias.withUnsafeBufferPointer { bias in
                    withUnsafePointer(to: &geometry) { geometry in
                        nonisolated(unsafe) let output = output
                        FastKernels.parallelFor(
                            g.batch * g.outHeight, threads: threads,
                            scratch: { _ in
                                // 64-byte aligned: the AVX-512 kernel's loads then stay within one cache line.
                                let words = UnsafeMutableRawPointer.allocate(
                                    byteCount: (ringWords + rowWords + outWords) * 4, alignment: 64
                                ).bindMemory(to: Int32.self, capacity: ringWords + rowWords + outWords)
                                (words + ringWords).initialize(repeating: padPair, count: rowWords)
                                let tags = UnsafeMutablePointer<Int64>.allocate(capacity: ringRows)
                                tags.initialize(repeating: -1, count: ringRows)
                                return (words, tags)
                            },
                            { scratch, row in
                                let (words, tags) = scratch
                                let accumulators = words + ringWords + rowWords
                                Self.depthwisePairsKernel(
                                    path, quads: quads, x.baseAddress!, w.baseAddress!, bias.baseAddress!, geometry,
                                    row, words,
                                    tags, words + ringWords, accumulators)
                                let destination = output + row * outWidth * cout
                                if requantize {
                                    requantizer.apply(
                                        accumulators, sourceStride: cp, destination, destinationStride: cout,
                                        rows: outWidth, columns: cout, firstChannel: 0)
                                } else {
                                    for r in 0..<outWidth {
                                        (destination + r * cout).update(from: accumulators + r * cp, count: cout)
                                    }
                                }
                            },
                            finish: { scratch in
                                scratch.0.deallocate()
                                scratch.1.deallocate()
                            })
                    }
                }
            }
        }
    }

    /// `path`'s instance of `accsim_depthwise_pairs_avx2` or (`quads`) `accsim_depthwise_quads_avx2`.
    private static func depthwisePairsKernel(
        _ path: KernelPath, quads: Bool, _ x: UnsafePointer<Int32>, _ w: UnsafePointer<Int32>,
        _ bias: UnsafePointer<Int32>,
        _ geometry: UnsafePointer<accsim_depthwise_pairs_geometry>, _ row: Int, _ ring: UnsafeMutablePointer<Int32>,
        _ tags: UnsafeMutablePointer<Int64>, _ padRow: UnsafePointer<Int32>, _ out: UnsafeMutablePointer<Int32>
    ) {
        #if arch(x86_64)
        if quads {
            switch path {
            case .avx512vnni: accsim_depthwise_quads_avx512vnni(x, w, bias, geometry, row, ring, tags, padRow, out)
            case .avxvnni: accsim_depthwise_quads_avxvnni(x, w, bias, geometry, row, ring, tags, padRow, out)
            case .avx2: accsim_depthwise_quads_avx2(x, w, bias, geometry, row, ring, tags, padRow, out)
            case .neon, .portable: preconditionFailure("depthwise quads: \(path.rawValue) is not an x86 path")
            }
            return
        }
        switch path {
        case .avx512vnni: accsim_depthwise_pairs_avx512vnni(x, w, bias, geometry, row, ring, tags, padRow, out)
        case .avxvnni: accsim_depthwise_pairs_avxvnni(x, w, bias, geometry, row, ring, tags, padRow, out)
        case .avx2: accsim_depthwise_pairs_avx2(x, w, bias, geometry, row, ring, tags, padRow, out)
        case .neon, .portable: preconditionFailure("depthwise pairs: \(path.rawValue) is not an x86 path")
        }
        #else
        preconditionFailure("depthwise pairs: the x86 kernels exist only on x86-64")
        #endif
    }

    /// The NEON kernel: items of `depthwiseRowsPerItem` output pixels over `x − zp` as int16.
    private func depthwisePixels(
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

    /// The NEON depthwise kernel (see `accsim_depthwise_neon`).
    private static func depthwiseKernel(
        _ path: KernelPath, _ x: UnsafePointer<Int16>, _ w: UnsafePointer<Int16>, _ bias: UnsafePointer<Int32>,
        _ out: UnsafeMutablePointer<Int32>, _ geometry: UnsafePointer<accsim_depthwise_geometry>, _ firstRow: Int,
        _ rows: Int
    ) {
        #if arch(arm64)
        precondition(path == .neon, "depthwise: \(path.rawValue) has no per-pixel kernel")
        accsim_depthwise_neon(x, w, bias, out, geometry, firstRow, rows)
        #else
        preconditionFailure("depthwise: neon exists only on AArch64")
        #endif
    }
}
