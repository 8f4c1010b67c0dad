import AccsimArithmetic
import AccsimModel
import AccsimReport
import Foundation

#if arch(x86_64)
import CAccsimBenchReference
#endif

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
        func conv(
            _ name: String, size: Int, cin: Int, cout: Int, kernel: Int, stride: Int = 1, groups: Int = 1,
            tflite: Bool = false
        ) -> Layer {
            let pad = kernel / 2
            let reduction = kernel * kernel * cin / groups
            var shift: Int32 = 0
            while Double(Int64(1) << shift) < Double(reduction).squareRoot() * 73 { shift += 1 }
            let requantizer =
                tflite
                ? Requantizer(
                    multipliers: random(cout, 1_073_741_824...2_147_483_647),
                    shifts: [Int32](repeating: 31 + shift, count: cout), rounding: .tflite, zeroPoint: 3)
                : Requantizer(multiplier: 1, shift: shift, rounding: .halfUp, clampMin: 0)
            let parameters = Conv2DParameters(
                stride: Size2D(stride), padding: Padding2D(top: pad, bottom: pad, left: pad, right: pad),
                groups: groups,
                requantizer: requantizer)
            let input = IntTensor(
                shape: [1, size, size, cin], elementType: .int8, values: random(size * size * cin, -128...127))
            let weights = IntTensor(
                shape: [cout, kernel, kernel, cin / groups], elementType: .int8,
                values: random(cout * kernel * kernel * cin / groups, -127...127))
            let out = (size + 2 * pad - kernel) / stride + 1
            return Layer(
                name: name, input: input, weights: weights, bias: random(cout, -5000...5000), weightZeroPoints: [0],
                conv: parameters, requantizer: parameters.requantizer,
                macs: out * out * cout * kernel * kernel * cin / groups)
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
            // MobileNet-shaped depthwise layers (its first blocks at @112, a strided one), and one
            // whose int32 input and output (200 KiB each) stay in L2: beside @28 (784 KiB each),
            // how much of the depthwise rate is the memory traffic of the int32 tensors.
            conv("depthwise 3×3 32 @112", size: 112, cin: 32, cout: 32, kernel: 3, groups: 32),
            conv("depthwise 3×3/2 64 @112", size: 112, cin: 64, cout: 64, kernel: 3, stride: 2, groups: 64),
            conv("depthwise 3×3 256 @14", size: 14, cin: 256, cout: 256, kernel: 3, groups: 256),
        ]
        let fcRequantizer = Requantizer(multiplier: 1, shift: 12, rounding: .halfUp)
        layers.append(
            Layer(
                name: "fully connected 512→1000",
                input: IntTensor(shape: [1, 512], elementType: .int8, values: random(512, -128...127)),
                weights: IntTensor(shape: [1000, 512], elementType: .int8, values: random(512_000, -127...127)),
                bias: random(1000, -5000...5000), weightZeroPoints: [0], conv: nil, requantizer: fcRequantizer,
                macs: 512_000))
        return layers
    }

    func reference(_ layer: Layer) -> IntTensor {
        if let conv = layer.conv {
            return ReferenceKernels.conv2D(
                input: layer.input, inputZeroPoint: Self.inputZeroPoint, weights: layer.weights,
                weightZeroPoints: layer.weightZeroPoints,
                bias: layer.bias, parameters: conv, overflow: .wrap, outputType: .int8)
        }
        return ReferenceKernels.fullyConnected(
            input: layer.input, inputZeroPoint: Self.inputZeroPoint, weights: layer.weights,
            weightZeroPoints: layer.weightZeroPoints,
            bias: layer.bias, parameters: FullyConnectedParameters(requantizer: layer.requantizer), overflow: .wrap,
            outputType: .int8)
    }

    func prepare(_ layer: Layer, path: KernelPath) -> FastConvolution? {
        if let conv = layer.conv {
            return FastConvolution(
                conv2DWeights: layer.weights, weightZeroPoints: layer.weightZeroPoints, bias: layer.bias,
                parameters: conv, path: path)
        }
        return FastConvolution(
            fullyConnectedWeights: layer.weights, weightZeroPoints: layer.weightZeroPoints, bias: layer.bias,
            parameters: FullyConnectedParameters(requantizer: layer.requantizer), path: path)
    }

    /// The peak GMAC/s of `path`'s multiply-accumulate instruction from registers on this core, or
    /// nil (no probe for the path, or the CPU does not run it).
    func peak(_ path: KernelPath) -> Double? {
        guard let macsPerRound = FastKernels.peakProbeMACsPerRound(path), FastKernels.peakProbe(path, rounds: 1) != nil
        else {
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
        var out = "kernels (GMAC/s; path columns: one thread, its CPU time (the core's rate); ×1 / ×N wall: "
        out +=
            "\(best.rawValue) on 1 and N threads, wall clock, in alternating rounds of three runs; ×N / ×1: their speed-up; "
        out += "outputs checked bit for bit against the reference)\n"
        var headers = ["kernel", "MMAC", "reference"]
        headers += paths.map { $0.rawValue }
        headers += [
            "×1 wall", "×\(threads) wall", "×\(threads) / ×1", "of peak", "bit-exact",
        ]
        var table = TextTable(
            headers: headers, alignments: [.left] + [TextTable.Alignment](repeating: .right, count: headers.count - 1))
        let minimumSeconds = quick ? 0.05 : 0.3
        var pathRates: [KernelPath: [String: Double]] = [:]
        for layer in Self.layers() where filter.map({ layer.name.contains($0) }) ?? true {
            var expected = IntTensor(shape: [], elementType: .int8, values: [0])
            let referenceSeconds = BenchClock.best(
                minimumRuns: 1, maximumRuns: quick ? 1 : 2, minimumSeconds: 0, cpu: true
            ) { expected = reference(layer) }
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
                    output = fast.run(
                        input: layer.input, inputZeroPoint: Self.inputZeroPoint, outputType: .int8, threads: 1)
                }
                exact = exact && output == expected
                if path == best { bestSingle = Double(layer.macs) / seconds / 1e9 }
                pathRates[path, default: [:]][layer.name] = Double(layer.macs) / seconds / 1e9
                row.append(rate(seconds))
            }
            if let fast = prepare(layer, path: best) {
                // One thread and `threads` threads alternately, on the wall clock (what a user
                // waits for). (No CPU-time ratio: the kernel pool's helpers spin between calls, and
                // Linux charges a spinning thread's time at scheduler ticks, so per-call process
                // CPU times are neither exact nor the kernel's.)
                var single = expected
                var several = expected
                let wall = BenchClock.interleaved(minimumSeconds: minimumSeconds) {
                    single = fast.run(
                        input: layer.input, inputZeroPoint: Self.inputZeroPoint, outputType: .int8, threads: 1)
                } _: {
                    several = fast.run(
                        input: layer.input, inputZeroPoint: Self.inputZeroPoint, outputType: .int8, threads: threads)
                }
                exact = exact && single == expected && several == expected
                row.append(rate(wall.0))
                row.append(rate(wall.1))
                row.append(BenchClock.format(wall.0 / wall.1, 2) + "×")
            } else {
                row += ["-", "-", "-"]
            }
            row.append(peak.map { BenchClock.format(100 * bestSingle / $0, 0) + "%" } ?? "-")
            row.append(exact ? "yes" : "NO")
            table.append(row)
        }
        out += table.render()
        if let peak {
            out +=
                "peak: \(best.rawValue) multiply-accumulate from registers on one core: \(BenchClock.format(peak)) GMAC/s\n"
        } else {
            out += "peak: no register-only probe for the \(best.rawValue) path\n"
        }
        for path in paths {
            if let depthwise = pathRates[path]?["depthwise 3×3 256 @28"],
                let gemm = pathRates[path]?["conv 3×3 64→64 @56"],
                gemm > 0
            {
                out +=
                    "depthwise / GEMM (\(path.rawValue), one thread): \(BenchClock.format(100 * depthwise / gemm, 0))% "
                out += "of conv 3×3 64→64 @56 (target ≥ 30%)\n"
            }
        }
        out += "\n" + anchor(best: best, peak: peak)
        out += "\n" + fullyConnectedBandwidth(best: best)
        out += "\n" + elementwise()
        return out
    }

    /// The yardstick: the AVX2 C reference GEMM (CAccsimBenchReference) and accsim's GEMM path on
    /// the same 1020 × 1024 × 1024 product (accsim's as a fully connected layer over a batch of
    /// 1020: gather, GEMM, corrections and requantization), one thread, beside the peak.
    func anchor(best: KernelPath, peak: Double?) -> String {
        let (m, k, n) = (1020, 1024, 1024)
        var generator = SeededGenerator(seed: 3)
        let a = (0..<(m * k)).map { _ in UInt8(truncatingIfNeeded: generator.nextInt32(in: 0...255)) }
        let b = (0..<(k * n)).map { _ in Int8(truncatingIfNeeded: generator.nextInt32(in: -128...127)) }
        let macs = Double(m * n * k)
        var out = "GEMM \(m)×\(k)×\(n), one thread (GMAC/s)\n"
        var table = TextTable(
            headers: ["implementation", "GMAC/s", "of reference"], alignments: [.left, .right, .right])
        var referenceRate: Double?
        #if arch(x86_64)
        if accsim_reference_gemm_available() != 0 {
            var packedA = [Int16](repeating: 0, count: m * k)
            var packedB = [Int16](repeating: 0, count: k * n)
            var c = [Int32](repeating: 0, count: m * n)
            a.withUnsafeBufferPointer { a in
                packedA.withUnsafeMutableBufferPointer {
                    accsim_reference_gemm_pack_a(a.baseAddress!, m, k, $0.baseAddress!)
                }
            }
            b.withUnsafeBufferPointer { b in
                packedB.withUnsafeMutableBufferPointer {
                    accsim_reference_gemm_pack_b(b.baseAddress!, k, n, $0.baseAddress!)
                }
            }
            let seconds = BenchClock.best(
                minimumRuns: quick ? 1 : 3, maximumRuns: 10, minimumSeconds: quick ? 0 : 0.5, cpu: true
            ) {
                packedA.withUnsafeBufferPointer { pa in
                    packedB.withUnsafeBufferPointer { pb in
                        c.withUnsafeMutableBufferPointer {
                            accsim_reference_gemm(pa.baseAddress!, pb.baseAddress!, $0.baseAddress!, m, n, k)
                        }
                    }
                }
            }
            referenceRate = macs / seconds / 1e9
            // The reference must compute the product: check a few entries.
            var checked = true
            for (i, j) in [(0, 0), (m - 1, n - 1), (517, 333)] {
                var sum: Int32 = 0
                for kk in 0..<k { sum &+= Int32(a[i * k + kk]) &* Int32(b[kk * n + j]) }
                checked = checked && sum == c[i * n + j]
            }
            table.append([
                "AVX2 C reference (vpmaddwd + vpaddd, 6×16 tile, packed int16 operands)\(checked ? "" : " WRONG")",
                BenchClock.format(referenceRate!), "1.00×",
            ])
        }
        #endif
        // accsim: input [m, k] int8 (a − 128, zero point −128 so that the GEMM sees a), weights [n, k].
        let input = IntTensor(shape: [m, k], elementType: .int8, values: a.map { Int32($0) - 128 })
        let weights = IntTensor(
            shape: [n, k], elementType: .int8,
            values: (0..<(n * k)).map { index in Int32(b[(index % k) * n + index / k]) })
        let requantizer = Requantizer(multiplier: 1, shift: 16, rounding: .halfUp)
        for path in paths {
            guard
                let fast = FastConvolution(
                    fullyConnectedWeights: weights, weightZeroPoints: [0], bias: nil,
                    parameters: FullyConnectedParameters(requantizer: requantizer), path: path)
            else { continue }
            let seconds = BenchClock.best(
                minimumRuns: quick ? 1 : 3, maximumRuns: 10, minimumSeconds: quick ? 0 : 0.5, cpu: true
            ) {
                _ = fast.run(input: input, inputZeroPoint: -128, outputType: .int8, threads: 1)
            }
            let rate = macs / seconds / 1e9
            table.append([
                "accsim \(path.rawValue) (fully connected, batch \(m), requantized)", BenchClock.format(rate),
                referenceRate.map { BenchClock.format(rate / $0, 2) + "×" } ?? "-",
            ])
        }
        out += table.render()
        if let peak { out += "peak of \(best.rawValue) (register-only loop): \(BenchClock.format(peak)) GMAC/s\n" }
        for path in paths where path != best {
            if let other = self.peak(path) { out += "peak of \(path.rawValue): \(BenchClock.format(other)) GMAC/s\n" }
        }
        return out
    }

    /// One-sample fully connected layers stream their weights once per inference: their weight
    /// bytes per second beside this machine's read bandwidth from memory (a 128 MiB buffer,
    /// larger than any cache) and from a cache-resident 512 KiB buffer.
    func fullyConnectedBandwidth(best: KernelPath) -> String {
        var generator = SeededGenerator(seed: 5)
        var table = TextTable(
            headers: ["one sample, \(best.rawValue), one thread", "weights MiB", "held in", "GB/s", "of memory read"],
            alignments: [.left, .right, .left, .right, .right])
        let dram = readBandwidth(bytes: 128 << 20)  // as large as the largest layer's weights
        let cached = readBandwidth(bytes: 512 << 10)
        let caches = Self.cacheSizes()
        // 128 MiB of weights exceed the last-level cache of most machines: that row is the
        // memory-bound one; the smaller ones stay in a cache between runs.
        for (inputs, outputs) in [(512, 1000), (4096, 4096), (16384, 8192)] {
            let input = IntTensor(
                shape: [1, inputs], elementType: .int8,
                values: (0..<inputs).map { _ in generator.nextInt32(in: -128...127) })
            var state = UInt64(inputs &* 31 &+ outputs)
            let bytes = (0..<(inputs * outputs)).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: state >> 56) | 1  // never −128
            }
            let prepared = bytes.withUnsafeBytes { raw in
                FastConvolution(
                    fullyConnectedWeights: raw, weightType: .int8, shape: [outputs, inputs], weightZeroPoints: [0],
                    bias: nil,
                    parameters: FullyConnectedParameters(
                        requantizer: Requantizer(multiplier: 1, shift: 12, rounding: .halfUp)), path: best)
            }
            guard let fast = prepared else { continue }
            let seconds = BenchClock.best(minimumSeconds: quick ? 0.05 : 0.3, cpu: true) {
                _ = fast.run(input: input, inputZeroPoint: 0, outputType: .int8, threads: 1)
            }
            let rate = Double(inputs * outputs) / seconds / 1e9
            let held = caches.first { $0.bytes >= inputs * outputs }.map(\.name) ?? "memory"
            table.append([
                "fully connected \(inputs)→\(outputs)", BenchClock.format(Double(inputs * outputs) / 1_048_576, 2),
                held, BenchClock.format(rate, 1), BenchClock.format(100 * rate / dram, 0) + "%",
            ])
        }
        var out = "fully connected, one sample: weight bytes per second (memory-bound)\n" + table.render()
        out += "read bandwidth, one thread: \(BenchClock.format(dram, 1)) GB/s from memory (128 MiB, four streams), "
        out += "\(BenchClock.format(cached, 1)) GB/s from cache (512 KiB); caches: "
        out += caches.map { "\($0.name) \($0.bytes >> 10) KiB" }.joined(separator: ", ")
        out += "; weights held in a cache run above the memory's rate, the row held in memory is the bound one\n"
        return out
    }

    /// The data caches of CPU 0 (Linux sysfs), smallest first; empty elsewhere.
    static func cacheSizes() -> [(name: String, bytes: Int)] {
        var caches: [(name: String, bytes: Int)] = []
        for index in 0..<8 {
            let base = "/sys/devices/system/cpu/cpu0/cache/index\(index)/"
            func read(_ file: String) -> String? {
                (try? String(contentsOfFile: base + file, encoding: .utf8))?.trimmingCharacters(
                    in: .whitespacesAndNewlines)
            }
            guard let level = read("level"), let type = read("type"), type != "Instruction", let size = read("size")
            else { continue }
            let scale = size.hasSuffix("M") ? 1 << 20 : size.hasSuffix("K") ? 1 << 10 : 1
            guard let value = Int(scale == 1 ? Substring(size) : size.dropLast()) else { continue }
            caches.append((name: "L\(level)", bytes: value * scale))
        }
        return caches.sorted { $0.bytes < $1.bytes }
    }

    /// GB/s of summing `bytes` of 64-bit words on one thread (the best of a few passes).
    func readBandwidth(bytes: Int) -> Double {
        let words = [UInt64](repeating: 1, count: bytes / 8)
        var total: UInt64 = 0
        let seconds = BenchClock.best(
            minimumRuns: 3, maximumRuns: bytes > 1 << 24 ? 5 : 2000, minimumSeconds: quick ? 0.05 : 0.2, cpu: true
        ) {
            words.withUnsafeBufferPointer { w in
                // Four streams, one per quarter of the buffer (as the GEMM reads four column blocks
                // at once), each into its own sum: neither the adds nor one prefetch stream limit it.
                var sums = (SIMD8<UInt64>(), SIMD8<UInt64>(), SIMD8<UInt64>(), SIMD8<UInt64>())
                let base = UnsafeRawPointer(w.baseAddress!)
                let quarter = bytes / 4 / 64 * 64
                var offset = 0
                while offset < quarter {
                    sums.0 &+= base.loadUnaligned(fromByteOffset: offset, as: SIMD8<UInt64>.self)
                    sums.1 &+= base.loadUnaligned(fromByteOffset: quarter + offset, as: SIMD8<UInt64>.self)
                    sums.2 &+= base.loadUnaligned(fromByteOffset: 2 * quarter + offset, as: SIMD8<UInt64>.self)
                    sums.3 &+= base.loadUnaligned(fromByteOffset: 3 * quarter + offset, as: SIMD8<UInt64>.self)
                    offset &+= 64
                }
                total &+= (sums.0 &+ sums.1 &+ sums.2 &+ sums.3).wrappedSum()
            }
        }
        precondition(total > 0)
        return Double(bytes) / seconds / 1e9
    }

    /// Requantizer and elementwise kernels, one thread, in G elements/s (output elements).
    func elementwise() -> String {
        var generator = SeededGenerator(seed: 11)
        let headers = ["kernel", "elements", "reference G/s"] + paths.map { "\($0.rawValue) G/s" } + ["bit-exact"]
        var table = TextTable(
            headers: headers,
            alignments: [.left] + [TextTable.Alignment](repeating: .right, count: headers.count - 2) + [.left])
        let minimumSeconds = quick ? 0.05 : 0.3
        let paths = paths
        func row(_ name: String, elements: Int, reference: () -> IntTensor, fast: (KernelPath) -> IntTensor) {
            guard filter.map({ name.contains($0) }) ?? true else { return }
            var expected = IntTensor(shape: [], elementType: .int8, values: [0])
            let referenceSeconds = BenchClock.best(minimumRuns: 1, maximumRuns: 3, minimumSeconds: 0, cpu: true) {
                expected = reference()
            }
            var cells = [
                name, groupedDigits(elements), BenchClock.format(Double(elements) / referenceSeconds / 1e9, 3),
            ]
            var exact = true
            for path in paths {
                var output = expected
                let fastSeconds = BenchClock.best(minimumSeconds: minimumSeconds, cpu: true) { output = fast(path) }
                exact = exact && output == expected
                cells.append(BenchClock.format(Double(elements) / fastSeconds / 1e9, 2))
            }
            table.append(cells + [exact ? "yes" : "NO"])
        }
        let channels = 64
        let count = 56 * 56 * channels
        let accumulators = IntTensor(
            shape: [1, 56, 56, channels], elementType: .int32,
            values: (0..<count).map { _ in generator.nextInt32(in: -1_000_000...1_000_000) })
        for rounding in [RoundingMode.halfUp, .tflite, .halfEven] {
            let requantizer = Requantizer(
                multipliers: (0..<channels).map { _ in generator.nextInt32(in: 1_073_741_824...2_147_483_647) },
                shifts: [Int32](repeating: 38, count: channels), rounding: rounding, zeroPoint: -2)
            let prepared = Dictionary(uniqueKeysWithValues: paths.map { ($0, FastRequantizer(requantizer, path: $0)) })
            // The conv epilogue: rows of accumulators into a preallocated buffer.
            var buffer = [Int32](repeating: 0, count: count)
            row("requantizer rows, \(rounding.rawValue) (in place)", elements: count) {
                for index in 0..<count {
                    buffer[index] = requantizer.apply(accumulators.values[index], channel: index % channels)
                }
                return IntTensor(shape: accumulators.shape, elementType: .int8, values: buffer)
            } fast: { path in
                let fast = prepared[path]!
                return accumulators.values.withUnsafeBufferPointer { source in
                    buffer.withUnsafeMutableBufferPointer { destination in
                        fast.apply(source.baseAddress!, destination.baseAddress!, count: count, channels: channels)
                    }
                    return IntTensor(shape: accumulators.shape, elementType: .int8, values: buffer)
                }
            }
            row("requantize op, \(rounding.rawValue)", elements: count) {
                ReferenceKernels.requantize(accumulators, zeroPoint: 0, requantizer: requantizer, outputType: .int8)
            } fast: { path in
                FastKernels.requantize(accumulators, zeroPoint: 0, requantizer: prepared[path]!, outputType: .int8)
            }
        }
        let a = IntTensor(
            shape: [1, 56, 56, channels], elementType: .int8,
            values: (0..<count).map { _ in generator.nextInt32(in: -128...127) })
        let b = IntTensor(
            shape: [1, 56, 56, channels], elementType: .int8,
            values: (0..<count).map { _ in generator.nextInt32(in: -128...127) })
        let aidge = AddParameters(
            inputs: [AddInputScaling(leftShift: 0, rescale: nil), AddInputScaling(leftShift: 0, rescale: nil)],
            output: Requantizer(multiplier: 1, shift: 1, rounding: .halfUp, clampMin: 0))
        row("add (int32 sum, half_up)", elements: count) {
            ReferenceKernels.add(
                a, zeroPointA: 1, b, zeroPointB: -2, parameters: aidge, overflow: .wrap, outputType: .int8)
        } fast: { path in
            FastKernels.add(
                a, zeroPointA: 1, b, zeroPointB: -2, parameters: aidge,
                output: FastRequantizer(aidge.output, path: path), overflow: .wrap, outputType: .int8)
        }
        let rescale = Requantizer(multiplier: 1_518_500_250, shift: 31, rounding: .tflite)
        let tflite = AddParameters(
            inputs: [
                AddInputScaling(leftShift: 20, rescale: rescale), AddInputScaling(leftShift: 20, rescale: rescale),
            ],
            output: Requantizer(multiplier: 1_310_720_000, shift: 50, rounding: .tflite, zeroPoint: 4))
        row("add (TFLite, left shift 20)", elements: count) {
            ReferenceKernels.add(
                a, zeroPointA: 1, b, zeroPointB: -2, parameters: tflite, overflow: .wrap, outputType: .int8)
        } fast: { path in
            FastKernels.add(
                a, zeroPointA: 1, b, zeroPointB: -2, parameters: tflite,
                output: FastRequantizer(tflite.output, path: path), overflow: .wrap, outputType: .int8)
        }
        let pooled = IntTensor(
            shape: [1, 112, 112, channels], elementType: .int8,
            values: (0..<(112 * 112 * channels)).map { _ in generator.nextInt32(in: -128...127) })
        let pool = MaxPoolParameters(
            window: Size2D(3), stride: Size2D(2), padding: Padding2D(top: 1, bottom: 1, left: 1, right: 1))
        row("max pool 3×3/2 @112", elements: count) {
            ReferenceKernels.maxPool(pooled, parameters: pool)
        } fast: { path in
            FastKernels.maxPool(pooled, parameters: pool, path: path)
        }
        return "requantizer and elementwise kernels (G output elements/s per core: one thread, its CPU time)\n"
            + table.render()
    }
}
