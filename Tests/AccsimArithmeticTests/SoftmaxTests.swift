import AccsimArithmetic
import Foundation
import Testing

/// The gemmlowp fixed-point helpers, the softmax kernel and the TFLite parameter/table derivations.
struct SoftmaxTests {
    // MARK: gemmlowp helpers

    @Test func saturatingPowerOfTwoMultiply() {
        // Left shifts saturate past ±(2^(31−e) − 1); right shifts round half away.
        #expect(GemmlowpFixedPoint.saturatingRoundingMultiplyByPOT(3, exponent: 2) == 12)
        #expect(GemmlowpFixedPoint.saturatingRoundingMultiplyByPOT(1 << 29, exponent: 2) == .max)
        #expect(GemmlowpFixedPoint.saturatingRoundingMultiplyByPOT(-(1 << 29), exponent: 2) == .min)
        #expect(GemmlowpFixedPoint.saturatingRoundingMultiplyByPOT((1 << 29) - 1, exponent: 2) == 2_147_483_644)
        #expect(GemmlowpFixedPoint.saturatingRoundingMultiplyByPOT(-6, exponent: -2) == -2)
        #expect(GemmlowpFixedPoint.saturatingRoundingMultiplyByPOT(-6, exponent: 0) == -6)
    }

    @Test func roundingHalfSum() {
        // (3 + 4)/2 = 3.5 → 4; (−3 − 4)/2 → −4; (Int32.max + Int32.max)/2 exact in 64 bits.
        #expect(GemmlowpFixedPoint.roundingHalfSum(3, 4) == 4)
        #expect(GemmlowpFixedPoint.roundingHalfSum(-3, -4) == -4)
        #expect(GemmlowpFixedPoint.roundingHalfSum(.max, .max) == .max)
    }

    @Test func expOnNegativeValues() {
        // exp(0) is 1.0, represented by Int32.max in Q0.31.
        #expect(GemmlowpFixedPoint.expOnNegativeValues(0, integerBits: 5) == .max)
        // The values below are those of the independent Python implementation (Scripts/intref.py),
        // which matched LiteRT's reference softmax on 300 random rows. Real values for scale:
        // exp(−1/4)·2^31 = 1672461947.4, exp(−1)·2^31 = 790015084.4, exp(−5)·2^31 = 14469636.2.
        #expect(GemmlowpFixedPoint.expOnNegativeValues(-(1 << 24), integerBits: 5) == 1_672_462_419)  // −1/4 in Q5.26
        #expect(GemmlowpFixedPoint.expOnNegativeValues(-(1 << 26), integerBits: 5) == 790_015_308)  // −1
        #expect(GemmlowpFixedPoint.expOnNegativeValues(-5 << 26, integerBits: 5) == 14_469_635)  // −5
        #expect(GemmlowpFixedPoint.expOnNegativeValues(-31 << 26, integerBits: 5) == 0)  // exp(−31)·2^31 = 0.07
    }

    @Test func reciprocal() {
        // 1/(1 + 0) saturates at 1.0 − ε; 1/(1 + 1/2) = 2/3, i.e. 1431655765.3 in Q0.31 (three
        // Newton–Raphson steps land 3 below);
        // 1/(1 + (1 − 2^−31)) ≈ 1/2.
        #expect(GemmlowpFixedPoint.oneOverOnePlusX(0) == .max)
        #expect(GemmlowpFixedPoint.oneOverOnePlusX(1 << 30) == 1_431_655_762)
        #expect(GemmlowpFixedPoint.oneOverOnePlusX(.max) == 1_073_741_820)
        // GetReciprocal of 4.0 in Q12.19 (raw 2^21): clz = 10, normalised 1 + 0 → scale ≈ 1,
        // bits over unit 12 − 10 = 2: 1/4 = 1·2^−2.
        let r = GemmlowpFixedPoint.reciprocal(1 << 21, integerBits: 12)
        #expect(r.scale == .max && r.bitsOverUnit == 2)
    }

    // MARK: Softmax kernel

