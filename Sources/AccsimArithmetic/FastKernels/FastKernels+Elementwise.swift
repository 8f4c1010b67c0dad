import CAccsimKernels

extension FastKernels {
    /// Elements per parallel block of the elementwise kernels (below it, one thread).
    static let elementwiseBlock = 1 << 15

    /// Splits `count` elements of rows of `rowLength` into blocks of whole rows for
    /// ``parallelFor(_:threads:_:)``: (elements per block, blocks).
    private static func blocks(count: Int, rowLength: Int) -> (size: Int, count: Int) {
        let rowLength = max(1, rowLength)
        let size = max(1, elementwiseBlock / rowLength) * rowLength
        return (size, (count + size - 1) / size)
    }

    /// ``ReferenceKernels/requantize(_:zeroPoint:requantizer:outputType:)``:
    /// `out = requantizer.apply(q − zeroPoint, channel: c)`, `c` the index along the last axis.
    public static func requantize(
        _ input: IntTensor, zeroPoint: Int32, requantizer: FastRequantizer, outputType: ElementType, threads: Int = 1
    ) -> IntTensor {
        let channels = input.shape.last ?? 1
        precondition(
            requantizer.requantizer.channelCount == 1 || requantizer.requantizer.channelCount == channels,
            "requantize: \(requantizer.requantizer.channelCount) channels for a last axis of \(channels)")
        let count = input.count
        let (size, blockCount) = blocks(count: count, rowLength: channels)
        let values = [Int32](unsafeUninitializedCapacity: count) { out, initialized in
            input.values.withUnsafeBufferPointer { x in
                nonisolated(unsafe) let out = out
                parallelFor(blockCount, threads: threads) { block in
                    let start = block * size
                    let n = min(size, count - start)
                    let source = x.baseAddress! + start
                    let destination = out.baseAddress! + start
                    for i in 0..<n { destination[i] = source[i] &- zeroPoint }
                    requantizer.apply(destination, destination, count: n, channels: channels)
                }
            }
            initialized = count
        }
        return IntTensor(shape: input.shape, elementType: outputType, values: values)
    }

