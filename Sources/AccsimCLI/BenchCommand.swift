import AccsimArithmetic
import ArgumentParser
import Foundation

/// `accsim bench`: how fast the data path is — each fast kernel beside the naive reference kernel
/// and the CPU's measured int8 peak, the requantizer and elementwise kernels, and a ResNet-18-shaped
/// model end to end (with data, and timing only) as separate processes with their peak memory.
///
/// Not part of the test suite: it takes tens of seconds and its numbers depend on the machine.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the fast kernels (GMAC/s vs the reference and the CPU peak) and ResNet-18 end to end.",
        discussion: """
            Kernels run on seeded random operands and are checked bit for bit against the reference \
            kernels. GMAC/s columns: the reference kernel and each kernel path this CPU runs on one \
            thread (its CPU time), then the selected path on 1 and --threads threads (wall clock, \
            in alternating rounds) and their speed-up; "peak" is a \
            register-only multiply-accumulate loop of the path on this core. One-sample fully \
            connected layers are given in weight GB/s beside the memory's read bandwidth. End to \
            end runs `accsim run --hw <config> <model>` (and with --no-data) as child processes: \
            wall time including process start, and the children's peak RSS. Without --model a \
            ResNet-18-shaped model (`accsim generate resnet18`) is written to a temporary directory.
            """,
        subcommands: [PeakMemoryCommand.self]
    )

    @Option(
        name: .long, help: "Threads for the multi-threaded kernel column and the in-process runs (default: all cores).")
    var threads: Int?

    @Option(name: .long, help: "Runs of each end-to-end command (the best and the median are reported).")
    var runs: Int = 5

    @Option(
        name: .long,
        help: ArgumentHelp("Model for the end-to-end runs (default: a generated ResNet-18).", valueName: "model.q"))
    var model: String?

    @Option(name: .long, help: ArgumentHelp("Hardware config of the end-to-end runs.", valueName: "config"))
    var hw: String = "32x32-ws"

    @Flag(name: .long, help: "Skip the kernel measurements.")
    var skipKernels = false

    @Flag(name: .long, help: "Skip the end-to-end measurements.")
    var skipEndToEnd = false

    @Flag(name: .long, help: "Shorter measurements (fewer repetitions; less stable numbers).")
    var quick = false

    @Option(name: .long, help: ArgumentHelp("Only the kernels whose name contains this text.", valueName: "text"))
    var filter: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Only this kernel path (avx512vnni, avxvnni, avx2, neon or portable).", valueName: "path"))
    var path: String?

    func validate() throws {
        if runs < 1 { throw ValidationError("--runs must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let path, KernelPath(rawValue: path) == nil {
            throw ValidationError(
                "--path must be one of \(KernelPath.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let path, let kernelPath = KernelPath(rawValue: path), !kernelPath.isAvailable {
            throw ValidationError("--path \(path): not available on this CPU")
        }
    }

    func run() throws {
        let workers = threads ?? ProcessInfo.processInfo.activeProcessorCount
        print("accsim bench: \(ProcessInfo.processInfo.activeProcessorCount) cores, threads \(workers)")
        print(KernelSelectionReport.text, terminator: "")
        print("load average at start: \(KernelSelectionReport.loadAverage)")
        // The paths measured: the default (best, or forced by ACCSIM_KERNELS) and every slower one,
        // as a machine without the faster instruction sets would have them.
        let measured =
            path.flatMap(KernelPath.init(rawValue:)).map { [$0] }
            ?? Array(KernelPath.available.drop { $0 != KernelPath.best })
        if !skipKernels {
            print("")
            print(KernelBench(threads: workers, quick: quick, filter: filter, paths: measured).render(), terminator: "")
        }
        if !skipEndToEnd {
            print("")
            print(try EndToEndBench(model: model, hardware: hw, runs: runs, threads: workers).render(), terminator: "")
        }
        print("load average at end: \(KernelSelectionReport.loadAverage)")
    }
}

/// The CPU, its features and the kernel path selection, as `accsim bench` and
/// `accsim --version --verbose` print them.
enum KernelSelectionReport {
    static var text: String {
        var out = "cpu: \(cpuModel), features: \(KernelPath.featureSummary)\n"
        out += "kernel paths this CPU runs: \(KernelPath.available.map(\.rawValue).joined(separator: ", "))"
        out += "; selected: \(KernelPath.best.rawValue)"
        if let forced = ProcessInfo.processInfo.environment["ACCSIM_KERNELS"], KernelPath.environmentProblem == nil {
            out += " (forced by ACCSIM_KERNELS=\(forced); detected: \(KernelPath.detected.rawValue))"
        } else {
            out += " (detected; ACCSIM_KERNELS=portable|avx2|avxvnni|avx512vnni|neon forces one)"
        }
        out += "\n"
        if let problem = KernelPath.environmentProblem {
            out += "warning: \(problem); using \(KernelPath.detected.rawValue)\n"
        }
        return out
    }

    /// The CPU's model name (`/proc/cpuinfo`), or the architecture.
    static var cpuModel: String {
        if let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
            let name = line.split(separator: ":", maxSplits: 1).last
        {
            return name.trimmingCharacters(in: .whitespaces)
        }
        #if arch(x86_64)
        return "x86-64"
        #elseif arch(arm64)
        return "arm64"
        #else
        return "unknown"
        #endif
    }

    /// The 1, 5 and 15 minute load averages (`/proc/loadavg`), or "unknown".
    static var loadAverage: String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }
}

