import Testing

@testable import AccsimArithmetic

/// The fast convolution and fully connected kernels against the reference kernels (under `wrap`,
/// where the order of the additions cannot matter): seeded random shapes with groups, depthwise,
/// dilation, asymmetric padding and strides, int8 and uint8 operands, weight zero points, K of any
/// length, adversarial operands that overflow int32, every thread count and every kernel path this CPU runs.
@Suite(.everyWorker) struct FastConvolutionTests {
    /// A random convolution: parameters, operands and the expected (reference) results.
    struct ConvCase: CustomStringConvertible {
        var input: IntTensor
        var inputZeroPoint: Int32
        var weights: IntTensor
        var weightZeroPoints: [Int32]
        var bias: [Int32]?
        var parameters: Conv2DParameters

        var description: String {
            "input \(input.shape) \(input.elementType.rawValue) zp \(inputZeroPoint), weights \(weights.shape) \(weights.elementType.rawValue) zp \(weightZeroPoints), groups \(parameters.groups), stride \(parameters.stride), dilation \(parameters.dilation), padding \(parameters.padding), \(parameters.requantizer.rounding.rawValue)"
        }

        func expectedAccumulators() -> IntTensor {
            ReferenceKernels.conv2DAccumulators(
                input: input, inputZeroPoint: inputZeroPoint, weights: weights, weightZeroPoints: weightZeroPoints,
                bias: bias, parameters: parameters, overflow: .wrap)
        }

        func expectedOutput() -> IntTensor {
            ReferenceKernels.conv2D(
                input: input, inputZeroPoint: inputZeroPoint, weights: weights, weightZeroPoints: weightZeroPoints,
                bias: bias, parameters: parameters, overflow: .wrap, outputType: .int8)
        }

        func prepared(_ path: KernelPath) -> FastConvolution? {
            FastConvolution(
                conv2DWeights: weights, weightZeroPoints: weightZeroPoints, bias: bias, parameters: parameters,
                path: path)
        }
    }

    static func randomCase(seed: UInt64, extremes: Bool = false) -> ConvCase {
        var random = FastTestRandom(seed: seed)
        while true {
            let groupsKind = random.int(0...3)  // 0, 1: plain; 2: grouped; 3: depthwise
            var groups = 1
            var cin = random.int(1...20)
            var cout = random.int(1...40)
            if groupsKind == 2 {
                groups = random.int(2...4)
                cin = groups * random.int(1...6)
                cout = groups * random.int(1...20)
            } else if groupsKind == 3 {
                groups = random.int(1...12)
                cin = groups
                cout = groups * random.int(1...3)
            }
            let kernel = Size2D(height: random.int(1...5), width: random.int(1...5))
            let stride = Size2D(height: random.int(1...3), width: random.int(1...3))
            let dilation =
                random.int(0...3) == 0 ? Size2D(height: random.int(1...3), width: random.int(1...3)) : Size2D(1)
            let padding =
                random.bool()
                ? Padding2D(
                    top: random.int(0...3), bottom: random.int(0...3), left: random.int(0...3), right: random.int(0...3)
                )
                : .zero
            let batch = random.int(1...2)
            let height = random.int(1...14)
            let width = random.int(1...14)
            guard
                slidingWindowOutputExtent(
                    input: height, padBefore: padding.top, padAfter: padding.bottom, kernel: kernel.height,
                    stride: stride.height, dilation: dilation.height) != nil,
                slidingWindowOutputExtent(
                    input: width, padBefore: padding.left, padAfter: padding.right, kernel: kernel.width,
                    stride: stride.width, dilation: dilation.width) != nil
            else { continue }
            let inputType: ElementType = random.bool() ? .int8 : .uint8
            let weightType: ElementType = random.int(0...3) == 0 ? .uint8 : .int8
            let inputZeroPoint = random.int32(inputType.minValue...inputType.maxValue)
            let weightZeroPoints: [Int32] =
                switch random.int(0...3) {
                case 0: []
                case 1: [0]
                case 2: [random.int32(weightType.minValue...weightType.maxValue)]
                default: (0..<cout).map { _ in random.int32(weightType.minValue...weightType.maxValue) }
                }
            let rounding = random.element(RoundingMode.allCases)
            let requantizer = random.requantizer(rounding, channels: random.bool() ? cout : 1)
            let bias: [Int32]? =
                random.int(0...4) == 0
                ? nil : (0..<cout).map { _ in random.int32(extremes ? Int32.min...Int32.max : -100_000...100_000) }
            return ConvCase(
                input: IntTensor(
                    shape: [batch, height, width, cin], elementType: inputType,
                    values: random.values(batch * height * width * cin, inputType, extremes: extremes)),
                inputZeroPoint: inputZeroPoint,
                weights: IntTensor(
                    shape: [cout, kernel.height, kernel.width, cin / groups], elementType: weightType,
                    values: random.values(
                        cout * kernel.height * kernel.width * cin / groups, weightType, extremes: extremes)),
                weightZeroPoints: weightZeroPoints, bias: bias,
                parameters: Conv2DParameters(
                    stride: stride, dilation: dilation, padding: padding, groups: groups, requantizer: requantizer))
        }
    }

