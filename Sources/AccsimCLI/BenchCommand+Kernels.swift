import AccsimArithmetic
import AccsimModel
import AccsimReport

/// The kernel half of `accsim bench`: ResNet-18's conv shapes, a fully connected and a depthwise
/// layer, each on the reference kernel, the portable and the VNNI GEMM; then the requantizer and
/// the elementwise kernels in elements per second.
struct KernelBench {
    let threads: Int
    let quick: Bool
    let filter: String?
    /// The kernel paths measured (every available one by default).
    let paths: [KernelPath]

    /// One convolution or fully connected layer with seeded random operands.
    struct Layer {
        let name: String
        let input: IntTensor
        let weights: IntTensor
        let bias: [Int32]
        let weightZeroPoints: [Int32]
        let conv: Conv2DParameters?
        let requantizer: Requantizer
        let macs: Int
    }

    static let inputZeroPoint: Int32 = -5

    static func layers() -> [Layer] {
        var generator = SeededGenerator(seed: 7)
        func random(_ count: Int, _ range: ClosedRange<Int32>) -> [Int32] {
            (0..<count).map { _ in generator.nextInt32(in: range) }
        }
        // ResNet-18's layers with the synthetic model's requantizer (half_up, per tensor, a shift
        // of about log2(√K·73)); `tflite`: TFLite's per-channel Q31 requantizer instead.
        func conv(_ name: String, size: Int, cin: Int, cout: Int, kernel: Int, stride: Int = 1, groups: Int = 1, tflite: Bool = false) -> Layer {
            let pad = kernel / 2
            let reduction = kernel * kernel * cin / groups
            var shift: Int32 = 0
            while Double(Int64(1) << shift) < Double(reduction).squareRoot() * 73 { shift += 1 }
            let requantizer = tflite
                ? Requantizer(multipliers: random(cout, 1_073_741_824...2_147_483_647), shifts: [Int32](repeating: 31 + shift, count: cout), rounding: .tflite, zeroPoint: 3)
                : Requantizer(multiplier: 1, shift: shift, rounding: .halfUp, clampMin: 0)
            let parameters = Conv2DParameters(
                stride: Size2D(stride), padding: Padding2D(top: pad, bottom: pad, left: pad, right: pad), groups: groups,
                requantizer: requantizer)
            let input = IntTensor(shape: [1, size, size, cin], elementType: .int8, values: random(size * size * cin, -128...127))
            let weights = IntTensor(shape: [cout, kernel, kernel, cin / groups], elementType: .int8, values: random(cout * kernel * kernel * cin / groups, -127...127))
            let out = (size + 2 * pad - kernel) / stride + 1
            return Layer(
                name: name, input: input, weights: weights, bias: random(cout, -5000...5000), weightZeroPoints: [0],
                conv: parameters, requantizer: parameters.requantizer, macs: out * out * cout * kernel * kernel * cin / groups)
        }
        var layers = [
            conv("conv 7×7/2 3→64 @224", size: 224, cin: 3, cout: 64, kernel: 7, stride: 2),
            conv("conv 3×3 64→64 @56", size: 56, cin: 64, cout: 64, kernel: 3),
            conv("conv 3×3 64→64 @56, TFLite per-channel", size: 56, cin: 64, cout: 64, kernel: 3, tflite: true),
            conv("conv 3×3 128→128 @28", size: 28, cin: 128, cout: 128, kernel: 3),
            conv("conv 3×3 256→256 @14", size: 14, cin: 256, cout: 256, kernel: 3),
            conv("conv 3×3 512→512 @7", size: 7, cin: 512, cout: 512, kernel: 3),
            conv("conv 1×1/2 256→512 @14", size: 14, cin: 256, cout: 512, kernel: 1, stride: 2),
            conv("depthwise 3×3 256 @28", size: 28, cin: 256, cout: 256, kernel: 3, groups: 256),
        ]
        let fcRequantizer = Requantizer(multiplier: 1, shift: 12, rounding: .halfUp)
        layers.append(Layer(
            name: "fully connected 512→1000", input: IntTensor(shape: [1, 512], elementType: .int8, values: random(512, -128...127)),
            weights: IntTensor(shape: [1000, 512], elementType: .int8, values: random(512_000, -127...127)),
            bias: random(1000, -5000...5000), weightZeroPoints: [0], conv: nil, requantizer: fcRequantizer, macs: 512_000))
        return layers
    }

    func reference(_ layer: Layer) -> IntTensor {
        if let conv = layer.conv {
            return ReferenceKernels.conv2D(
                input: layer.input, inputZeroPoint: Self.inputZeroPoint, weights: layer.weights, weightZeroPoints: layer.weightZeroPoints,
                bias: layer.bias, parameters: conv, overflow: .wrap, outputType: .int8)
        }
        return ReferenceKernels.fullyConnected(
            input: layer.input, inputZeroPoint: Self.inputZeroPoint, weights: layer.weights, weightZeroPoints: layer.weightZeroPoints,
            bias: layer.bias, parameters: FullyConnectedParameters(requantizer: layer.requantizer), overflow: .wrap, outputType: .int8)
    }

