import AccsimArithmetic
import Testing

/// The fast Requantize, Add, MaxPool and Mean kernels against the reference kernels.
@Suite struct FastElementwiseTests {
    @Test(arguments: 0..<25)
    func addEqualsReference(seed: Int) {
        var random = FastTestRandom(seed: 300 + UInt64(seed))
        let shape = [
            random.int(1...2), random.int(1...9), random.int(1...9), random.element([1, 3, 8, 64, random.int(1...40)]),
        ]
        let count = shape.reduce(1, *)
        let type: ElementType = random.element([.int8, .uint8, .int16])
        let extremes = seed % 5 == 0
        let a = IntTensor(shape: shape, elementType: type, values: random.values(count, type, extremes: extremes))
        let b = IntTensor(shape: shape, elementType: type, values: random.values(count, type, extremes: extremes))
        func scaling() -> AddInputScaling {
            AddInputScaling(
                leftShift: random.element([0, 0, 1, 20, 31, 40]),
                rescale: random.bool() ? random.requantizer(random.element(RoundingMode.allCases), channels: 1) : nil)
        }
        let parameters = AddParameters(
            inputs: [scaling(), scaling()],
            output: random.requantizer(random.element(RoundingMode.allCases), channels: random.bool() ? shape[3] : 1))
        let zeroPointA = random.int32(-5...5)
        let zeroPointB = random.int32(-5...5)
        for overflow in OverflowMode.allCases {
            let expected = ReferenceKernels.add(
                a, zeroPointA: zeroPointA, b, zeroPointB: zeroPointB, parameters: parameters, overflow: overflow,
                outputType: .int8)
            for path in KernelPath.available {
                for threads in [1, 3] {
                    let fast = FastKernels.add(
                        a, zeroPointA: zeroPointA, b, zeroPointB: zeroPointB, parameters: parameters,
                        output: FastRequantizer(parameters.output, path: path), overflow: overflow, outputType: .int8,
                        threads: threads)
                    #expect(fast == expected, "\(path) \(overflow) \(threads) threads")
                }
            }
        }
    }

    /// Every requantizer of the Add in one rounding mode, the output per tensor: the fused
    /// one-pass kernel on the AVX-512 path (TFLite's scheme: left shift 20 and two rescales; the
    /// Aidge scheme: no rescale), including extreme operands and both overflow modes.
    @Test(arguments: RoundingMode.allCases.filter { $0 != .doubleHalfAway })
    func fusedAddEqualsReference(rounding: RoundingMode) {
        var random = FastTestRandom(seed: 900 + UInt64(RoundingMode.allCases.firstIndex(of: rounding)!))
        for trial in 0..<12 {
            let count = random.element([1, 7, 8, 9, 100, 4099])
            let type: ElementType = random.element([.int8, .uint8, .int16])
            let a = IntTensor(
                shape: [count], elementType: type, values: random.values(count, type, extremes: trial % 3 == 0))
            let b = IntTensor(
                shape: [count], elementType: type, values: random.values(count, type, extremes: trial % 4 == 0))
            let tfliteScheme = trial % 2 == 0
            func scaling() -> AddInputScaling {
                tfliteScheme
                    ? AddInputScaling(
                        leftShift: random.element([20, 0, 31]), rescale: random.requantizer(rounding, channels: 1))
                    : AddInputScaling(leftShift: 0, rescale: nil)
            }
            let parameters = AddParameters(
                inputs: [scaling(), scaling()], output: random.requantizer(rounding, channels: 1))
            let zeroPointA = random.int32(-128...127)
            let zeroPointB = random.int32(-128...127)
            for overflow in OverflowMode.allCases {
                let expected = ReferenceKernels.add(
                    a, zeroPointA: zeroPointA, b, zeroPointB: zeroPointB, parameters: parameters, overflow: overflow,
                    outputType: .int8)
                for path in KernelPath.available {
                    let fast = FastKernels.add(
                        a, zeroPointA: zeroPointA, b, zeroPointB: zeroPointB, parameters: parameters,
                        output: FastRequantizer(parameters.output, path: path), overflow: overflow, outputType: .int8,
                        threads: 2)
                    #expect(fast == expected, "\(rounding) trial \(trial) \(path) \(overflow)")
                }
            }
        }
    }

