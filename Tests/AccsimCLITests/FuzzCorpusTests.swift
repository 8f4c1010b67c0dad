import AccsimFuzzTargets
import AccsimTestSupport
import Foundation
import Testing

/// The fuzz corpora in a normal build (issue 19, item 1): every seed in `Fuzz/corpus/TARGET/` (the
/// committed fixtures) is read by its reader without an error, except the `reject-*` seeds, which
/// are rejected; every crash reproducer in `Fuzz/regressions/TARGET/` is now rejected with an
/// error instead of crashing the process.
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
        for input in rejected + files("regressions", target) {
            #expect(throws: (any Error).self, "\(input.lastPathComponent)") {
                try target.run([UInt8](Data(contentsOf: input)))
            }
        }
    }
}