    func prepare(_ layer: Layer, path: KernelPath) -> FastConvolution? {
        if let conv = layer.conv {
            return FastConvolution(conv2DWeights: layer.weights, weightZeroPoints: layer.weightZeroPoints, bias: layer.bias, parameters: conv, path: path)
        }
        return FastConvolution(
            fullyConnectedWeights: layer.weights, weightZeroPoints: layer.weightZeroPoints, bias: layer.bias,
            parameters: FullyConnectedParameters(requantizer: layer.requantizer), path: path)
    }

    /// The peak GMAC/s of `path`'s multiply-accumulate instruction from registers on this core, or
    /// nil (no probe for the path, or the CPU does not run it).
    func peak(_ path: KernelPath) -> Double? {
        guard let macsPerRound = FastKernels.peakProbeMACsPerRound(path), FastKernels.peakProbe(path, rounds: 1) != nil else {
            return nil
        }
        let rounds = (quick ? 200_000 : 2_000_000) * (24 * 64) / macsPerRound
        var checksum: Int64 = 0
        let seconds = BenchClock.best(minimumRuns: quick ? 2 : 5, maximumRuns: 10, minimumSeconds: 0, cpu: true) {
            checksum &+= FastKernels.peakProbe(path, rounds: rounds) ?? 0
        }
        _ = checksum
        return Double(rounds * macsPerRound) / seconds / 1e9
    }

    func render() -> String {
        let best = paths[0]
        let peak = peak(best)
        var out = "kernels (GMAC/s per core: one thread, its CPU time; ×N: wall time on N threads; outputs checked bit for bit against the reference)\n"
        var headers = ["kernel", "MMAC", "reference"]
        headers += paths.map { $0.rawValue }
        headers += ["\(best.rawValue) ×\(threads)", "of peak", "bit-exact"]
        var table = TextTable(headers: headers, alignments: [.left] + [TextTable.Alignment](repeating: .right, count: headers.count - 1))
        let minimumSeconds = quick ? 0.05 : 0.3
        for layer in Self.layers() where filter.map({ layer.name.contains($0) }) ?? true {
            var expected = IntTensor(shape: [], elementType: .int8, values: [0])
            let referenceSeconds = BenchClock.best(minimumRuns: 1, maximumRuns: quick ? 1 : 2, minimumSeconds: 0, cpu: true) { expected = reference(layer) }
            func rate(_ seconds: Double) -> String { BenchClock.format(Double(layer.macs) / seconds / 1e9) }
            var row = [layer.name, BenchClock.format(Double(layer.macs) / 1e6), rate(referenceSeconds)]
            var exact = true
            var bestSingle = 0.0
            for path in paths {
                guard let fast = prepare(layer, path: path) else {
                    row.append("-")
                    continue
                }
                var output = expected
                let seconds = BenchClock.best(minimumSeconds: minimumSeconds, cpu: true) {
                    output = fast.run(input: layer.input, inputZeroPoint: Self.inputZeroPoint, outputType: .int8, threads: 1)
                }
                exact = exact && output == expected
                if path == best { bestSingle = Double(layer.macs) / seconds / 1e9 }
                row.append(rate(seconds))
            }
            if let fast = prepare(layer, path: best) {
                var output = expected
                let seconds = BenchClock.best(minimumSeconds: minimumSeconds) {
                    output = fast.run(input: layer.input, inputZeroPoint: Self.inputZeroPoint, outputType: .int8, threads: threads)
                }
                exact = exact && output == expected
                row.append(rate(seconds))
            } else {
                row.append("-")
            }
            row.append(peak.map { BenchClock.format(100 * bestSingle / $0, 0) + "%" } ?? "-")
            row.append(exact ? "yes" : "NO")
            table.append(row)
        }
        out += table.render()
        if let peak {
            out += "peak: \(best.rawValue) multiply-accumulate from registers on one core: \(BenchClock.format(peak)) GMAC/s\n"
        } else {
            out += "peak: no probe for the \(best.rawValue) path\n"
        }
        out += "\n" + elementwise()
        return out
    }

