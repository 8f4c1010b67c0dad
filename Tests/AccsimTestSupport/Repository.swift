import Foundation

/// The repository checkout the tests run in, found once from this file's path
/// (`Tests/AccsimTestSupport/Repository.swift`), so tests read bundled models, configs and
/// fixtures where users find them.
public enum Repository {
    /// The repository root.
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The absolute path of `relative` (e.g. `Models/digits.q`).
    public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// A fresh, empty temporary directory named `accsim-<prefix>-<uuid>`; the caller removes it.
    public static func temporaryDirectory(prefix: String = "test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("accsim-\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
