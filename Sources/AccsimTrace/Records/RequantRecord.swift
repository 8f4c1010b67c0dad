/// One requantizer step: everything the unit does to one output element.
public struct RequantRecord: Sendable, Hashable {
    /// Global cycle: the step's requantizer phase start + element / lanes.
    public var cycle: Int
    /// The layer (node index).
    public var layer: Int
    /// GEMM row: the output pixel (row-major over OH, OW; 0 for a fully connected layer).
    public var row: Int
    /// Output channel.
    public var channel: Int
    /// The int32 accumulator before bias.
    public var accumulator: Int32
    /// The int32 bias, if the layer has one.
    public var bias: Int32?
    /// The requantizer's int32 input: accumulator + bias, with the array's overflow mode.
    public var input: Int32
    /// The channel's multiplier M and right shift n.
    public var multiplier: Int32
    /// The channel's right shift n.
    public var shift: Int32
    /// Output zero point.
    public var zeroPoint: Int32
    /// Rounded, scaled value plus the zero point, before saturation.
    public var beforeSaturation: Int64
    /// Whether the clamp changed the value.
    public var saturated: Bool
    /// The output element.
    public var output: Int32

    /// A value as given.
    public init(
        cycle: Int, layer: Int, row: Int, channel: Int, accumulator: Int32, bias: Int32?, input: Int32,
        multiplier: Int32, shift: Int32, zeroPoint: Int32, beforeSaturation: Int64, saturated: Bool, output: Int32
    ) {
        self.cycle = cycle
        self.layer = layer
        self.row = row
        self.channel = channel
        self.accumulator = accumulator
        self.bias = bias
        self.input = input
        self.multiplier = multiplier
        self.shift = shift
        self.zeroPoint = zeroPoint
        self.beforeSaturation = beforeSaturation
        self.saturated = saturated
        self.output = output
    }
}
