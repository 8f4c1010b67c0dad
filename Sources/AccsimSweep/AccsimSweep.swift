/// Design-space sweeps over hardware configs (docs/sweep-format.md).
///
/// A sweep is a ``SweepSpace`` — models × the cartesian product of ``SweepDimension``s, each one or
/// more config keys varied together — expanded in a fixed *grid order*, optionally cut into
/// ``SweepShard``s. ``SweepRunner`` evaluates the points on several threads and hands back
/// ``SweepRow``s in grid order; outputs are computed once per ``SweepDataKey`` (the settings that
/// can change them) and every other point is timed only. ``SweepResultsFile`` writes rows
/// atomically and resumes into an existing file; ``SweepMerge`` combines shard outputs;
/// ``ParetoFront`` and ``ParetoPlot`` find and draw the non-dominated points.
public enum SweepSchema {
    /// Version of the result rows (`schema_version`); it increases whenever a key changes meaning
    /// or disappears (adding keys does not change it).
    public static let version = 1
    /// Version of the sweep file format (`version` in a sweep file).
    public static let sweepFileVersion = 1
}
