import Testing

@testable import AccsimArithmetic

@Suite struct MultiPassTests {
    @Test func passCounts() {
        #expect(MultiPass.passes(activation: .int8, weight: .int8, arrayInput: .int8, arrayWeight: .int8) == 1)
        #expect(MultiPass.passes(activation: .int16, weight: .int8, arrayInput: .int8, arrayWeight: .int8) == 2)
        #expect(MultiPass.passes(activation: .int8, weight: .int16, arrayInput: .int8, arrayWeight: .int8) == 2)
        #expect(MultiPass.passes(activation: .int16, weight: .int16, arrayInput: .int8, arrayWeight: .int8) == 4)
        #expect(MultiPass.passes(activation: .int16, weight: .int4, arrayInput: .int16, arrayWeight: .int8) == 1)
    }

    @Test func slicesRecomposeEveryValue() {
        // Every 17-bit value (the range of x − zp for int16 x) is Σ slice_i · 2^(8i).
        for value in Int32(-65536)...65535 {
            let low = MultiPass.slice(value, index: 0, count: 2, width: 8)
            let high = MultiPass.slice(value, index: 1, count: 2, width: 8)
            guard (0...255).contains(low), high * 256 + low == value else {
                Issue.record("\(value) splits into \(high), \(low)")
                return
            }
        }
        #expect(MultiPass.slice(-32768, index: 1, count: 2, width: 8) == -128)
        #expect(MultiPass.slice(-1, index: 0, count: 2, width: 8) == 255)
        #expect(MultiPass.slice(-1, index: 1, count: 2, width: 8) == -1)
    }

    @Test func passesEqualTheWideProductOnExtremeAndRandomOperands() {
        let extremes: [Int32] = [
            -65535, -32769, -32768, -32767, -256, -129, -128, -1, 0, 1, 127, 128, 255, 256, 32767, 65535,
        ]
        for a in extremes {
            for b in extremes {
                #expect(MultiPass.dot([a], [b], activationSlices: 2, weightSlices: 2) == Int64(a) * Int64(b))
                if (-255...255).contains(b) {
                    #expect(MultiPass.dot([a], [b], activationSlices: 2, weightSlices: 1) == Int64(a) * Int64(b))
                }
            }
        }
        var state: UInt64 = 0x3A5F
        func next(_ range: ClosedRange<Int32>) -> Int32 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return range.lowerBound
                + Int32(truncatingIfNeeded: (state >> 33) % UInt64(range.upperBound - range.lowerBound + 1))
        }
        for _ in 0..<200 {
            let count = Int(next(1...300))
            let a = (0..<count).map { _ in next(-65535...65535) }
            let b = (0..<count).map { _ in next(-65535...65535) }
            let direct = zip(a, b).reduce(Int64(0)) { $0 + Int64($1.0) * Int64($1.1) }
            #expect(MultiPass.dot(a, b, activationSlices: 2, weightSlices: 2) == direct)
        }
    }
}
