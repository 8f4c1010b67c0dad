import AccsimArithmetic
import Foundation
import Testing

/// Runs every case of the fixtures written by Scripts/make_kernel_fixtures.py (from the
/// independent NumPy oracle Scripts/intref.py) through the Swift reference kernels and demands
/// exactly the same integers.
struct KernelFixtureTests {
    /// Every op fixture file; `fixtureFilesAreAllCovered` fails if a file is added but not listed.
    static let opFiles = [
        "conv2d", "fully_connected", "add", "concat", "max_pool", "avg_pool", "mean", "clamp",
        "leaky_relu", "lookup_table", "requantize", "pad", "softmax", "int16_activation", "int16_softmax",
    ]

    @Test func fixtureFilesAreAllCovered() throws {
        let names = try FileManager.default.contentsOfDirectory(
            at: try Fixtures.directory(), includingPropertiesForKeys: nil
        )
        .map { $0.deletingPathExtension().lastPathComponent }
        #expect(Set(names) == Set(Self.opFiles + ["rounding", "derivations"]))
    }

    @Test(arguments: opFiles)
    func kernelMatchesOracle(op: String) throws {
        let data = try Fixtures.data(op)
        let header = try JSONDecoder().decode(FixtureHeader.self, from: data)
        #expect(header.op == op)
        let count: Int
        switch op {
        case "conv2d":
            count = try check(data, Conv2DParameters.self) { c in
                let args = (
                    input: c.tensor(0), zp: c.zeroPoints[0], weights: c.tensor(1), wzp: c.weightZeroPoints ?? [],
                    bias: c.bias
                )
                let accumulators = ReferenceKernels.conv2DAccumulators(
                    input: args.input, inputZeroPoint: args.zp, weights: args.weights, weightZeroPoints: args.wzp,
                    bias: args.bias, parameters: c.attributes, overflow: c.overflow!)
                #expect(accumulators == c.expectedAccumulators!.tensor, "\(c.name): accumulators")
                return ReferenceKernels.conv2D(
                    input: args.input, inputZeroPoint: args.zp, weights: args.weights, weightZeroPoints: args.wzp,
                    bias: args.bias, parameters: c.attributes, overflow: c.overflow!, outputType: c.outputType!)
            }
        case "fully_connected":
            count = try check(data, FullyConnectedParameters.self) { c in
                let accumulators = ReferenceKernels.fullyConnectedAccumulators(
                    input: c.tensor(0), inputZeroPoint: c.zeroPoints[0], weights: c.tensor(1),
                    weightZeroPoints: c.weightZeroPoints ?? [], bias: c.bias, overflow: c.overflow!)
                #expect(accumulators == c.expectedAccumulators!.tensor, "\(c.name): accumulators")
                return ReferenceKernels.fullyConnected(
                    input: c.tensor(0), inputZeroPoint: c.zeroPoints[0], weights: c.tensor(1),
                    weightZeroPoints: c.weightZeroPoints ?? [], bias: c.bias, parameters: c.attributes,
                    overflow: c.overflow!, outputType: c.outputType!)
            }
        case "add":
            count = try check(data, AddParameters.self) { c in
                ReferenceKernels.add(
                    c.tensor(0), zeroPointA: c.zeroPoints[0], c.tensor(1), zeroPointB: c.zeroPoints[1],
                    parameters: c.attributes, overflow: c.overflow!, outputType: c.outputType!)
            }
        case "concat":
            count = try check(data, ConcatParameters.self) { c in
                ReferenceKernels.concat(
                    c.inputs.map(\.tensor), zeroPoints: c.zeroPoints, parameters: c.attributes,
                    outputType: c.outputType!)
            }
        case "max_pool":
            count = try check(data, MaxPoolParameters.self) { c in
                ReferenceKernels.maxPool(c.tensor(0), parameters: c.attributes)
            }
        case "avg_pool":
            count = try check(data, AvgPoolParameters.self) { c in
                ReferenceKernels.avgPool(c.tensor(0), zeroPoint: c.zeroPoints[0], parameters: c.attributes)
            }
        case "mean":
            count = try check(data, MeanParameters.self) { c in
                ReferenceKernels.mean(
                    c.tensor(0), zeroPoint: c.zeroPoints[0], parameters: c.attributes, outputType: c.outputType!)
            }
        case "clamp":
            count = try check(data, ClampParameters.self) { c in
                ReferenceKernels.clamp(c.tensor(0), parameters: c.attributes)
            }
        case "leaky_relu":
            count = try check(data, LeakyReluParameters.self) { c in
                ReferenceKernels.leakyRelu(
                    c.tensor(0), inputZeroPoint: c.zeroPoints[0], outputZeroPoint: c.outputZeroPoint!,
                    parameters: c.attributes, outputType: c.outputType!)
            }
        case "lookup_table":
            count = try check(data, LookupTableParameters.self) { c in
                ReferenceKernels.lookupTable(c.tensor(0), parameters: c.attributes, outputType: c.outputType!)
            }
        case "requantize":
            count = try check(data, RequantizeAttributes.self) { c in
                ReferenceKernels.requantize(
                    c.tensor(0), zeroPoint: c.zeroPoints[0], requantizer: c.attributes.requantizer,
                    outputType: c.outputType!)
            }
        case "pad":
            count = try check(data, PadParameters.self) { c in
                ReferenceKernels.pad(c.tensor(0), parameters: c.attributes)
            }
        case "softmax":
            count = try check(data, SoftmaxParameters.self) { c in
                ReferenceKernels.softmax(c.tensor(0), parameters: c.attributes)
            }
        case "int16_activation":
            count = try check(data, Int16ActivationParameters.self) { c in
                ReferenceKernels.int16Activation(c.tensor(0), parameters: c.attributes)
            }
        case "int16_softmax":
            count = try check(data, Int16SoftmaxParameters.self) { c in
                ReferenceKernels.int16Softmax(c.tensor(0), parameters: c.attributes)
            }
        default:
            Issue.record("no runner for fixture \(op)")
            return
        }
        #expect(count > 0)
    }

