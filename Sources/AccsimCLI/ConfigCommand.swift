import AccsimHardware
import AccsimImport
import ArgumentParser

/// `accsim config`: inspect and check hardware configs.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show, check and list hardware configs.",
        subcommands: [Show.self, Validate.self, List.self]
    )

    /// `accsim config show`: the resolved config (defaults + file + overrides) as JSON.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the resolved config: every key, with defaults and --set overrides applied.")

        @Argument(
            help: ArgumentHelp(
                "A config file (JSON, or a SCALE-Sim .cfg) or the name of a bundled config.", valueName: "hw"))
        var hardware: String

        @Option(
            name: .customLong("set"), help: ArgumentHelp("Override a key (repeatable).", valueName: "key.path=value"))
        var overrides: [String] = []

        func run() throws {
            let resolved = try HardwareFile.load(hardware, overrides: overrides)
            print(resolved.config.canonicalJSON())
            print("// config hash \(resolved.hash)")
        }
    }

    /// `accsim config validate`: check config files.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check config files; exit 2 on the first invalid one.")

        @Argument(help: ArgumentHelp("Config files or bundled names.", valueName: "hw"))
        var files: [String]

        func validate() throws {
            if files.isEmpty { throw ValidationError("give at least one config file") }
        }

        func run() throws {
            for file in files {
                let resolved = try HardwareFile.load(file, overrides: [])
                print("\(resolved.file): ok (\(resolved.name), config hash \(resolved.hash))")
            }
        }
    }

    /// `accsim config list`: the bundled configs.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the bundled configs.")

        func run() throws {
            for name in HardwareConfigLoader.bundledNames() {
                let resolved = try HardwareConfigLoader.load(name)
                let array = resolved.config.array
                print("\(name)\t\(array.rows)x\(array.cols) \(array.dataflow.rawValue)\t\(resolved.config.description)")
            }
        }
    }
}
