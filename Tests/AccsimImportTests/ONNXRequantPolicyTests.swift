import AccsimArithmetic
import AccsimImport
import AccsimModel
import Testing

/// The requantizer conversion policies, on hand-derived cases.
@Suite("Requantizer conversion policies")
struct ONNXRequantPolicyTests {
    static func scaled(_ reals: [Double], role: ScaledRequantization.Role = .weighted) -> ScaledRequantization {
        ScaledRequantization(reals: reals, role: role, zeroPoint: 3, clampMin: -128, clampMax: 127)
    }

    @Test("fixedPoint(32) holds a float32 scale exactly, with M in [2^30, 2^31)")
    func fixedPoint32() throws {
        // 0.0123 as float32 has a 24-bit significand: M = m·2^7 represents it exactly.
        let real = Double(Float(0.0123))
        let conversion = try RequantPolicy.default.convert(Self.scaled([real, 0.5, 1.75]))
        let r = conversion.requantizer
        #expect(conversion.relativeError == 0)
        #expect(conversion.weightFactors == nil)
        #expect(r.rounding == .halfEven && r.zeroPoint == 3)
        #expect(r.multipliers.allSatisfy { $0 >= 1 << 30 })
        // 0.5 = 2^30 · 2^−31, 1.75 = (7·2^28) · 2^−30.
        #expect(r.multipliers[1] == 1 << 30 && r.shifts[1] == 31)
        #expect(r.multipliers[2] == 7 << 28 && r.shifts[2] == 30)
        #expect(Double(r.multipliers[0]) * Double(sign: .plus, exponent: -Int(r.shifts[0]), significand: 1) == real)
    }

    @Test("fixedPoint(bits) rounds M to bits − 1 bits; the error bound is 2^−(bits−1)")
    func fewerBits() throws {
        let real = 0.1  // not a short binary fraction
        for bits in [4, 8, 12, 16, 24] {
            let conversion = try RequantPolicy.fixedPoint(bits: bits).convert(Self.scaled([real]))
            let m = conversion.requantizer.multipliers[0]
            #expect(m >= 1 << (bits - 2) && m < 1 << (bits - 1), "bits \(bits): M = \(m)")
            #expect(conversion.relativeError <= Double(sign: .plus, exponent: -(bits - 1), significand: 1))
        }
        // M = round_half_even(0.75 · 2^2) = 3, n = 2 - 0 → 0.75 exactly with 3 bits.
        let three = try RequantPolicy.fixedPoint(bits: 3).convert(Self.scaled([0.75]))
        #expect(three.requantizer.multipliers == [3] && three.requantizer.shifts == [2])
    }

    @Test("shifts beyond 62 and factors above 1 are brought into range")
    func extremes() throws {
        let tiny = try RequantPolicy.default.convert(Self.scaled([1e-12]))
        #expect(tiny.requantizer.shifts == [62])
        #expect(tiny.relativeError < 1e-6)
        let large = try RequantPolicy.fixedPoint(bits: 8).convert(Self.scaled([300]))
        #expect(large.requantizer.shifts == [0] && large.requantizer.multipliers == [300])
        #expect(throws: ModelError.self) { try RequantPolicy.default.convert(Self.scaled([1e12])) }
        #expect(throws: ModelError.self) { try RequantPolicy.default.convert(Self.scaled([-1])) }
        #expect(throws: ModelError.self) { try RequantPolicy.fixedPoint(bits: 1).convert(Self.scaled([1])) }
    }

    @Test("singleShift rounds the scale up to a power of two and folds the ratio in (0.5, 1]")
    func singleShiftWeighted() throws {
        let conversion = try RequantPolicy.singleShift.convert(Self.scaled([0.003, 0.25, 0.7]))
        let r = conversion.requantizer
        #expect(r.multipliers == [1, 1, 1] && r.rounding == .halfUp)
        // 0.003 → 2^−8 = 0.00390625, ratio 0.768; 0.25 → 2^−2, ratio 1; 0.7 → 2^0, ratio 0.7.
        #expect(r.shifts == [8, 2, 0])
        let factors = try #require(conversion.weightFactors)
        #expect(abs(factors[0] - 0.003 * 256) < 1e-15 && factors[1] == 1 && factors[2] == 0.7)
        #expect(factors.allSatisfy { $0 > 0.5 && $0 <= 1 })
        #expect(conversion.relativeError < 1e-15)
    }

