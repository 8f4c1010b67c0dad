import AccsimArithmetic
import ArgumentParser
import Foundation

/// The `accsim` command: simulate a quantized network on an accelerator configuration.
public struct AccsimCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "accsim",
        abstract: "Bit-exact, cycle-approximate simulator of int8 DNN accelerators.",
        discussion: """
            Runs a quantized network in exactly the integer arithmetic an accelerator performs.
            `accsim MODEL.q` is short for `accsim run MODEL.q`.

            Exit codes: 0 success, 1 simulation error, 2 bad input or usage.
            """,
        version: AccsimVersion.string,
        subcommands: [
            RunCommand.self, InspectCommand.self, ImportCommand.self, ConfigCommand.self, GenerateCommand.self,
            TraceCommand.self, ExportMemCommand.self, SweepCommand.self, MapCommand.self, BenchCommand.self,
            ReportCommand.self,
        ],
        defaultSubcommand: RunCommand.self
    )

    public init() {}

    /// Parses the arguments, runs the command and exits with accsim's exit codes: 0 on success,
    /// 1 when the simulation itself fails, 2 for bad input files, bad arguments or usage errors.
    public static func main(arguments: [String]? = nil) -> Never {
        let given = arguments ?? Array(CommandLine.arguments.dropFirst())
        if Set(given) == ["--version", "--verbose"] {
            // The version plus what the data path runs on (the kernel path selection).
            print("accsim \(AccsimVersion.string)")
            print(KernelSelectionReport.text, terminator: "")
            Foundation.exit(0)
        }
        if let problem = KernelPath.environmentProblem {
            // A forced path that cannot be honoured is a usage error, not a silent fallback.
            FileHandle.standardError.write(Data("accsim: error: \(problem)\n".utf8))
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            Foundation.exit(0)
        } catch {
            if let classified = CLIError(classifying: error) {
                FileHandle.standardError.write(Data("accsim: error: \(classified.message)\n".utf8))
                Foundation.exit(classified.exitCode)
            }
            // ArgumentParser errors: help and version go to stdout with status 0; every other
            // parse or validation failure is a usage error, status 2.
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((message.isEmpty ? "accsim: error" : message).utf8 + [10]))
            Foundation.exit(2)
        }
    }
}

/// The version accsim reports and writes into its files.
public enum AccsimVersion {
    public static let string = "0.1.0"
}