    /// Requantizer and elementwise kernels, one thread, in G elements/s (output elements).
    func elementwise() -> String {
        var generator = SeededGenerator(seed: 11)
        var table = TextTable(headers: ["kernel", "elements", "reference G/s", "fast G/s", "bit-exact"], alignments: [.left, .right, .right, .right, .left])
        let minimumSeconds = quick ? 0.05 : 0.3
        func row(_ name: String, elements: Int, reference: () -> IntTensor, fast: () -> IntTensor) {
            guard filter.map({ name.contains($0) }) ?? true else { return }
            var expected = IntTensor(shape: [], elementType: .int8, values: [0])
            var output = expected
            let referenceSeconds = BenchClock.best(minimumRuns: 1, maximumRuns: 3, minimumSeconds: 0, cpu: true) { expected = reference() }
            let fastSeconds = BenchClock.best(minimumSeconds: minimumSeconds, cpu: true) { output = fast() }
            table.append([
                name, groupedDigits(elements), BenchClock.format(Double(elements) / referenceSeconds / 1e9, 3),
                BenchClock.format(Double(elements) / fastSeconds / 1e9, 2), output == expected ? "yes" : "NO",
            ])
        }
        let channels = 64
        let count = 56 * 56 * channels
        let accumulators = IntTensor(shape: [1, 56, 56, channels], elementType: .int32, values: (0..<count).map { _ in generator.nextInt32(in: -1_000_000...1_000_000) })
        for rounding in [RoundingMode.halfUp, .tflite, .halfEven] {
            let requantizer = Requantizer(
                multipliers: (0..<channels).map { _ in generator.nextInt32(in: 1_073_741_824...2_147_483_647) },
                shifts: [Int32](repeating: 38, count: channels), rounding: rounding, zeroPoint: -2)
            let fast = FastRequantizer(requantizer)
            // The conv epilogue: rows of accumulators into a preallocated buffer.
            var buffer = [Int32](repeating: 0, count: count)
            row("requantizer rows, \(rounding.rawValue) (in place)", elements: count) {
                for index in 0..<count { buffer[index] = requantizer.apply(accumulators.values[index], channel: index % channels) }
                return IntTensor(shape: accumulators.shape, elementType: .int8, values: buffer)
            } fast: {
                accumulators.values.withUnsafeBufferPointer { source in
                    buffer.withUnsafeMutableBufferPointer { destination in
                        fast.apply(source.baseAddress!, destination.baseAddress!, count: count, channels: channels)
                    }
                }
                return IntTensor(shape: accumulators.shape, elementType: .int8, values: buffer)
            }
            row("requantize op, \(rounding.rawValue)", elements: count) {
                ReferenceKernels.requantize(accumulators, zeroPoint: 0, requantizer: requantizer, outputType: .int8)
            } fast: {
                FastKernels.requantize(accumulators, zeroPoint: 0, requantizer: fast, outputType: .int8)
            }
        }
        let a = IntTensor(shape: [1, 56, 56, channels], elementType: .int8, values: (0..<count).map { _ in generator.nextInt32(in: -128...127) })
        let b = IntTensor(shape: [1, 56, 56, channels], elementType: .int8, values: (0..<count).map { _ in generator.nextInt32(in: -128...127) })
        let aidge = AddParameters(
            inputs: [AddInputScaling(leftShift: 0, rescale: nil), AddInputScaling(leftShift: 0, rescale: nil)],
            output: Requantizer(multiplier: 1, shift: 1, rounding: .halfUp, clampMin: 0))
        row("add (int32 sum, half_up)", elements: count) {
            ReferenceKernels.add(a, zeroPointA: 1, b, zeroPointB: -2, parameters: aidge, overflow: .wrap, outputType: .int8)
        } fast: {
            FastKernels.add(a, zeroPointA: 1, b, zeroPointB: -2, parameters: aidge, output: FastRequantizer(aidge.output), overflow: .wrap, outputType: .int8)
        }
        let rescale = Requantizer(multiplier: 1_518_500_250, shift: 31, rounding: .tflite)
        let tflite = AddParameters(
            inputs: [AddInputScaling(leftShift: 20, rescale: rescale), AddInputScaling(leftShift: 20, rescale: rescale)],
            output: Requantizer(multiplier: 1_310_720_000, shift: 50, rounding: .tflite, zeroPoint: 4))
        row("add (TFLite, left shift 20)", elements: count) {
            ReferenceKernels.add(a, zeroPointA: 1, b, zeroPointB: -2, parameters: tflite, overflow: .wrap, outputType: .int8)
        } fast: {
            FastKernels.add(a, zeroPointA: 1, b, zeroPointB: -2, parameters: tflite, output: FastRequantizer(tflite.output), overflow: .wrap, outputType: .int8)
        }
        let pooled = IntTensor(shape: [1, 112, 112, channels], elementType: .int8, values: (0..<(112 * 112 * channels)).map { _ in generator.nextInt32(in: -128...127) })
        let pool = MaxPoolParameters(window: Size2D(3), stride: Size2D(2), padding: Padding2D(top: 1, bottom: 1, left: 1, right: 1))
        row("max pool 3×3/2 @112", elements: count) {
            ReferenceKernels.maxPool(pooled, parameters: pool)
        } fast: {
            FastKernels.maxPool(pooled, parameters: pool)
        }
        return "requantizer and elementwise kernels (G output elements/s per core: one thread, its CPU time)\n" + table.render()
    }
}