/// Wall-clock measurement helpers shared by the benchmarks.
enum BenchClock {
    /// Seconds since an arbitrary origin (monotonic wall clock).
    static func now() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }

    /// CPU seconds the calling thread has used: immune to the thread waiting for a busy machine,
    /// so single-thread rates are per-core rates.
    static func threadCPUTime() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// The best time of `body` over repetitions: at least `minimumRuns`, and more until
    /// `minimumSeconds` of wall time have been spent (at most `maximumRuns`). `cpu`: measure the
    /// calling thread's CPU time instead of wall time (for single-threaded work).
    static func best(
        minimumRuns: Int = 3, maximumRuns: Int = 200, minimumSeconds: Double = 0.3, cpu: Bool = false,
        _ body: () -> Void
    ) -> Double {
        var best = Double.infinity
        var runs = 0
        let start = now()
        func clock() -> Double { cpu ? threadCPUTime() : now() }
        while runs < minimumRuns || (now() - start < minimumSeconds && runs < maximumRuns) {
            let t0 = clock()
            body()
            best = min(best, clock() - t0)
            runs += 1
        }
        return best
    }

    /// The best wall times of `first` and `second`, run alternately in rounds of `group` runs of
    /// each (at least `minimumRounds` rounds, more until `minimumSeconds` have passed, at most
    /// `maximumRounds`): both see the same share of a busy machine's load, so their ratio is fairer
    /// than two separate measurements, and each round's later runs find the caches as that
    /// variant left them (the second thread's share of a layer's weights, for instance, which a
    /// strict alternation would have it fetch from the first thread's cache every time).
    static func interleaved(
        minimumRounds: Int = 3, maximumRounds: Int = 100, group: Int = 3, minimumSeconds: Double,
        _ first: () -> Void, _ second: () -> Void
    ) -> (Double, Double) {
        var wall = (Double.infinity, Double.infinity)
        var rounds = 0
        let start = now()
        while rounds < minimumRounds || (now() - start < minimumSeconds && rounds < maximumRounds) {
            for _ in 0..<group {
                let t0 = now()
                first()
                wall.0 = min(wall.0, now() - t0)
            }
            for _ in 0..<group {
                let t0 = now()
                second()
                wall.1 = min(wall.1, now() - t0)
            }
            rounds += 1
        }
        return wall
    }

    /// `value` with `decimals` digits after the point.
    static func format(_ value: Double, _ decimals: Int = 1) -> String {
        String(format: "%.\(decimals)f", value)
    }
}
