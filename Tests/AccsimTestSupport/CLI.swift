import Foundation

/// What a user sees from one run of the `accsim` executable.
public struct CLIResult: Sendable {
    /// The exit status.
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs the built `accsim` executable in a subprocess: exit codes, stdout and stderr as users see
/// them (the harness of the CLI tests).
public enum CLI {
    /// The repository root (the default working directory).
    public static var root: URL { Repository.root }

    /// The `accsim` executable next to the test bundle (`.build/<config>/accsim`).
    public static var executable: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("accsim")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return root.appendingPathComponent(".build/debug/accsim")
    }

    /// Runs `accsim arguments…` in the repository root (or `directory`), with `environment`
    /// added to this process's environment.
    public static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:])
        throws -> CLIResult
    {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.currentDirectoryURL = directory ?? root
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting so a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIResult(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary directory.
    public static func temporaryDirectory() throws -> URL {
        try Repository.temporaryDirectory(prefix: "cli")
    }
}
