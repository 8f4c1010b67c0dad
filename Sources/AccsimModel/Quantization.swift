/// Affine quantization of a tensor: real value = `scale · (q − zeroPoint)`. One entry for per-tensor
/// quantization, or one per slice along `axis` for per-channel quantization.
public struct Quantization: Sendable, Hashable, Codable {
    public var scales: [Double]
    public var zeroPoints: [Int32]
    /// The axis the per-channel parameters run along (nil for per tensor).
    public var axis: Int?

    enum CodingKeys: String, CodingKey {
        case scales
        case zeroPoints = "zero_points"
        case axis
    }

    public init(scales: [Double], zeroPoints: [Int32], axis: Int? = nil) {
        self.scales = scales
        self.zeroPoints = zeroPoints
        self.axis = axis
    }

    /// Per-tensor quantization.
    public init(scale: Double, zeroPoint: Int32) {
        self.init(scales: [scale], zeroPoints: [zeroPoint], axis: nil)
    }

    /// The zero point of channel `channel` (the single one for per tensor).
    public func zeroPoint(channel: Int) -> Int32 {
        zeroPoints.count == 1 ? zeroPoints[0] : zeroPoints[channel]
    }

    /// The scale of channel `channel` (the single one for per tensor).
    public func scale(channel: Int) -> Double {
        scales.count == 1 ? scales[0] : scales[channel]
    }
}