    /// The int16 SOFTMAX parameters and tables (built in double) and the int16 LOGISTIC/TANH
    /// multipliers derived from the scales the oracle derived them from.
    @Test func int16DerivationsMatchOracle() throws {
        struct Derived: Decodable {
            let inputScale: Float
            let beta: Float?
            enum CodingKeys: String, CodingKey {
                case inputScale = "input_scale"
                case beta
            }
        }
        struct DerivedCase<A: Decodable>: Decodable {
            let name: String
            let attributes: A
            let derivedFrom: Derived?
            enum CodingKeys: String, CodingKey {
                case name, attributes
                case derivedFrom = "derived_from"
            }
        }
        struct DerivedFile<A: Decodable>: Decodable { let cases: [DerivedCase<A>] }
        let softmax = try JSONDecoder().decode(
            DerivedFile<Int16SoftmaxParameters>.self, from: try Fixtures.data("int16_softmax"))
        #expect(softmax.cases.count == 7)
        for c in softmax.cases {
            let d = try #require(c.derivedFrom)
            #expect(
                Int16SoftmaxParameters.litert(inputScale: d.inputScale, beta: d.beta ?? 1) == c.attributes, "\(c.name)")
        }
        // Every case but the hand-set last one records the scale it was derived from.
        let activations = try JSONDecoder().decode(
            DerivedFile<Int16ActivationParameters>.self, from: try Fixtures.data("int16_activation"))
        let derived = activations.cases.filter { $0.derivedFrom != nil }
        #expect(derived.count == 14 && activations.cases.count == 15)
        for c in derived {
            let scale = c.derivedFrom?.inputScale ?? 0
            #expect(
                Int16ActivationParameters.litert(c.attributes.function, inputScale: scale) == c.attributes, "\(c.name)")
        }
    }

    /// `Requantizer.round` against the oracle on many accumulators, every mode.
    @Test func roundingMatchesOracle() throws {
        let file = try JSONDecoder().decode(RoundingFile.self, from: try Fixtures.data("rounding"))
        #expect(file.cases.count >= 60)
        for c in file.cases {
            let mode = try #require(RoundingMode(rawValue: c.rounding))
            let got = c.accumulators.map { Requantizer.round($0, multiplier: c.multiplier, shift: c.shift, mode: mode) }
            #expect(got == c.expected, "\(c.rounding) M=\(c.multiplier) n=\(c.shift)")
        }
    }

    /// Decodes every case of a fixture with attribute type `A`, runs `kernel` and compares.
    private func check<A: Decodable>(_ data: Data, _: A.Type, kernel: (FixtureCase<A>) -> IntTensor) throws -> Int {
        let file = try JSONDecoder().decode(FixtureFile<A>.self, from: data)
        for c in file.cases {
            let got = kernel(c)
            let expected = c.expected.tensor
            #expect(got.shape == expected.shape, "\(c.name): shape")
            #expect(got.elementType == expected.elementType, "\(c.name): element type")
            #expect(got.values == expected.values, "\(c.name): \(mismatchSummary(got.values, expected.values))")
        }
        return file.cases.count
    }

    private func mismatchSummary(_ got: [Int32], _ expected: [Int32]) -> String {
        guard got.count == expected.count else { return "\(got.count) values, expected \(expected.count)" }
        let wrong = zip(got, expected).enumerated().filter { $0.element.0 != $0.element.1 }
        guard let first = wrong.first else { return "ok" }
        return
            "\(wrong.count) values differ, first at \(first.offset): \(first.element.0) instead of \(first.element.1)"
    }
}