    /// ``ReferenceKernels/add(_:zeroPointA:_:zeroPointB:parameters:overflow:outputType:)``, bit for
    /// bit, under either overflow mode (each element is independent, so no order is involved).
    public static func add(
        _ a: IntTensor, zeroPointA: Int32, _ b: IntTensor, zeroPointB: Int32, parameters: AddParameters,
        output: FastRequantizer, overflow: OverflowMode, outputType: ElementType, threads: Int = 1
    ) -> IntTensor {
        precondition(a.shape == b.shape, "add: shapes \(a.shape) and \(b.shape) differ")
        precondition(parameters.inputs.count == 2, "add: needs two input scalings, got \(parameters.inputs.count)")
        let scalingA = parameters.inputs[0]
        let scalingB = parameters.inputs[1]
        let rescaleA = scalingA.rescale.map { FastRequantizer($0, path: output.path) }
        let rescaleB = scalingB.rescale.map { FastRequantizer($0, path: output.path) }
        let channels = a.shape.last ?? 1
        let count = a.count
        let (size, blockCount) = blocks(count: count, rowLength: channels)
        let fused = fusedAdd(scalingA, zeroPointA, rescaleA, scalingB, zeroPointB, rescaleB, output: output)
        let values = [Int32](unsafeUninitializedCapacity: count) { out, initialized in
            a.values.withUnsafeBufferPointer { x in
                b.values.withUnsafeBufferPointer { y in
                    nonisolated(unsafe) let out = out
                    #if arch(x86_64)
                    if overflow == .wrap,
                        let fused32 = fusedAdd32(
                            scalingA, zeroPointA, rescaleA, scalingB, zeroPointB, rescaleB, output: output)
                    {
                        // 8 int32 lanes per step: exact for the TFLite modes under wrap.
                        parallelFor(blockCount, threads: threads) { block in
                            let start = block * size
                            let n = min(size, count - start)
                            withUnsafePointer(to: fused32.a) { inputA in
                                withUnsafePointer(to: fused32.b) { inputB in
                                    withUnsafePointer(to: fused32.output) { o in
                                        accsim_add_tflite32_avx2(
                                            fused32.halfUp ? 1 : 0, x.baseAddress! + start, inputA,
                                            y.baseAddress! + start, inputB,
                                            out.baseAddress! + start, n, o)
                                    }
                                }
                            }
                        }
                        return
                    }
                    #endif
                    if let fused {
                        // One pass per block on the C paths: scale, sum, requantize.
                        parallelFor(blockCount, threads: threads) { block in
                            let start = block * size
                            let n = min(size, count - start)
                            withUnsafePointer(to: fused.a) { inputA in
                                withUnsafePointer(to: fused.b) { inputB in
                                    let o = fused.output
                                    fused.kernel(
                                        o.mode, overflow == .saturate ? 1 : 0, x.baseAddress! + start, inputA,
                                        y.baseAddress! + start,
                                        inputB, out.baseAddress! + start, n, o.multiplier, o.shift, o.aux, o.zeroPoint,
                                        o.lower, o.upper)
                                }
                            }
                        }
                        return
                    }
                    parallelFor(
                        blockCount, threads: threads,
                        scratch: { _ in UnsafeMutablePointer<Int32>.allocate(capacity: size) },
                        { other, block in
                            let start = block * size
                            let n = min(size, count - start)
                            let sum = out.baseAddress! + start
                            scaledAddends(
                                x.baseAddress! + start, zeroPointA, scalingA.leftShift, rescaleA, overflow, n, into: sum
                            )
                            scaledAddends(
                                y.baseAddress! + start, zeroPointB, scalingB.leftShift, rescaleB, overflow, n,
                                into: other)
                            switch overflow {
                            case .wrap: for i in 0..<n { sum[i] = sum[i] &+ other[i] }
                            case .saturate: for i in 0..<n { sum[i] = OverflowMode.saturate.add(sum[i], other[i]) }
                            }
                            output.apply(sum, sum, count: n, channels: channels)
                        },
                        finish: { other in other.deallocate() })
                }
            }
            initialized = count
        }
        return IntTensor(shape: a.shape, elementType: outputType, values: values)
    }

    /// The constants of the fused C Add (``accsim_add_avx512``), or nil when it does not apply:
    /// the output requantizer per tensor on the AVX-512 path, every requantizer in the same
    /// rounding mode with a C implementation, left shifts of 0 ... 31.
    private static func fusedAdd(
        _ scalingA: AddInputScaling, _ zeroPointA: Int32, _ rescaleA: FastRequantizer?,
        _ scalingB: AddInputScaling, _ zeroPointB: Int32, _ rescaleB: FastRequantizer?, output: FastRequantizer
    ) -> (
        kernel: CAdd, a: accsim_add_input, b: accsim_add_input,
        output: (mode: Int32, multiplier: Int64, shift: Int64, aux: Int64, zeroPoint: Int64, lower: Int64, upper: Int64)
    )? {
        guard let out = output.perTensorCConstants, let kernel = cAdd(output.path) else { return nil }
        func input(_ scaling: AddInputScaling, _ zeroPoint: Int32, _ rescale: FastRequantizer?) -> accsim_add_input? {
            guard (0...31).contains(scaling.leftShift) else { return nil }
            var input = accsim_add_input(
                zero_point: Int64(zeroPoint), left_shift: Int64(scaling.leftShift), has_rescale: 0, multiplier: 0,
                shift: 0, aux: 0)
            if let rescale {
                guard let constants = rescale.perTensorCConstants, constants.mode == out.mode else { return nil }
                input.has_rescale = 1
                input.multiplier = constants.multiplier
                input.shift = constants.shift
                input.aux = constants.aux
            }
            return input
        }
        guard let a = input(scalingA, zeroPointA, rescaleA), let b = input(scalingB, zeroPointB, rescaleB) else {
            return nil
        }
        return (kernel, a, b, out)
    }