    @Test("singleShift gives joining nodes a multiplier of at most 127 with half_up")
    func singleShiftJoining() throws {
        let conversion = try RequantPolicy.singleShift.convert(Self.scaled([0.6180339887], role: .joining))
        let r = conversion.requantizer
        #expect(r.multipliers == [79] && r.shifts == [7] && r.rounding == .halfUp)  // 79/128 = 0.6172
        #expect(conversion.weightFactors == nil)
        #expect(abs(conversion.relativeError - abs(79.0 / 128 - 0.6180339887) / 0.6180339887) < 1e-12)
        let edge = try RequantPolicy.singleShift.convert(Self.scaled([0.999], role: .joining))
        #expect(edge.requantizer.multipliers == [64] && edge.requantizer.shifts == [6])  // 127.87 → 128 → 64·2^−6
    }

    @Test("Add: two input multipliers sharing the output shift")
    func add() throws {
        let conversion = try RequantPolicy.default.convertAdd(
            ratioA: 0.75, ratioB: 0.3, zeroPoint: -2, clampMin: -128, clampMax: 127)
        let p = conversion.parameters
        // max ratio 0.75 = 0.75·2^0 → n = 22: M_a = 0.75·2^22, M_b = round(0.3·2^22).
        #expect(p.inputs.map(\.leftShift) == [0, 0])
        #expect(p.inputs[0].rescale?.multipliers == [3 << 20] && p.inputs[0].rescale?.shifts == [0])
        #expect(p.inputs[1].rescale?.multipliers == [Int32((0.3 * 4_194_304).rounded())])
        #expect(
            p.output.multipliers == [1] && p.output.shifts == [22] && p.output.rounding == .halfEven
                && p.output.zeroPoint == -2)
        #expect(conversion.relativeError < 1e-6)
        let small = try RequantPolicy.singleShift.convertAdd(
            ratioA: 0.75, ratioB: 0.3, zeroPoint: 0, clampMin: -128, clampMax: 127)
        #expect(small.parameters.inputs.compactMap { $0.rescale?.multipliers[0] } == [96, 38])
        #expect(small.parameters.output.shifts == [7] && small.parameters.output.rounding == .halfUp)
        // The sum reproduces round((q_a − zp_a)·r_a + (q_b − zp_b)·r_b): (10·0.75 + 5·0.3) = 9.
        let tensor = { (v: Int32) in IntTensor(shape: [1, 1], elementType: .int8, values: [v]) }
        let sum = ReferenceKernels.add(
            tensor(10), zeroPointA: 0, tensor(5), zeroPointB: 0, parameters: p, overflow: .wrap, outputType: .int8)
        #expect(sum.values == [9 - 2])
    }

    @Test("tflite rounding keeps the TFLite form of the multiplier")
    func tfliteRounding() throws {
        let conversion = try RequantPolicy.fixedPoint(bits: 32, rounding: .tflite).convert(Self.scaled([0.25]))
        #expect(conversion.requantizer.multipliers == [1 << 30] && conversion.requantizer.shifts == [32])
        #expect(Requantizer.round(5, multiplier: 1 << 30, shift: 32, mode: .tflite) == 2)  // double rounding: 1.25 → 2
        #expect(Requantizer.round(6, multiplier: 1 << 30, shift: 32, mode: .halfEven) == 2)  // 1.5 → 2
        #expect(Requantizer.round(10, multiplier: 1 << 30, shift: 32, mode: .halfEven) == 2)  // 2.5 → 2
    }
}