// MARK: Fixture files

enum Fixtures {
    struct Missing: Error, CustomStringConvertible {
        var description: String { "the Fixtures resource directory is missing from the test bundle" }
    }

    static func directory() throws -> URL {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else { throw Missing() }
        return url
    }

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: try directory().appendingPathComponent(name + ".json"))
    }
}

struct FixtureHeader: Decodable {
    let op: String
}

struct FixtureFile<A: Decodable>: Decodable {
    let op: String
    let cases: [FixtureCase<A>]
}

struct FixtureTensor: Decodable {
    let shape: [Int]
    let type: ElementType
    let values: [Int32]

    var tensor: IntTensor { IntTensor(shape: shape, elementType: type, values: values) }
}

struct FixtureCase<A: Decodable>: Decodable {
    let name: String
    let attributes: A
    let inputs: [FixtureTensor]
    let zeroPoints: [Int32]
    let weightZeroPoints: [Int32]?
    let bias: [Int32]?
    let overflow: OverflowMode?
    let outputType: ElementType?
    let outputZeroPoint: Int32?
    let expected: FixtureTensor
    let expectedAccumulators: FixtureTensor?

    enum CodingKeys: String, CodingKey {
        case name, attributes, inputs, bias, overflow, expected
        case zeroPoints = "zero_points"
        case weightZeroPoints = "weight_zero_points"
        case outputType = "output_type"
        case outputZeroPoint = "output_zero_point"
        case expectedAccumulators = "expected_accumulators"
    }

    func tensor(_ index: Int) -> IntTensor { inputs[index].tensor }
}

/// The `requantize` op's attributes: `{"requantizer": {...}}`.
struct RequantizeAttributes: Decodable {
    let requantizer: Requantizer
}

struct RoundingFile: Decodable {
    struct Case: Decodable {
        let rounding: String
        let multiplier: Int32
        let shift: Int
        let accumulators: [Int32]
        let expected: [Int64]
    }

    let cases: [Case]
}
