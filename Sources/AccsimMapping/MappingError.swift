/// Why a graph cannot be mapped onto the hardware, with the layer and (when a buffer is too
/// small) the buffer it concerns. Rendered once by the CLI as `layer 'NAME': MESSAGE`.
public struct MappingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The node the problem concerns.
    public var layer: String
    /// The config key of the buffer that is too small (`sram.weight`, …), if that is the problem.
    public var buffer: String?
    /// What is wrong.
    public var message: String

    /// An error about `layer`.
    public init(layer: String, buffer: String? = nil, _ message: String) {
        self.layer = layer
        self.buffer = buffer
        self.message = message
    }

    /// `layer 'NAME': MESSAGE`.
    public var description: String { "layer '\(layer)': \(message)" }
}
