import AccsimSweep
import ArgumentParser

/// `accsim sweep`: design-space sweeps — run a grid of hardware configs, merge shard outputs,
/// find and plot the Pareto front (docs/sweep-format.md).
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Sweep hardware configs over models; merge shards; plot Pareto fronts.",
        discussion: """
            `accsim sweep --hw BASE MODEL… --vary key=VALUES …` is short for `accsim sweep run …`.
            Result rows and the sweep file are documented in docs/sweep-format.md.
            """,
        subcommands: [SweepRunCommand.self, SweepMergeCommand.self, SweepParetoCommand.self, SweepPlotCommand.self],
        defaultSubcommand: SweepRunCommand.self
    )
}

extension SweepFormat: ExpressibleByArgument {}
