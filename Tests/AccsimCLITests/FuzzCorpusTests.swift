import AccsimFuzzTargets
import AccsimTestSupport
import Foundation
import Testing

/// The fuzz corpora in a normal build (issue 19, item 1): every seed in `Fuzz/corpus/TARGET/` (the
/// committed fixtures) is read by its reader without an error, except the `reject-*` seeds, which
/// are rejected; every crash reproducer in `Fuzz/regressions/TARGET/` is now rejected with an
/// error instead of crashing the process, except the `accept-*` ones, valid inputs that crashed or
/// ran out of memory and are now read (`accept-186M-weights`: a topology row of 186 M weights, which
/// took 2.4 GB when each weight passed through int32 and int64 arrays, now 0.2 GB).
@Suite struct FuzzCorpusTests {
    private func files(_ folder: String, _ target: FuzzTarget) -> [URL] {
        let directory = CLI.root.appendingPathComponent("Fuzz/\(folder)/\(target.rawValue)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted().map { directory.appendingPathComponent($0) }
    }

    @Test(arguments: FuzzTarget.allCases)
    func seedsAreReadAndRegressionsRejected(_ target: FuzzTarget) throws {
        let seeds = files("corpus", target)
        #expect(seeds.count >= 3, "Fuzz/corpus/\(target.rawValue) holds \(seeds.count) seeds")
        for seed in seeds where !seed.lastPathComponent.hasPrefix("reject-") {
            #expect(throws: Never.self, "\(seed.lastPathComponent)") { try target.run([UInt8](Data(contentsOf: seed))) }
        }
        let rejected = seeds.filter { $0.lastPathComponent.hasPrefix("reject-") }
        let regressions = files("regressions", target)
        for input in regressions where input.lastPathComponent.hasPrefix("accept-") {
            #expect(throws: Never.self, "\(input.lastPathComponent)") {
                try target.run([UInt8](Data(contentsOf: input)))
            }
        }
        for input in rejected + regressions.filter({ !$0.lastPathComponent.hasPrefix("accept-") }) {
            #expect(throws: (any Error).self, "\(input.lastPathComponent)") {
                try target.run([UInt8](Data(contentsOf: input)))
            }
        }
    }
}