    #if arch(x86_64)
    /// The constants of the 32-bit-lane fused Add (``accsim_add_tflite32_avx2``), or nil: it
    /// needs a C path, every requantizer per tensor in the same TFLite mode with its int32
    /// constants (``FastRequantizer/tflite32``), left shifts of 0 ... 31 and `wrap` (checked by
    /// the caller).
    private static func fusedAdd32(
        _ scalingA: AddInputScaling, _ zeroPointA: Int32, _ rescaleA: FastRequantizer?,
        _ scalingB: AddInputScaling, _ zeroPointB: Int32, _ rescaleB: FastRequantizer?, output: FastRequantizer
    ) -> (halfUp: Bool, a: accsim_add_input32, b: accsim_add_input32, output: accsim_add_input32)? {
        guard cAdd(output.path) != nil, let out = output.tflite32, out.multipliers.count == 1 else { return nil }
        let rounding = output.requantizer.rounding
        func input(_ scaling: AddInputScaling, _ zeroPoint: Int32, _ rescale: FastRequantizer?) -> accsim_add_input32? {
            guard (0...31).contains(scaling.leftShift) else { return nil }
            var input = accsim_add_input32(
                zero_point: zeroPoint, left_shift: Int32(scaling.leftShift), has_rescale: 0, multiplier: 0, right: 0,
                left: 0,
                lower_minus_zero_point: 0, upper_minus_zero_point: 0)
            if let rescale {
                guard rescale.requantizer.rounding == rounding, let r = rescale.tflite32, r.multipliers.count == 1
                else { return nil }
                input.has_rescale = 1
                input.multiplier = r.multipliers[0]
                input.right = r.right[0]
                input.left = r.left[0]
            }
            return input
        }
        guard let a = input(scalingA, zeroPointA, rescaleA), let b = input(scalingB, zeroPointB, rescaleB) else {
            return nil
        }
        let o = accsim_add_input32(
            zero_point: output.requantizer.zeroPoint, left_shift: 0, has_rescale: 1, multiplier: out.multipliers[0],
            right: out.right[0], left: out.left[0], lower_minus_zero_point: out.lower, upper_minus_zero_point: out.upper
        )
        return (rounding == .tfliteHalfUp, a, b, o)
    }
    #endif

    /// The C signature of the fused Add (`accsim_add_avx512` and its AVX2 twin).
    typealias CAdd =
        @convention(c) (
            Int32, Int32, UnsafePointer<Int32>?, UnsafePointer<accsim_add_input>?, UnsafePointer<Int32>?,
            UnsafePointer<accsim_add_input>?, UnsafeMutablePointer<Int32>?, Int, Int64, Int64, Int64, Int64, Int64,
            Int64
        ) -> Void

    /// The fused C Add of `path`, or nil.
    private static func cAdd(_ path: KernelPath) -> CAdd? {
        #if arch(x86_64)
        switch path {
        case .avx512vnni: return accsim_add_avx512
        case .avxvnni, .avx2: return accsim_add_avx2
        case .neon, .portable: return nil
        }
        #else
        return nil
        #endif
    }

    /// The C signature of max pooling (`accsim_max_pool_avx512` and its AVX2 twin).
    typealias CMaxPool =
        @convention(c) (
            UnsafePointer<Int32>?, UnsafeMutablePointer<Int32>?, UnsafePointer<accsim_pool_geometry>?, Int, Int, Int32,
            Int32
        ) -> Void

    /// The C max pooling of `path`, or nil.
    private static func cMaxPool(_ path: KernelPath) -> CMaxPool? {
        guard path.isAvailable else { return nil }
        #if arch(x86_64)
        switch path {
        case .avx512vnni: return accsim_max_pool_avx512
        case .avxvnni, .avx2: return accsim_max_pool_avx2
        case .neon, .portable: return nil
        }
        #else
        return nil
        #endif
    }