    @Test(arguments: 0..<20)
    func requantizeEqualsReference(seed: Int) {
        var random = FastTestRandom(seed: 400 + UInt64(seed))
        let shape = [random.int(1...3), random.int(1...70)]
        let type: ElementType = random.element([.int8, .uint8, .int16, .int32])
        let input = IntTensor(
            shape: shape, elementType: type, values: random.values(shape[0] * shape[1], type == .int32 ? .int16 : type))
        let requantizer = random.requantizer(
            random.element(RoundingMode.allCases), channels: random.bool() ? shape[1] : 1)
        let zeroPoint = random.int32(-100...100)
        let expected = ReferenceKernels.requantize(
            input, zeroPoint: zeroPoint, requantizer: requantizer, outputType: .int8)
        for path in KernelPath.available {
            #expect(
                FastKernels.requantize(
                    input, zeroPoint: zeroPoint, requantizer: FastRequantizer(requantizer, path: path),
                    outputType: .int8, threads: 2) == expected)
        }
    }

    @Test(arguments: 0..<25)
    func maxPoolEqualsReference(seed: Int) {
        var random = FastTestRandom(seed: 500 + UInt64(seed))
        while true {
            let window = Size2D(height: random.int(1...4), width: random.int(1...4))
            let stride = Size2D(height: random.int(1...3), width: random.int(1...3))
            let padding = Padding2D(
                top: random.int(0...window.height - 1), bottom: random.int(0...window.height - 1),
                left: random.int(0...window.width - 1), right: random.int(0...window.width - 1))
            let shape = [
                random.int(1...2), random.int(1...11), random.int(1...11), random.element([1, 5, 8, 16, 19, 64]),
            ]
            guard
                slidingWindowOutputExtent(
                    input: shape[1], padBefore: padding.top, padAfter: padding.bottom, kernel: window.height,
                    stride: stride.height, dilation: 1) != nil,
                slidingWindowOutputExtent(
                    input: shape[2], padBefore: padding.left, padAfter: padding.right, kernel: window.width,
                    stride: stride.width, dilation: 1) != nil
            else { continue }
            let type: ElementType = random.element([.int8, .uint8, .int16])
            let input = IntTensor(shape: shape, elementType: type, values: random.values(shape.reduce(1, *), type))
            let low = random.int32(type.minValue...type.maxValue)
            let high = random.int32(type.minValue...type.maxValue)
            let parameters = MaxPoolParameters(
                window: window, stride: stride, padding: padding, clampMin: min(low, high), clampMax: max(low, high))
            let expected = ReferenceKernels.maxPool(input, parameters: parameters)
            for path in KernelPath.available {
                #expect(
                    FastKernels.maxPool(input, parameters: parameters, threads: 1, path: path) == expected, "\(path)")
                #expect(
                    FastKernels.maxPool(input, parameters: parameters, threads: 3, path: path) == expected, "\(path)")
            }
            return
        }
    }

    /// Windows of more than 64 in-image taps (the AVX-512 kernel's second pass).
    @Test func largeMaxPoolWindowsEqualReference() {
        var random = FastTestRandom(seed: 555)
        let input = IntTensor(shape: [1, 13, 12, 21], elementType: .int8, values: random.values(13 * 12 * 21, .int8))
        for (window, padding) in [(9, 4), (11, 2), (12, 0)] {
            let parameters = MaxPoolParameters(
                window: Size2D(window), stride: Size2D(1),
                padding: Padding2D(top: padding, bottom: padding, left: padding, right: padding), clampMin: -100,
                clampMax: 100)
            let expected = ReferenceKernels.maxPool(input, parameters: parameters)
            for path in KernelPath.available {
                #expect(
                    FastKernels.maxPool(input, parameters: parameters, threads: 2, path: path) == expected,
                    "\(path) window \(window)")
            }
        }
    }

    @Test(arguments: 0..<15)
    func meanEqualsReference(seed: Int) {
        var random = FastTestRandom(seed: 600 + UInt64(seed))
        let shape = [random.int(1...3), random.int(1...9), random.int(1...9), random.int(1...40)]
        let type: ElementType = random.element([.int8, .uint8, .int16])
        let input = IntTensor(
            shape: shape, elementType: type, values: random.values(shape.reduce(1, *), type, extremes: seed % 3 == 0))
        let parameters = MeanParameters(
            requantizer: random.requantizer(
                random.element(RoundingMode.allCases), channels: random.bool() ? shape[3] : 1), keepDims: random.bool())
        let zeroPoint = random.int32(type.minValue...type.maxValue)
        let expected = ReferenceKernels.mean(input, zeroPoint: zeroPoint, parameters: parameters, outputType: .int8)
        for path in KernelPath.available {
            #expect(
                FastKernels.mean(
                    input, zeroPoint: zeroPoint, parameters: parameters,
                    requantizer: FastRequantizer(parameters.requantizer, path: path), outputType: .int8) == expected)
        }
    }
}
