// accsim-fuzz-replay TARGET FILE…: runs fuzz inputs (corpus entries, crash reproducers) through a
// reader in a normal build, so a crash found by libFuzzer replays under a debugger. Prints each
// file's outcome; exits 0 when every file was read or rejected with an error.
import AccsimFuzzTargets
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first, let target = FuzzTarget(rawValue: name), arguments.count > 1 else {
    let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
    FileHandle.standardError.write(Data("usage: accsim-fuzz-replay TARGET FILE… (targets: \(names))\n".utf8))
    exit(2)
}
for path in arguments.dropFirst() {
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("\(path): cannot read the file\n".utf8))
        exit(2)
    }
    do {
        try target.run([UInt8](data))
        print("\(path): read")
    } catch {
        print("\(path): rejected: \(error)")
    }
}