    @Test func uniformRowsAndCutoff() {
        // β·s = 1.0: (M, L) = (2^30, 27), diff_min = −floor(31·2^26 / 2^27) = −15.
        let p = SoftmaxParameters.softmaxParameters(betaTimesInputScale: 1.0)
        #expect(p.inputMultiplier == 1 << 30 && p.inputLeftShift == 27 && p.diffMin == -15)
        // Row [1, 1, 1, 1]: each exp(0) = Int32.max → RDBP(·, 12) = 2^19; sum 2^21 → clz 10,
        // bits over unit 2, scale = Int32.max; each output RDBP(SRDHM(max, max), 25)
        // = RDBP(2^31 − 2, 25) = 63.99… → 64 → −128 + 64 = −64.
        // Row [127, −128, 0, 0]: only the maximum is within 15 of itself; the others give −128.
        // Its sum is 2^19 → bits over unit 0 → RDBP(2^31 − 2, 23) = 256 → 128 → clamped 127.
        let x = IntTensor(shape: [2, 4], elementType: .int8, values: [1, 1, 1, 1, 127, -128, 0, 0])
        #expect(
            ReferenceKernels.softmax(x, parameters: p)
                == IntTensor(shape: [2, 4], elementType: .int8, values: [-64, -64, -64, -64, 127, -128, -128, -128]))
    }

    @Test func rowsAreIndependentAndTheLastAxisIsTheRow() {
        // The same row in a rank-3 tensor gives the same result.
        let p = SoftmaxParameters.softmaxParameters(betaTimesInputScale: 0.1)
        let row: [Int32] = [0, 1, 2, 3, -128, 127]
        let single = ReferenceKernels.softmax(IntTensor(shape: [1, 6], elementType: .int8, values: row), parameters: p)
        let stacked = ReferenceKernels.softmax(
            IntTensor(shape: [2, 1, 6], elementType: .int8, values: row + row), parameters: p)
        #expect(stacked.values == single.values + single.values)
        #expect(stacked.shape == [2, 1, 6])
    }

    // MARK: Derivations

    @Test func softmaxParametersHandDerived() {
        // 0.1·2^26 = 6710886.4 = 0.8·2^23 → M = round(0.8·2^31) = 1717986918, L = 23;
        // diff_min = −floor(31·2^26 / 2^23) = −248.
        let p = SoftmaxParameters.softmaxParameters(betaTimesInputScale: 0.1)
        #expect(p.inputMultiplier == 1_717_986_918 && p.inputLeftShift == 23 && p.diffMin == -248)
        #expect(p.betaTimesInputScale == 0.1)
        // 1e6·2^26 is capped at 2^31 − 1 = (1 − 2^−31)·2^31 → M = 2^31 − 1, L = 31;
        // diff_min = −floor(31·2^26/2^31) = −floor(0.97) = 0.
        let capped = SoftmaxParameters.softmaxParameters(betaTimesInputScale: 1e6)
        #expect(capped.inputMultiplier == .max && capped.inputLeftShift == 31 && capped.diffMin == 0)
    }

    @Test func derivationsMatchTheOracle() throws {
        let file = try JSONDecoder().decode(DerivationsFile.self, from: try Fixtures.data("derivations"))
        for expected in file.softmaxParameters {
            #expect(SoftmaxParameters.softmaxParameters(betaTimesInputScale: expected.betaTimesInputScale) == expected)
        }
        for m in file.quantizeMultiplier {
            let q = FixedPoint.quantizeMultiplier(m.real)
            #expect(q.multiplier == m.multiplier && q.shift == m.shift, "QuantizeMultiplier(\(m.real))")
        }
        // The Python tables come from the C library's expf/tanhf through ctypes and matched LiteRT's
        // LOGISTIC/TANH output on 60 random quantizations; the Swift builder must agree.
        #expect(file.tables.count >= 4)
        for t in file.tables {
            let function = try #require(TableFunction(rawValue: t.function))
            let table = LookupTableParameters.lookupTable(
                function, inputScale: t.inputScale, inputZeroPoint: t.inputZeroPoint, type: t.type)
            #expect(table.table == t.table, "\(t.function) s=\(t.inputScale) zp=\(t.inputZeroPoint) \(t.type)")
        }
    }

    @Test func logisticTableHandValues() {
        // At v = zero point, x = 0: logistic 0.5 → 0.5·256 = 128 → −128 + 128 = 0; tanh 0 → 0.
        // Far below: logistic → 0 → −128; far above: 1·256 − 128 = 128 → clamped 127.
        let logistic = LookupTableParameters.lookupTable(.logistic, inputScale: 0.25, inputZeroPoint: 3)
        #expect(logistic.table[3 + 128] == 0)
        #expect(logistic.table[0] == -128 && logistic.table[255] == 127)
        let tanh = LookupTableParameters.lookupTable(.tanh, inputScale: 0.25, inputZeroPoint: -7)
        #expect(tanh.table[-7 + 128] == 0)
        #expect(tanh.table[0] == -128 && tanh.table[255] == 127)
    }
}

struct DerivationsFile: Decodable {
    struct Multiplier: Decodable {
        let real: Double
        let multiplier: Int32
        let shift: Int
    }

    struct Table: Decodable {
        let function: String
        let inputScale: Float
        let inputZeroPoint: Int32
        let type: ElementType
        let table: [Int32]

        enum CodingKeys: String, CodingKey {
            case function, type, table
            case inputScale = "input_scale"
            case inputZeroPoint = "input_zero_point"
        }
    }

    let softmaxParameters: [SoftmaxParameters]
    let tables: [Table]
    let quantizeMultiplier: [Multiplier]

    enum CodingKeys: String, CodingKey {
        case tables
        case softmaxParameters = "softmax_parameters"
        case quantizeMultiplier = "quantize_multiplier"
    }
}
