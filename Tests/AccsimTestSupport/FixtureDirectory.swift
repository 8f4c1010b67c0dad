import AccsimArithmetic
import AccsimModel
import Foundation

/// A folder of committed fixtures described by a `manifest.json` (`{"fixtures": [{…}, …]}`),
/// as the fixture scripts write them (Scripts/make_*_fixtures.py).
public struct FixtureDirectory: Sendable {
    /// The folder's absolute path.
    public let path: String

    /// The folder `subdirectory` (holding `manifest.json`) among `bundle`'s resources; a missing
    /// manifest stops the tests with its name.
    public init(bundle: Bundle, subdirectory: String) {
        guard let url = bundle.url(forResource: "manifest", withExtension: "json", subdirectory: subdirectory) else {
            fatalError("\(subdirectory)/manifest.json is missing from the test bundle")
        }
        path = url.deletingLastPathComponent().path
    }

    /// The entries of the manifest's `fixtures` array.
    public func manifestEntries() -> [[String: Any]] {
        let manifest = path(of: "manifest.json")
        guard let data = FileManager.default.contents(atPath: manifest),
            let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let entries = root["fixtures"] as? [[String: Any]]
        else { fatalError("cannot read \(manifest)") }
        return entries
    }

    /// The absolute path of a fixture file.
    public func path(of file: String) -> String { path + "/" + file }

    /// The bytes of a fixture file.
    public func bytes(_ file: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(of: file))))
    }

    /// An integer `.npy` fixture as a tensor.
    public func tensor(_ file: String) throws -> IntTensor {
        let array = try NPYFile.read(path: path(of: file))
        guard let tensor = array.intTensor() else { throw ModelError(file: file, "not an integer array") }
        return tensor
    }
}
