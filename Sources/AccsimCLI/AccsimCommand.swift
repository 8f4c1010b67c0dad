import ArgumentParser

/// The `accsim` command: simulate a quantized network on an accelerator configuration.
public struct AccsimCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "accsim",
        abstract: "Bit-exact, cycle-approximate simulator of int8 DNN accelerators.",
        version: AccsimVersion.string,
        subcommands: [RunCommand.self],
        defaultSubcommand: RunCommand.self
    )

    public init() {}
}

/// The version accsim reports and writes into its files.
public enum AccsimVersion {
    public static let string = "0.1.0"
}