    @Test(arguments: 0..<120)
    func randomConvolutionsEqualReference(seed: Int) throws {
        let c = Self.randomCase(seed: UInt64(seed))
        let expectedAccumulators = c.expectedAccumulators()
        let expectedOutput = c.expectedOutput()
        for path in KernelPath.available {
            let fast = try #require(c.prepared(path), "\(c)")
            for threads in [1, 3] {
                #expect(
                    fast.accumulators(input: c.input, inputZeroPoint: c.inputZeroPoint, threads: threads)
                        == expectedAccumulators, "\(path) \(threads) threads: \(c)")
                #expect(
                    fast.run(input: c.input, inputZeroPoint: c.inputZeroPoint, outputType: .int8, threads: threads)
                        == expectedOutput, "\(path) \(threads) threads: \(c)")
            }
        }
    }

    @Test(arguments: 0..<30)
    func adversarialOperandsWrapLikeTheReference(seed: Int) throws {
        // Only extreme values (and extreme biases): products of ±255·±255 and sums that leave int32.
        let c = Self.randomCase(seed: 10_000 + UInt64(seed), extremes: true)
        for path in KernelPath.available {
            let fast = try #require(c.prepared(path))
            #expect(
                fast.accumulators(input: c.input, inputZeroPoint: c.inputZeroPoint) == c.expectedAccumulators(),
                "\(path): \(c)")
            #expect(
                fast.run(input: c.input, inputZeroPoint: c.inputZeroPoint, outputType: .int8) == c.expectedOutput(),
                "\(path): \(c)")
        }
    }

    /// K well past int32's safe length: 255 · 255 · 70,001 > 2^32, so the sums wrap several times.
    @Test(arguments: [KernelPath.avx512vnni, .avxvnni, .avx2, .neon, .portable])
    func longReductionsWrap(path: KernelPath) throws {
        guard path.isAvailable else { return }
        let depth = 70_001
        var random = FastTestRandom(seed: 99)
        for (inputType, weightType) in [(ElementType.uint8, ElementType.uint8), (.int8, .int8), (.uint8, .int8)] {
            let input = IntTensor(
                shape: [2, depth], elementType: inputType,
                values: (0..<(2 * depth)).map { i in i % 3 == 0 ? inputType.minValue : inputType.maxValue })
            let weights = IntTensor(
                shape: [3, depth], elementType: weightType, values: random.values(3 * depth, weightType, extremes: true)
            )
            let weightZeroPoints: [Int32] = [weightType.maxValue, weightType.minValue, 0]
            let inputZeroPoint = inputType == .uint8 ? Int32(0) : Int32(127)
            let requantizer = Requantizer(multipliers: [1, 3, 5], shifts: [20, 21, 22], rounding: .halfEven)
            let bias: [Int32] = [Int32.max, Int32.min, 1]
            let expected = ReferenceKernels.fullyConnectedAccumulators(
                input: input, inputZeroPoint: inputZeroPoint, weights: weights, weightZeroPoints: weightZeroPoints,
                bias: bias, overflow: .wrap)
            let fast = try #require(
                FastConvolution(
                    fullyConnectedWeights: weights, weightZeroPoints: weightZeroPoints, bias: bias,
                    parameters: FullyConnectedParameters(requantizer: requantizer), path: path))
            #expect(fast.accumulators(input: input, inputZeroPoint: inputZeroPoint) == expected)
            let wide = expected.values.map { Int64($0) }
            #expect(wide.contains { $0 != wide[0] }, "the operands should give distinct sums")
        }
    }

    @Test(arguments: 0..<40)
    func randomFullyConnectedEqualReference(seed: Int) throws {
        var random = FastTestRandom(seed: 20_000 + UInt64(seed))
        let batch = random.int(1...9)
        let depth = random.element([1, 3, 4, 7, 8, 63, 64, 65, 127, 200, random.int(1...700)])
        let outputs = random.element([1, 15, 16, 17, 33, 64, 65, random.int(1...150)])
        let inputType: ElementType = random.bool() ? .int8 : .uint8
        let weightType: ElementType = random.int(0...3) == 0 ? .uint8 : .int8
        let input = IntTensor(
            shape: [batch, depth], elementType: inputType, values: random.values(batch * depth, inputType))
        let weights = IntTensor(
            shape: [outputs, depth], elementType: weightType, values: random.values(outputs * depth, weightType))
        let inputZeroPoint = random.int32(inputType.minValue...inputType.maxValue)
        let weightZeroPoints: [Int32] = random.bool() ? [0] : (0..<outputs).map { _ in random.int32(-3...3) }
        let bias: [Int32]? = random.bool() ? (0..<outputs).map { _ in random.int32(-1000...1000) } : nil
        let parameters = FullyConnectedParameters(
            requantizer: random.requantizer(
                random.element(RoundingMode.allCases), channels: random.bool() ? outputs : 1))
        let expected = ReferenceKernels.fullyConnected(
            input: input, inputZeroPoint: inputZeroPoint, weights: weights, weightZeroPoints: weightZeroPoints,
            bias: bias,
            parameters: parameters, overflow: .wrap, outputType: .int8)
        for path in KernelPath.available {
            let fast = try #require(
                FastConvolution(
                    fullyConnectedWeights: weights, weightZeroPoints: weightZeroPoints, bias: bias,
                    parameters: parameters, path: path))
            for threads in [1, 2, 5] {
                #expect(
                    fast.run(input: input, inputZeroPoint: inputZeroPoint, outputType: .int8, threads: threads)
                        == expected, "\(path), \(threads) threads")
            }
        }
    }

    /// Every kernel path this CPU runs, each chosen explicitly, on layers large enough for every
    /// tile shape of every path (row tails, partial 8- and 16-column blocks, K tails, several
    /// chunks and column pieces), against the reference and the portable path.
    @Test func everyPathAgreesOnEveryTileShape() throws {
        var random = FastTestRandom(seed: 7)
        for (size, cin, cout, kernel, stride) in [
            (23, 37, 77, 3, 1), (30, 3, 64, 7, 2), (9, 130, 200, 1, 1), (5, 64, 300, 3, 2),
        ] {
            let padding = Padding2D(top: kernel / 2, bottom: kernel / 2, left: kernel / 2, right: kernel / 2)
            let parameters = Conv2DParameters(
                stride: Size2D(stride), padding: padding, requantizer: random.requantizer(.tflite, channels: cout))
            let input = IntTensor(
                shape: [1, size, size, cin], elementType: .int8, values: random.values(size * size * cin, .int8))
            let weights = IntTensor(
                shape: [cout, kernel, kernel, cin], elementType: .int8,
                values: random.values(cout * kernel * kernel * cin, .int8))
            let bias = (0..<cout).map { _ in random.int32(-9999...9999) }
            let expected = ReferenceKernels.conv2D(
                input: input, inputZeroPoint: -7, weights: weights, weightZeroPoints: [0], bias: bias,
                parameters: parameters,
                overflow: .wrap, outputType: .int8)
            let portable = try #require(
                FastConvolution(
                    conv2DWeights: weights, weightZeroPoints: [0], bias: bias, parameters: parameters, path: .portable))
            let portableAccumulators = portable.accumulators(input: input, inputZeroPoint: -7, threads: 4)
            for path in KernelPath.available {
                let fast = try #require(
                    FastConvolution(
                        conv2DWeights: weights, weightZeroPoints: [0], bias: bias, parameters: parameters, path: path))
                #expect(fast.path == path)
                #expect(
                    fast.run(input: input, inputZeroPoint: -7, outputType: .int8, threads: 2) == expected, "\(path)")
                #expect(fast.accumulators(input: input, inputZeroPoint: -7) == portableAccumulators, "\(path)")
            }
        }
    }

    /// Depthwise layers wide enough for the SIMD depthwise kernels: channel counts around the
    /// 16-lane step, every kernel size up to 5×5 (odd and even tap counts), strides, dilations,
    /// padding, several 64-pixel work items, int8/uint8 operands with per-channel zero points,
    /// extreme operands, every rounding mode, 1 and 3 threads.
    @Test(arguments: 0..<24)
    func wideDepthwiseEqualsReference(seed: Int) throws {
        var random = FastTestRandom(seed: 40_000 + UInt64(seed))
        let channels = random.element([1, 15, 16, 17, 33, 64, 100, 256])
        let kernel = Size2D(height: random.int(1...5), width: random.int(1...5))
        let stride = Size2D(height: random.int(1...2), width: random.int(1...2))
        let dilation = random.int(0...3) == 0 ? Size2D(2) : Size2D(1)
        let pad = random.int(0...2)
        let size = random.int(6...19)
        let inputType: ElementType = random.bool() ? .int8 : .uint8
        let weightType: ElementType = random.bool() ? .int8 : .uint8
        let extremes = seed % 4 == 3
        let shape = [random.int(1...2), size, size, channels]
        let x = IntTensor(
            shape: shape, elementType: inputType,
            values: random.values(shape.reduce(1, *), inputType, extremes: extremes))
        let weights = IntTensor(
            shape: [channels, kernel.height, kernel.width, 1], elementType: weightType,
            values: random.values(channels * kernel.height * kernel.width, weightType, extremes: extremes))
        let weightZeroPoints: [Int32] =
            random.bool()
            ? (0..<channels).map { _ in random.int32(weightType.minValue...weightType.maxValue) }
            : [0]
        let inputZeroPoint = random.int32(inputType.minValue...inputType.maxValue)
        let bias = (0..<channels).map { _ in random.int32(extremes ? Int32.min...Int32.max : -50_000...50_000) }
        let parameters = Conv2DParameters(
            stride: stride, dilation: dilation, padding: Padding2D(top: pad, bottom: pad, left: pad, right: pad),
            groups: channels,
            requantizer: random.requantizer(
                random.element(RoundingMode.allCases), channels: random.bool() ? channels : 1))
        guard
            slidingWindowOutputExtent(
                input: size, padBefore: pad, padAfter: pad, kernel: kernel.height, stride: stride.height,
                dilation: dilation.height) != nil,
            slidingWindowOutputExtent(
                input: size, padBefore: pad, padAfter: pad, kernel: kernel.width, stride: stride.width,
                dilation: dilation.width) != nil
        else { return }
        let expectedAccumulators = ReferenceKernels.conv2DAccumulators(
            input: x, inputZeroPoint: inputZeroPoint, weights: weights, weightZeroPoints: weightZeroPoints, bias: bias,
            parameters: parameters, overflow: .wrap)
        let expected = ReferenceKernels.conv2D(
            input: x, inputZeroPoint: inputZeroPoint, weights: weights, weightZeroPoints: weightZeroPoints, bias: bias,
            parameters: parameters, overflow: .wrap, outputType: .int8)
        for (path, quads) in Self.depthwiseVariants {
            let fast = try #require(
                FastConvolution.$depthwiseQuadsOnAVX2.withValue(quads) {
                    FastConvolution(
                        conv2DWeights: weights, weightZeroPoints: weightZeroPoints, bias: bias, parameters: parameters,
                        path: path)
                })
            // One channel is one group: a plain convolution, not the depthwise kernel.
            #expect(
                fast.depthwise?.layout
                    == (channels == 1
                        ? nil
                        : Self.expectedDepthwiseLayout(
                            path, quads: quads, weights: weights, zeroPoints: weightZeroPoints, dilation: dilation)))
            for threads in [1, 3] {
                #expect(
                    fast.accumulators(input: x, inputZeroPoint: inputZeroPoint, threads: threads)
                        == expectedAccumulators, "\(path) \(threads)")
                #expect(
                    fast.run(input: x, inputZeroPoint: inputZeroPoint, outputType: .int8, threads: threads) == expected,
                    "\(path) \(threads)")
            }
        }
    }

    /// The x86 depthwise kernel's branches, each on a fixed shape: the 3×3 unit-stride kernel
    /// with every tail of its 4-pixel step (output widths 5…8), the general kernel (3×3 strided,
    /// 7×7, 1×5, 5×1, an even width), a ring of 7 pair rows (dilation 3), asymmetric padding
    /// wider than the kernel's reach, batches whose rows meet in one worker, channel tails of 8
    /// and 16 lanes, zero points at the ends of their types, and 1, 2 and 5 threads (workers that
    /// start mid-image).
    @Test(arguments: [
        // kernel h, w, stride, dilation, pad top/bottom/left/right, height, width, channels, batch
        [3, 3, 1, 1, 1, 1, 1, 1, 6, 5, 24, 1], [3, 3, 1, 1, 1, 1, 1, 1, 7, 6, 8, 2],
        [3, 3, 1, 1, 0, 2, 2, 0, 5, 7, 17, 1], [3, 3, 1, 1, 1, 1, 1, 1, 9, 8, 256, 1],
        [3, 3, 2, 1, 1, 1, 1, 1, 11, 11, 40, 2], [7, 7, 1, 1, 3, 3, 3, 3, 9, 10, 7, 1],
        [1, 5, 1, 1, 0, 0, 2, 2, 4, 9, 33, 1], [5, 1, 2, 1, 2, 2, 0, 0, 9, 4, 16, 2],
        [3, 4, 1, 3, 3, 3, 4, 4, 8, 8, 9, 1], [2, 2, 2, 2, 0, 1, 1, 0, 9, 10, 64, 1],
        // The quad kernel: 3×3 in steps of 8 outputs with tails (widths 16, 17, 23), a 4-wide and a
        // 2-wide kernel on the narrow loop, 5×5 and 1×9 (two and three quads a row) strided and not.
        [3, 3, 1, 1, 1, 1, 1, 1, 6, 16, 24, 1], [3, 3, 1, 1, 1, 1, 1, 1, 5, 17, 16, 2],
        [3, 3, 1, 1, 0, 2, 2, 0, 4, 23, 33, 1], [3, 4, 1, 1, 1, 1, 2, 1, 5, 9, 16, 1],
        [2, 2, 1, 1, 0, 1, 0, 1, 5, 11, 8, 1], [5, 5, 1, 1, 2, 2, 2, 2, 7, 10, 48, 2],
        [1, 9, 2, 1, 0, 0, 4, 4, 4, 13, 20, 1], [5, 5, 2, 1, 2, 2, 2, 2, 9, 12, 17, 1],
    ])
    func depthwiseKernelShapesEqualReference(shape: [Int]) throws {
        var random = FastTestRandom(seed: UInt64(truncatingIfNeeded: shape.reduce(17) { $0 &* 31 &+ $1 }))
        let (channels, batch) = (shape[10], shape[11])
        for (inputType, inputZeroPoint) in [(ElementType.int8, Int32(-128)), (.uint8, 255), (.int8, 3)] {
            let x = IntTensor(
                shape: [batch, shape[8], shape[9], channels], elementType: inputType,
                values: random.values(batch * shape[8] * shape[9] * channels, inputType, extremes: inputZeroPoint != 3))
            let weights = IntTensor(
                shape: [channels, shape[0], shape[1], 1], elementType: .int8,
                values: random.values(channels * shape[0] * shape[1], .int8, extremes: inputZeroPoint != 3))
            let parameters = Conv2DParameters(
                stride: Size2D(shape[2]), dilation: Size2D(shape[3]),
                padding: Padding2D(top: shape[4], bottom: shape[5], left: shape[6], right: shape[7]), groups: channels,
                requantizer: random.requantizer(.halfUp, channels: channels))
            let bias = (0..<channels).map { _ in random.int32(Int32.min...Int32.max) }
            let expected = ReferenceKernels.conv2DAccumulators(
                input: x, inputZeroPoint: inputZeroPoint, weights: weights, weightZeroPoints: [0], bias: bias,
                parameters: parameters, overflow: .wrap)
            for (path, quads) in Self.depthwiseVariants {
                let fast = try #require(
                    FastConvolution.$depthwiseQuadsOnAVX2.withValue(quads) {
                        FastConvolution(
                            conv2DWeights: weights, weightZeroPoints: [0], bias: bias, parameters: parameters,
                            path: path)
                    })
                #expect(
                    fast.depthwise?.layout
                        == Self.expectedDepthwiseLayout(
                            path, quads: quads, weights: weights, zeroPoints: [0], dilation: Size2D(shape[3])))
                for threads in [1, 2, 5] {
                    #expect(
                        fast.accumulators(input: x, inputZeroPoint: inputZeroPoint, threads: threads) == expected,
                        "\(path) \(threads) \(inputType.rawValue)")
                }
            }
        }
    }

    /// Every kernel path this CPU runs (`false`), and the avx2 path once more with the quad
    /// depthwise kernel (`vpdpbusd` emulated exactly, `true`): the VNNI paths' layout and
    /// corrections are then checked on CPUs without VNNI too.
    static var depthwiseVariants: [(KernelPath, Bool)] {
        KernelPath.available.map { ($0, false) } + (KernelPath.avx2.isAvailable ? [(.avx2, true)] : [])
    }

    /// The layout the depthwise weights must take: quads on the VNNI paths (or avx2 with `quads`)
    /// when every `w − zp_w` fits int8 and the horizontal dilation is 1, pairs on the other x86
    /// cases, plain on NEON; nil on portable (its direct loop takes depthwise layers).
    static func expectedDepthwiseLayout(
        _ path: KernelPath, quads: Bool, weights: IntTensor, zeroPoints: [Int32], dilation: Size2D
    ) -> DepthwiseWeights.Layout? {
        switch path {
        case .portable: return nil
        case .neon: return .plain
        case .avx2, .avxvnni, .avx512vnni:
            let taps = weights.count / weights.shape[0]
            let fits = weights.values.indices.allSatisfy { index in
                let zp = zeroPoints.count == 1 ? zeroPoints[0] : zeroPoints[index / taps]
                return (-128...127).contains(weights.values[index] - zp)
            }
            let wanted = path == .avx2 ? quads : true
            return wanted && fits && dilation.width == 1 ? .quads : .pairs
        }
    }

    /// The GEMM's work split. 49 rows × 512 columns on two threads (ResNet-18's 1×1/2 256→512
    /// @14): two row chunks would give the threads 30 and 19 rows (61 % of the work on one), so
    /// the columns are split instead: one chunk of 54 rows, two pieces of 256, 50 % each. On one
    /// thread: the fewest chunks, whole groups. Every plan covers the rows and columns exactly once
    /// with chunks a multiple of 6 rows and pieces a multiple of 16 columns.
    @Test func gemmPlanBalancesTheThreads() {
        #expect(
            FastConvolution.gemmPlan(rows: 49, groups: 1, groupOutChannels: 512, kp: 256, maxRows: 762, threads: 2)
                == .init(chunkRows: 54, chunks: 1, pieceWidth: 256, pieces: 2))
        #expect(
            FastConvolution.gemmPlan(rows: 49, groups: 1, groupOutChannels: 512, kp: 256, maxRows: 762, threads: 1)
                == .init(chunkRows: 54, chunks: 1, pieceWidth: 512, pieces: 1))
        #expect(
            FastConvolution.gemmPlan(rows: 3136, groups: 1, groupOutChannels: 64, kp: 576, maxRows: 330, threads: 1)
                == .init(chunkRows: 318, chunks: 10, pieceWidth: 64, pieces: 1))
        var random = FastTestRandom(seed: 77)
        for _ in 0..<200 {
            let rows = random.int(1...5000)
            let columns = random.int(1...1024)
            let maxRows = random.int(1...170) * 6
            let plan = FastConvolution.gemmPlan(
                rows: rows, groups: random.int(1...4), groupOutChannels: columns, kp: random.int(1...300) * 4,
                maxRows: maxRows, threads: random.int(1...5))
            #expect(plan.chunkRows % 6 == 0 && plan.chunkRows <= maxRows, "\(plan)")
            #expect(plan.chunks * plan.chunkRows >= rows && (plan.chunks - 1) * plan.chunkRows < rows, "\(plan)")
            #expect(plan.pieces == 1 ? plan.pieceWidth == columns : plan.pieceWidth % 16 == 0, "\(plan)")
            #expect(plan.pieces * plan.pieceWidth >= columns && (plan.pieces - 1) * plan.pieceWidth < columns)
        }
    }

    /// Layers too small to pay for a thread stay on one: a one-sample 512→1000 fully connected
    /// layer (512,000 MACs); ResNet's 3×3 64→64 @56 (115.6 M) takes every thread; a 3×3
    /// depthwise 256 @28 counts 16 per output (784 · 256 · 16 = 3.2 M): at most 3 workers.
    @Test func smallLayersKeepOneWorker() {
        FastConvolution.$minimumWorkPerWorker.withValue(1 << 20) {
            #expect(FastConvolution.workers(2, work: 1 * 1000 * 512) == 1)
            #expect(FastConvolution.workers(2, work: 3136 * 64 * 576) == 2)
            #expect(FastConvolution.workers(8, work: 784 * 256 * 16) == 3)
            #expect(FastConvolution.workers(1, work: 0) == 1)
        }
        #expect(FastConvolution.workers(5, work: 1) == 5)  // the suite's .everyWorker
    }

    @Test func identicalForEveryThreadCount() throws {
        let c = Self.randomCase(seed: 3)
        var random = FastTestRandom(seed: 5)
        let input = IntTensor(
            shape: [2, 17, 19, 24], elementType: .int8, values: random.values(2 * 17 * 19 * 24, .int8))
        let weights = IntTensor(shape: [160, 3, 3, 24], elementType: .int8, values: random.values(160 * 9 * 24, .int8))
        let parameters = Conv2DParameters(
            stride: Size2D(1), padding: Padding2D(top: 1, bottom: 1, left: 1, right: 1),
            requantizer: c.parameters.requantizer.channelCount == 1
                ? c.parameters.requantizer : random.requantizer(.halfUp, channels: 160))
        let fast = try #require(
            FastConvolution(conv2DWeights: weights, weightZeroPoints: [0], bias: nil, parameters: parameters))
        let one = fast.run(input: input, inputZeroPoint: 3, outputType: .int8, threads: 1)
        for threads in [2, 3, 4, 8] {
            #expect(fast.run(input: input, inputZeroPoint: 3, outputType: .int8, threads: threads) == one)
        }
    }

    @Test func unsupportedOperandTypesAreRefused() {
        #expect(!FastConvolution.supports(inputType: .int16, inputZeroPoint: 0))
        #expect(!FastConvolution.supports(inputType: .int32, inputZeroPoint: 0))
        #expect(!FastConvolution.supports(inputType: .uint8, inputZeroPoint: -1))
        #expect(!FastConvolution.supports(inputType: .int8, inputZeroPoint: 128))
        #expect(FastConvolution.supports(inputType: .int8, inputZeroPoint: -128))
        let weights = IntTensor(shape: [1, 1, 1, 1], elementType: .int16, values: [300])
        #expect(
            FastConvolution(
                conv2DWeights: weights, weightZeroPoints: [], bias: nil,
                parameters: Conv2DParameters(requantizer: Requantizer(multiplier: 1, shift: 0, rounding: .halfUp)))
                == nil)
    }
}
