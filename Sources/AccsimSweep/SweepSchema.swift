/// The versions of the sweep formats (docs/sweep-format.md).
public enum SweepSchema {
    /// Version of the result rows (`schema_version`); it increases whenever a key changes meaning
    /// or disappears (adding keys does not change it).
    public static let version = 1
    /// Version of the sweep file format (`version` in a sweep file).
    public static let sweepFileVersion = 1
}
