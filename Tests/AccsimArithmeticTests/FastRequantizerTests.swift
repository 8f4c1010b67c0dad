import AccsimArithmetic
import Testing

/// ``FastRequantizer`` against ``Requantizer/apply(_:channel:)`` element by element: every rounding
/// mode, per tensor and per channel, shifts from 0 to 62, multipliers at their extremes,
/// accumulators at int32's ends, on both kernel paths.
@Suite struct FastRequantizerTests {
    static let edgeAccumulators: [Int32] = [
        0, 1, -1, 2, -2, 3, -3, Int32.max, Int32.min, Int32.max - 1, Int32.min + 1, 1 << 30, -(1 << 30), 65_535,
        -65_536,
    ]

    static func accumulators(_ random: inout FastTestRandom, count: Int) -> [Int32] {
        (0..<count).map { i in
            switch random.int(0...3) {
            case 0: edgeAccumulators[i % edgeAccumulators.count]
            case 1: random.int32(-1000...1000)
            default: random.int32(Int32.min...Int32.max)
            }
        }
    }

    @Test(arguments: RoundingMode.allCases)
    func rowsEqualTheRequantizer(rounding: RoundingMode) {
        var random = FastTestRandom(seed: UInt64(RoundingMode.allCases.firstIndex(of: rounding)!))
        for trial in 0..<40 {
            let channels = random.element([1, 3, 8, 9, 16, 17, 64])
            let requantizer = random.requantizer(
                rounding, channels: trial % 2 == 0 ? channels : 1, outputType: random.element([.int8, .uint8, .int16]))
            let rows = random.int(1...7)
            let source = Self.accumulators(&random, count: rows * channels)
            let expected = source.indices.map { requantizer.apply(source[$0], channel: $0 % channels) }
            for path in KernelPath.available {
                let fast = FastRequantizer(requantizer, path: path)
                var output = [Int32](repeating: 0, count: source.count)
                source.withUnsafeBufferPointer { s in
                    output.withUnsafeMutableBufferPointer { d in
                        fast.apply(s.baseAddress!, d.baseAddress!, count: s.count, channels: channels)
                    }
                }
                #expect(output == expected, "\(path) \(rounding.rawValue) \(requantizer)")
                // In place, as the conv epilogue uses it: a block with strides.
                var block = [Int32](repeating: 0, count: rows * (channels + 5))
                for r in 0..<rows { for j in 0..<channels { block[r * (channels + 5) + j] = source[r * channels + j] } }
                block.withUnsafeMutableBufferPointer { b in
                    fast.apply(
                        b.baseAddress!, sourceStride: channels + 5, b.baseAddress!, destinationStride: channels + 5,
                        rows: rows, columns: channels, firstChannel: 0)
                }
                for r in 0..<rows {
                    #expect(
                        Array(block[(r * (channels + 5))..<(r * (channels + 5) + channels)])
                            == Array(expected[(r * channels)..<((r + 1) * channels)]), "\(path) in place")
                }
            }
        }
    }

    @Test(arguments: RoundingMode.allCases)
    func channelOffsetsPickTheirConstants(rounding: RoundingMode) {
        var random = FastTestRandom(seed: 77)
        let requantizer = random.requantizer(rounding, channels: 40)
        let source = Self.accumulators(&random, count: 13)
        for path in KernelPath.available {
            var output = [Int32](repeating: 0, count: 13)
            source.withUnsafeBufferPointer { s in
                output.withUnsafeMutableBufferPointer { d in
                    FastRequantizer(requantizer, path: path).apply(
                        s.baseAddress!, d.baseAddress!, count: 13, firstChannel: 21)
                }
            }
            #expect(output == source.indices.map { requantizer.apply(source[$0], channel: 21 + $0) }, "\(path)")
        }
    }

    /// Single-shift requantizers (M = 1, `half_up` / `floor`: the 32-bit-lane kernel with its
    /// per-tensor and per-channel loops): every shift 0…40, row widths 1…19 (whole vectors and
    /// every tail), rows with strides, edge accumulators, clamps at the ends of int8.
    @Test(arguments: [RoundingMode.halfUp, .floor])
    func singleShiftRowsEqualTheRequantizer(rounding: RoundingMode) {
        var random = FastTestRandom(seed: 91)
        for shift in Int32(0)...40 {
            for perChannel in [false, true] {
                let columns = random.int(1...19)
                let rows = random.int(1...3)
                let requantizer =
                    perChannel
                    ? Requantizer(
                        multipliers: [Int32](repeating: 1, count: columns),
                        shifts: (0..<columns).map { _ in random.int32(0...40) }, rounding: rounding, zeroPoint: 2,
                        clampMin: -128, clampMax: 127)
                    : Requantizer(multiplier: 1, shift: shift, rounding: rounding, zeroPoint: -1, clampMin: -128)
                let stride = columns + 3
                let source = Self.accumulators(&random, count: rows * stride)
                for path in KernelPath.available {
                    var output = [Int32](repeating: 7, count: rows * stride)
                    source.withUnsafeBufferPointer { s in
                        output.withUnsafeMutableBufferPointer { d in
                            FastRequantizer(requantizer, path: path).apply(
                                s.baseAddress!, sourceStride: stride, d.baseAddress!, destinationStride: stride,
                                rows: rows, columns: columns, firstChannel: 0)
                        }
                    }
                    let expected = (0..<(rows * stride)).map { i in
                        i % stride < columns ? requantizer.apply(source[i], channel: i % stride) : 7
                    }
                    #expect(output == expected, "\(path) \(rounding.rawValue) \(requantizer)")
                }
            }
        }
    }

    /// Every shift, every edge accumulator, multipliers at the ends of their range.
    @Test(arguments: RoundingMode.allCases)
    func exhaustiveShiftsAndEdges(rounding: RoundingMode) {
        let multipliers: [Int32] =
            rounding.usesQ31Multiplier ? [0, 1, 1 << 30, Int32.max] : [1, -1, 3, Int32.max, Int32.min]
        for multiplier in multipliers {
            let requantizer = Requantizer(
                multipliers: [Int32](repeating: multiplier, count: 63), shifts: (0...62).map(Int32.init),
                rounding: rounding,
                zeroPoint: -3, clampMin: -1000, clampMax: 1000,
                realMultipliers: rounding == .doubleHalfAway ? (0...62).map { Double($0) / 7 } : nil)
            for acc in Self.edgeAccumulators {
                let source = [Int32](repeating: acc, count: 63)
                let expected = (0..<63).map { requantizer.apply(acc, channel: $0) }
                for path in KernelPath.available {
                    var output = [Int32](repeating: 0, count: 63)
                    source.withUnsafeBufferPointer { s in
                        output.withUnsafeMutableBufferPointer { d in
                            FastRequantizer(requantizer, path: path).apply(
                                s.baseAddress!, d.baseAddress!, count: 63, firstChannel: 0)
                        }
                    }
                    #expect(output == expected, "\(path) \(rounding.rawValue) M \(multiplier) acc \(acc)")
                }
            }
        }
    }

    /// Ties of both TFLite steps: multipliers 2^30 and 3·2^29 make SRDHM land on halves, right
    /// shifts 1…9 make RoundingDivideByPOT do so; every accumulator in −600…600.
    @Test func tfliteTiesRoundLikeTheReference() {
        let source = (-600...600).map { Int32($0) } + [Int32.min, Int32.max, Int32.min + 1]
        for rounding in [RoundingMode.tflite, .tfliteHalfUp] {
            for multiplier in [Int32(1 << 30), 3 << 29, Int32.max] {
                for shift in Int32(28)...40 {
                    let requantizer = Requantizer(
                        multiplier: multiplier, shift: shift, rounding: rounding, clampMin: Int32.min,
                        clampMax: Int32.max)
                    let expected = source.map { requantizer.apply($0, channel: 0) }
                    for path in KernelPath.available {
                        var output = [Int32](repeating: 0, count: source.count)
                        source.withUnsafeBufferPointer { s in
                            output.withUnsafeMutableBufferPointer { d in
                                FastRequantizer(requantizer, path: path).apply(
                                    s.baseAddress!, d.baseAddress!, count: s.count, firstChannel: 0)
                            }
                        }
                        #expect(output == expected, "\(path) \(rounding.rawValue) M \(multiplier) n \(shift)")
                    }
                }
            }
        }
    }

    /// A TFLite requantizer with a negative multiplier fails validation; the fast requantizer still
    /// reproduces the reference arithmetic (SRDHM's saturating corner included).
    @Test func outOfRangeTFLiteMultipliersStayExact() {
        for rounding in [RoundingMode.tflite, .tfliteHalfUp] {
            let requantizer = Requantizer(
                multipliers: [Int32.min, -5], shifts: [31, 40], rounding: rounding, clampMin: Int32.min,
                clampMax: Int32.max)
            let source: [Int32] = [Int32.min, Int32.min, 7, -7]
            let expected = source.indices.map { requantizer.apply(source[$0], channel: $0 % 2) }
            for path in KernelPath.available {
                var output = [Int32](repeating: 0, count: 4)
                source.withUnsafeBufferPointer { s in
                    output.withUnsafeMutableBufferPointer { d in
                        FastRequantizer(requantizer, path: path).apply(
                            s.baseAddress!, d.baseAddress!, count: 4, channels: 2)
                    }
                }
                #expect(output == expected, "\(path) \(rounding.rawValue)")
            }
        }
    }

    @Test(arguments: RoundingMode.allCases)
    func scalingInPlaceNarrowsLikeTheReference(rounding: RoundingMode) {
        var random = FastTestRandom(seed: 5)
        for _ in 0..<20 {
            let requantizer = random.requantizer(rounding, channels: 1)
            let source = Self.accumulators(&random, count: 37)
            for overflow in OverflowMode.allCases {
                let expected = source.map { overflow.narrow(requantizer.scaled($0, channel: 0)) }
                for path in KernelPath.available {
                    var values = source
                    values.withUnsafeMutableBufferPointer {
                        FastRequantizer(requantizer, path: path).scaleInPlace(
                            $0.baseAddress!, count: $0.count, overflow: overflow)
                    }
                    #expect(values == expected, "\(path) \(overflow)")
                }
            }
        }
    }
}