    /// One Add input brought to the common scale: `narrow((q − zp) · 2^leftShift)`, then the
    /// optional rescale's rounding, narrowed again (``ReferenceKernels`` `scaledAddend`).
    private static func scaledAddends(
        _ q: UnsafePointer<Int32>, _ zeroPoint: Int32, _ leftShift: Int, _ rescale: FastRequantizer?,
        _ overflow: OverflowMode, _ count: Int, into destination: UnsafeMutablePointer<Int32>
    ) {
        if leftShift == 0 {
            // |q − zp| < 2^32 always fits 64 bits; narrow only when it leaves int32.
            switch overflow {
            case .wrap: for i in 0..<count { destination[i] = q[i] &- zeroPoint }
            case .saturate: for i in 0..<count { destination[i] = Int32(clamping: Int64(q[i]) &- Int64(zeroPoint)) }
            }
        } else if (0..<64).contains(leftShift) {
            // |q − zp| < 2^32, so the product is exact in 64 bits for shifts up to 31 and wraps
            // exactly as `<<` does beyond.
            let shift = Int64(leftShift)
            let zeroPoint = Int64(zeroPoint)
            switch overflow {
            case .wrap:
                for i in 0..<count { destination[i] = Int32(truncatingIfNeeded: (Int64(q[i]) &- zeroPoint) &<< shift) }
            case .saturate:
                for i in 0..<count { destination[i] = Int32(clamping: (Int64(q[i]) &- zeroPoint) &<< shift) }
            }
        } else {
            let shift = Int64(leftShift)
            for i in 0..<count { destination[i] = overflow.narrow((Int64(q[i]) - Int64(zeroPoint)) << shift) }
        }
        rescale?.scaleInPlace(destination, count: count, overflow: overflow)
    }

    /// ``ReferenceKernels/maxPool(_:parameters:)``: the maximum over the in-image taps of each
    /// window, clamped; a window without taps gives `clamp_min`. Vectorised across channels (16
    /// lanes with AVX-512 on ``KernelPath/vnni``).
    public static func maxPool(
        _ input: IntTensor, parameters: MaxPoolParameters, threads: Int = 1, path: KernelPath = .best
    ) -> IntTensor {
        let p = parameters
        precondition(input.shape.count == 4, "maxPool: expected a rank-4 input, got \(input.shape)")
        let (batch, height, width, channels) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        guard
            let outHeight = slidingWindowOutputExtent(
                input: height, padBefore: p.padding.top, padAfter: p.padding.bottom, kernel: p.window.height,
                stride: p.stride.height, dilation: 1),
            let outWidth = slidingWindowOutputExtent(
                input: width, padBefore: p.padding.left, padAfter: p.padding.right, kernel: p.window.width,
                stride: p.stride.width, dilation: 1)
        else {
            preconditionFailure("maxPool: the window does not fit the padded input")
        }
        let rows = batch * outHeight * outWidth
        let count = rows * channels
        let rowsPerBlock = max(1, elementwiseBlock / max(1, channels))
        let blockCount = (rows + rowsPerBlock - 1) / rowsPerBlock
        let lower = p.clampMin
        let upper = p.clampMax
        let values = [Int32](unsafeUninitializedCapacity: count) { out, initialized in
            input.values.withUnsafeBufferPointer { x in
                nonisolated(unsafe) let out = out
                let geometry = accsim_pool_geometry(
                    height: height, width: width, channels: channels, out_height: outHeight, out_width: outWidth,
                    window_height: p.window.height, window_width: p.window.width, stride_height: p.stride.height,
                    stride_width: p.stride.width, pad_top: p.padding.top, pad_left: p.padding.left)
                let cKernel = cMaxPool(path)
                parallelFor(blockCount, threads: threads) { block in
                    let firstRow = block * rowsPerBlock
                    if let cKernel {
                        withUnsafePointer(to: geometry) { geometry in
                            cKernel(
                                x.baseAddress!, out.baseAddress!, geometry, firstRow,
                                min(rowsPerBlock, rows - firstRow), lower, upper)
                        }
                        return
                    }
                    for row in firstRow..<min(rows, firstRow + rowsPerBlock) {
                        let ox = row % outWidth
                        let oy = (row / outWidth) % outHeight
                        let b = row / (outWidth * outHeight)
                        let destination = out.baseAddress! + row * channels
                        var taps = 0
                        for ky in 0..<p.window.height {
                            let iy = oy * p.stride.height - p.padding.top + ky
                            if iy < 0 || iy >= height { continue }
                            for kx in 0..<p.window.width {
                                let ix = ox * p.stride.width - p.padding.left + kx
                                if ix < 0 || ix >= width { continue }
                                let source = x.baseAddress! + ((b * height + iy) * width + ix) * channels
                                if taps == 0 {
                                    destination.update(from: source, count: channels)
                                } else {
                                    Self.maximize(destination, with: source, count: channels)
                                }
                                taps += 1
                            }
                        }
                        if taps == 0 {
                            destination.update(repeating: lower, count: channels)
                        } else {
                            Self.clamp(destination, lower, upper, count: channels)
                        }
                    }
                }
            }
            initialized = count
        }
        return IntTensor(shape: [batch, outHeight, outWidth, channels], elementType: input.elementType, values: values)
    }

