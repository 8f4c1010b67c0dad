import AccsimHardware

/// A graph mapped onto the hardware: where every tensor lives in DRAM and, per layer in node
/// order, the DMA transfers and compute steps. A data-free value: the scheduled execution walks it to
/// compute data, timing and traffic.
public struct Schedule: Sendable, Hashable {
    /// The graph's name.
    public var graphName: String
    /// The hardware the schedule was made for.
    public var hardware: HardwareConfig
    /// Tensor placement in DRAM.
    public var memory: DRAMMemoryMap
    /// One entry per graph node, in node order.
    public var layers: [LayerSchedule]

    /// A schedule as given.
    public init(graphName: String, hardware: HardwareConfig, memory: DRAMMemoryMap, layers: [LayerSchedule]) {
        self.graphName = graphName
        self.hardware = hardware
        self.memory = memory
        self.layers = layers
    }

    /// The layer of the node named `name`.
    public func layer(named name: String) -> LayerSchedule? {
        layers.first { $0.name == name }
    }
}
