import AccsimModel
import Testing

@testable import AccsimArithmetic

/// The fast-kernel tests' seeded operands (the same on every platform), drawn from the project's
/// one SplitMix64 (``SeededGenerator``) with the seed spread first.
struct FastTestRandom {
    private var generator: SeededGenerator

    init(seed: UInt64) { generator = SeededGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ 1) }

    mutating func next() -> UInt64 { generator.next() }

    /// Uniform in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// Uniform in `range`.
    mutating func int32(_ range: ClosedRange<Int32>) -> Int32 {
        Int32(Int64(range.lowerBound) + Int64(next() % UInt64(Int64(range.upperBound) - Int64(range.lowerBound) + 1)))
    }

    mutating func bool() -> Bool { next() & 1 == 1 }

    mutating func element<T>(_ values: [T]) -> T { values[int(0...(values.count - 1))] }

    /// `count` values of `type`, uniform over its range, or (adversarial) only its extremes.
    mutating func values(_ count: Int, _ type: ElementType, extremes: Bool = false) -> [Int32] {
        (0..<count).map { _ in
            extremes ? (bool() ? type.minValue : type.maxValue) : int32(type.minValue...type.maxValue)
        }
    }

    /// A valid requantizer of `rounding` with `channels` channels (1: per tensor).
    mutating func requantizer(_ rounding: RoundingMode, channels: Int, outputType: ElementType = .int8) -> Requantizer {
        var multipliers: [Int32] = []
        var shifts: [Int32] = []
        for _ in 0..<channels {
            switch rounding {
            case .tflite, .tfliteHalfUp:
                multipliers.append(
                    element([0, 1, 1 << 30, Int32.max, int32(1 << 30...Int32.max), int32(0...Int32.max)]))
            default:
                multipliers.append(
                    element([1, -1, Int32.max, Int32.min, int32(-70_000...70_000), int32(Int32.min...Int32.max)]))
            }
            shifts.append(element([0, 1, 2, 30, 31, 32, 45, 62, int32(0...62)]))
        }
        let low = int32(outputType.minValue...outputType.maxValue)
        let high = int32(outputType.minValue...outputType.maxValue)
        var reals: [Double]?
        if rounding == .doubleHalfAway {
            reals = (0..<channels).map { _ in Double(int(0...1_000_000)) / 1_048_576 }
        }
        return Requantizer(
            multipliers: multipliers, shifts: shifts, rounding: rounding, zeroPoint: int32(-20...20),
            clampMin: min(low, high), clampMax: max(low, high), realMultipliers: reals)
    }
}

/// Runs a suite's tests with ``FastConvolution/minimumWorkPerWorker`` at 0 and no limit on the
/// workers, so that every thread count the tests ask for splits even their small shapes over that
/// many workers, on any number of cores.
struct EveryWorkerTrait: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await FastConvolution.$minimumWorkPerWorker.withValue(0) {
            try await FastKernels.$maximumWorkers.withValue(.max) { try await function() }
        }
    }
}

extension Trait where Self == EveryWorkerTrait {
    /// Every worker split, however small the work (see ``EveryWorkerTrait``).
    static var everyWorker: Self { Self() }
}
