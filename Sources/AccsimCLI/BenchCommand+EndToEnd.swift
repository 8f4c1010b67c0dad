import AccsimArithmetic
import AccsimExecution
import AccsimImport
import AccsimModel
import AccsimReport
import AccsimSimulation
import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The end-to-end half of `accsim bench`: a model (by default ResNet-18-shaped, 224×224, ≈1.8
/// GMAC) simulated with data and timing only, as `accsim run` child processes (wall time including
/// process start, peak RSS), and in process with the reference and the fast kernels (data path
/// only, outputs compared).
struct EndToEndBench {
    let model: String?
    let hardware: String
    let runs: Int
    let threads: Int

    func render() throws -> String {
        var temporary: URL?
        defer { if let temporary { try? FileManager.default.removeItem(at: temporary) } }
        let path: String
        if let model {
            path = model
        } else {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "accsim-bench-\(ProcessInfo.processInfo.processIdentifier)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            temporary = directory
            path = directory.appendingPathComponent("resnet18.q").path
            try QModelWriter.write(SyntheticModels.resnet18(seed: 0), to: path, overwrite: true)
        }
        let graph = try ModelFile.load(path)
        let resolved = try HardwareFile.load(hardware, overrides: [])
        var out = "end to end: \(graph.name), \(groupedDigits(graph.totalMACs)) MACs, on \(resolved.name)\n"

        // Child processes: what a user waits for.
        var table = TextTable(
            headers: ["command", "best s", "median s", "peak RSS MiB"], alignments: [.left, .right, .right, .right])
        let timingOnly = try childRuns(["run", "--hw", hardware, "--no-data", path])
        table.append([
            "accsim run --hw \(hardware) --no-data", BenchClock.format(timingOnly.best, 3),
            BenchClock.format(timingOnly.median, 3), BenchClock.format(timingOnly.peakMiB),
        ])
        let withData = try childRuns(["run", "--hw", hardware, path])
        table.append([
            "accsim run --hw \(hardware)", BenchClock.format(withData.best, 3), BenchClock.format(withData.median, 3),
            BenchClock.format(withData.peakMiB),
        ])
        let oneThread = try childRuns(["run", "--hw", hardware, "--threads", "1", path])
        table.append([
            "accsim run --hw \(hardware) --threads 1", BenchClock.format(oneThread.best, 3),
            BenchClock.format(oneThread.median, 3), BenchClock.format(oneThread.peakMiB),
        ])
        let start = try childRuns(["--version"], measureMemory: false)
        table.append([
            "accsim --version (process start)", BenchClock.format(start.best, 3), BenchClock.format(start.median, 3),
            "-",
        ])
        out += table.render()

        // In process, stage by stage: what a timing-only run does after the process started, and
        // what a sweep (model loaded once) pays per configuration.
        // CPU time beside wall time: on a shared machine the thread's CPU time is what the stage costs.
        var stages = TextTable(
            headers: ["timing only, in process", "best ms", "median ms", "best CPU ms"],
            alignments: [.left, .right, .right, .right])
        func stage(_ name: String, _ body: () throws -> Void) throws {
            var times: [Double] = []
            var cpuTimes: [Double] = []
            var failure: (any Error)?
            for _ in 0..<max(5, runs) {
                let t0 = BenchClock.now()
                let c0 = BenchClock.threadCPUTime()
                do { try body() } catch { failure = error }
                cpuTimes.append(BenchClock.threadCPUTime() - c0)
                times.append(BenchClock.now() - t0)
            }
            if let failure { throw failure }
            times.sort()
            stages.append([
                name, BenchClock.format(times[0] * 1000, 2), BenchClock.format(times[times.count / 2] * 1000, 2),
                BenchClock.format((cpuTimes.min() ?? 0) * 1000, 2),
            ])
        }
        let modelBytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        try stage("load the model (\(BenchClock.format(Double(modelBytes) / 1_048_576)) MiB, every CRC checked)") {
            _ = try ModelFile.load(path)
        }
        try stage("map, tile and time every layer") { _ = try Simulation(model: graph, hardware: resolved.config) }
        out += "\n" + stages.render()

        // The memory budget: weights + the two largest activations (at their element width) + 64 MiB.
        let weights = graph.totalParameterBytes
        let activations = graph.tensors.filter { graph.constants[$0.name] == nil }.map(\.byteCount).sorted(by: >)
        let budget = weights + activations.prefix(2).reduce(0, +) + 64 << 20
        out +=
            "memory budget: weights \(BenchClock.format(Double(weights) / 1_048_576)) MiB + two largest activations \(BenchClock.format(Double(activations.prefix(2).reduce(0, +)) / 1_048_576)) MiB + 64 MiB = \(BenchClock.format(Double(budget) / 1_048_576)) MiB\n"

        // In process: the data path alone, reference kernels against fast kernels.
        let simulationReference = try Simulation(
            model: graph, hardware: resolved.config, options: .init(kernels: .reference))
        let simulationFast = try Simulation(model: graph, hardware: resolved.config, options: .init(kernels: .fast))
        let batches = ModelInputs.seeded(for: graph, samples: 1, seed: 0)
        var reference: [String: IntTensor] = [:]
        var fast: [String: IntTensor] = [:]
        var fastThreads: [String: IntTensor] = [:]
        var failure: (any Error)?
        let referenceSeconds = BenchClock.best(minimumRuns: 1, maximumRuns: 1, minimumSeconds: 0) {
            do { reference = try simulationReference.run(batches: batches, threads: 1) } catch { failure = error }
        }
        let firstFast = BenchClock.best(minimumRuns: 1, maximumRuns: 1, minimumSeconds: 0) {
            do { fast = try simulationFast.run(batches: batches, threads: 1) } catch { failure = error }
        }
        let fastSeconds = BenchClock.best(minimumRuns: 3, maximumRuns: 20, minimumSeconds: 0.5) {
            do { fast = try simulationFast.run(batches: batches, threads: 1) } catch { failure = error }
        }
        let fastThreadSeconds = BenchClock.best(minimumRuns: 3, maximumRuns: 20, minimumSeconds: 0.5) {
            do { fastThreads = try simulationFast.run(batches: batches, threads: threads) } catch { failure = error }
        }
        if let failure { throw failure }
        let exact = reference == fast && fast == fastThreads
        var data = TextTable(
            headers: ["data path (in process, one sample)", "seconds", "GMAC/s"], alignments: [.left, .right, .right])
        func add(_ name: String, _ seconds: Double) {
            data.append([
                name, BenchClock.format(seconds, 4), BenchClock.format(Double(graph.totalMACs) / seconds / 1e9),
            ])
        }
        add("reference kernels, 1 thread", referenceSeconds)
        add("fast kernels, 1 thread, first run (packs weights)", firstFast)
        add("fast kernels, 1 thread", fastSeconds)
        add("fast kernels, \(threads) threads", fastThreadSeconds)
        out += "\n" + data.render()
        out += "outputs: reference, fast (1 thread) and fast (\(threads) threads) \(exact ? "identical" : "DIFFER")"
        out += graph.outputs.first.flatMap { fast[$0] }.map { ", crc32 \(TensorChecksum.crc32Hex($0))" } ?? ""
        out += "\n"
        return out
    }

    struct ChildRuns {
        var best: Double
        var median: Double
        var peakMiB: Double
    }

    /// Runs `accsim arguments` `runs` times (output discarded) for the wall time, then (with
    /// `measureMemory`) once more through `accsim bench peak-rss` for the peak RSS (`VmHWM` of the child's own
    /// `/proc/self/status`: `getrusage` would charge the parent's pages to a spawned child).
    func childRuns(_ arguments: [String], measureMemory: Bool = true) throws -> ChildRuns {
        var times: [Double] = []
        for _ in 0..<runs {
            let (seconds, status) = try ChildProcess.run(arguments, standardError: nil)
            guard status == 0 else {
                throw CLIError("bench: `accsim \(arguments.joined(separator: " "))` exited with status \(status)")
            }
            times.append(seconds)
        }
        times.sort()
        guard measureMemory else { return ChildRuns(best: times[0], median: times[times.count / 2], peakMiB: 0) }
        let report = FileManager.default.temporaryDirectory.appendingPathComponent(
            "accsim-bench-rss-\(ProcessInfo.processInfo.processIdentifier).txt"
        ).path
        defer { try? FileManager.default.removeItem(atPath: report) }
        let (_, status) = try ChildProcess.run(
            ["bench", PeakMemoryCommand.configuration.commandName ?? "peak-rss"] + arguments, standardError: report)
        let text = (try? String(contentsOfFile: report, encoding: .utf8)) ?? ""
        guard status == 0,
            let line = text.split(separator: "\n").last(where: { $0.hasPrefix(PeakMemoryCommand.marker) }),
            let kib = Double(line.dropFirst(PeakMemoryCommand.marker.count).trimmingCharacters(in: .whitespaces))
        else {
            throw CLIError(
                "bench: could not measure the peak memory of `accsim \(arguments.joined(separator: " "))`: \(text)")
        }
        return ChildRuns(best: times[0], median: times[times.count / 2], peakMiB: kib / 1024)
    }
}

/// `accsim bench peak-rss <accsim arguments…>`: runs the command in this process, then prints its
/// peak resident set size (`VmHWM` from `/proc/self/status`) to stderr. Used by `accsim bench`.
struct PeakMemoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peak-rss", abstract: "Run an accsim command and print its peak RSS (VmHWM) to stderr.",
        shouldDisplay: false)

    /// The prefix of the line this command prints.
    static let marker = "accsim-bench-vmhwm-kib "

    @Argument(parsing: .captureForPassthrough, help: "The accsim command to run.")
    var arguments: [String] = []

    func run() throws {
        var command = try AccsimCommand.parseAsRoot(arguments)
        try command.run()
        FileHandle.standardError.write(Data("\(Self.marker)\(Self.peakRSSKiB() ?? -1)\n".utf8))
    }

    /// `VmHWM` of this process in KiB, or nil where `/proc` does not exist.
    static func peakRSSKiB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
        }
        return nil
    }
}

/// Child processes of this executable, waited for precisely (Foundation's `Process` polls).
enum ChildProcess {
    /// Runs this executable with `arguments`, stdout discarded and stderr to `standardError` (a
    /// file path; nil: discarded). Returns the wall time from spawn to exit and the exit status.
    static func run(_ arguments: [String], standardError: String?) throws -> (seconds: Double, status: Int32) {
        let executable = executablePath()
        #if canImport(Glibc)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, standardError ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([executable] + arguments).map { strdup($0) }
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let start = BenchClock.now()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv + [nil], environ)
        guard spawned == 0 else { throw CLIError("bench: cannot start \(executable) (error \(spawned))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let seconds = BenchClock.now() - start
        return (seconds, (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f))
        #else
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        if let standardError {
            FileManager.default.createFile(atPath: standardError, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: standardError)
        } else {
            process.standardError = FileHandle.nullDevice
        }
        let start = BenchClock.now()
        try process.run()
        process.waitUntilExit()
        return (BenchClock.now() - start, process.terminationStatus)
        #endif
    }

    /// The running executable's path.
    static func executablePath() -> String {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return resolved
        }
        return Bundle.main.executablePath ?? CommandLine.arguments[0]
    }
}