    /// `destination[c] = max(destination[c], source[c])`, eight lanes at a time.
    @inline(__always)
    private static func maximize(
        _ destination: UnsafeMutablePointer<Int32>, with source: UnsafePointer<Int32>, count: Int
    ) {
        var c = 0
        while c + 8 <= count {
            let a = UnsafeRawPointer(destination + c).loadUnaligned(as: SIMD8<Int32>.self)
            let b = UnsafeRawPointer(source + c).loadUnaligned(as: SIMD8<Int32>.self)
            UnsafeMutableRawPointer(destination + c).storeBytes(of: pointwiseMax(a, b), as: SIMD8<Int32>.self)
            c &+= 8
        }
        while c < count {
            destination[c] = max(destination[c], source[c])
            c &+= 1
        }
    }

    /// `values[c] = min(max(values[c], lower), upper)`, eight lanes at a time.
    @inline(__always)
    private static func clamp(_ values: UnsafeMutablePointer<Int32>, _ lower: Int32, _ upper: Int32, count: Int) {
        let low = SIMD8<Int32>(repeating: lower)
        let high = SIMD8<Int32>(repeating: upper)
        var c = 0
        while c + 8 <= count {
            let v = UnsafeRawPointer(values + c).loadUnaligned(as: SIMD8<Int32>.self)
            UnsafeMutableRawPointer(values + c).storeBytes(
                of: pointwiseMin(pointwiseMax(v, low), high), as: SIMD8<Int32>.self)
            c &+= 8
        }
        while c < count {
            values[c] = min(max(values[c], lower), upper)
            c &+= 1
        }
    }

    /// ``ReferenceKernels/mean(_:zeroPoint:parameters:outputType:)``: per `(b, c)` the exact 64-bit
    /// sum over H·W minus `zp·H·W`, wrapped to int32, requantized; sums run across channels.
    public static func mean(
        _ input: IntTensor, zeroPoint: Int32, parameters: MeanParameters, requantizer: FastRequantizer,
        outputType: ElementType
    ) -> IntTensor {
        precondition(input.shape.count == 4, "mean: expected a rank-4 input, got \(input.shape)")
        let (batch, height, width, channels) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        precondition(
            requantizer.requantizer.channelCount == 1 || requantizer.requantizer.channelCount == channels,
            "mean: requantizer has \(requantizer.requantizer.channelCount) channels for \(channels)")
        let positions = height * width
        var sums = [Int64](repeating: 0, count: channels)
        var values = [Int32](repeating: 0, count: batch * channels)
        input.values.withUnsafeBufferPointer { x in
            sums.withUnsafeMutableBufferPointer { sums in
                values.withUnsafeMutableBufferPointer { out in
                    for b in 0..<batch {
                        sums.update(repeating: 0)
                        for position in 0..<positions {
                            let source = x.baseAddress! + (b * positions + position) * channels
                            for c in 0..<channels { sums[c] &+= Int64(source[c]) }
                        }
                        let correction = Int64(zeroPoint) * Int64(positions)
                        let destination = out.baseAddress! + b * channels
                        for c in 0..<channels { destination[c] = Int32(truncatingIfNeeded: sums[c] &- correction) }
                        requantizer.apply(destination, destination, count: channels, firstChannel: 0)
                    }
                }
            }
        }
        let shape = parameters.keepDims ? [batch, 1, 1, channels] : [batch, channels]
        return IntTensor(shape: shape, elementType: outputType, values: values)
    }
}
