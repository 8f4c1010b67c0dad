import ArgumentParser

/// `accsim run`: simulate a model (the default subcommand).
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Simulate a model.")

    @Argument(help: "The model file (.q).")
    var model: String

    func run() throws {}
}
