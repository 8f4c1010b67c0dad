/// An error in a hardware config, naming the file and the key path (e.g. `sram.input.kib`).
public struct HardwareConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String?
    public var keyPath: String?
    public var message: String

    public init(file: String? = nil, keyPath: String? = nil, _ message: String) {
        self.file = file
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String {
        var context: [String] = []
        if let file { context.append(file) }
        if let keyPath { context.append("key '\(keyPath)'") }
        return context.isEmpty ? message : context.joined(separator: ": ") + ": " + message
    }
}
