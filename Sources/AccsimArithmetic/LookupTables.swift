import Foundation

/// A function TFLite evaluates through a 256-entry table on int8/uint8 tensors.
public enum TableFunction: String, Sendable, Hashable, CaseIterable {
    /// LOGISTIC: `1 / (1 + expf(−x))`. TFLite fixes the output quantization to scale 1/256 with
    /// zero point −128 (int8) or 0 (uint8).
    case logistic
    /// TANH: `tanhf(x)`. TFLite fixes the output quantization to scale 1/128 with zero point 0
    /// (int8) or 128 (uint8).
    case tanh

    /// The function in single precision, as TFLite evaluates it (C library `expf` / `tanhf`).
    public func callAsFunction(_ x: Float) -> Float {
        switch self {
        case .logistic: 1 / (1 + Foundation.expf(-x))
        case .tanh: Foundation.tanhf(x)
        }
    }

    /// The output quantization TFLite imposes for `type` (int8 or uint8).
    public func outputQuantization(for type: ElementType) -> (scale: Float, zeroPoint: Int32) {
        switch (self, type) {
        case (.logistic, .uint8): (1.0 / 256, 0)
        case (.logistic, _): (1.0 / 256, -128)
        case (.tanh, .uint8): (1.0 / 128, 128)
        case (.tanh, _): (1.0 / 128, 0)
        }
    }
}

extension LookupTableParameters {
    /// Builds the table TFLite builds at load time for LOGISTIC or TANH (its `LUTPopulate`), all
    /// in single precision:
    /// for every stored input `v` of `type` (ascending, so entry `i` is `v = type.min + i`):
    /// `x = inputScale · Float(v − inputZeroPoint)`, `f = function(x)`,
    /// `entry = clamp(Int32(round_half_away(f · (1 / outputScale)) + Float(outputZeroPoint)),
    /// type.min, type.max)`.
    ///
    /// Near rounding ties the last bit of the C library's `expf`/`tanhf` decides an entry, so a
    /// model should carry its tables rather than have them rebuilt on another platform.
    /// - Parameters:
    ///   - type: the element type of both input and output, `.int8` or `.uint8`.
    ///   - outputScale, outputZeroPoint: default to TFLite's fixed output quantization.
    public static func lookupTable(
        _ function: TableFunction, inputScale: Float, inputZeroPoint: Int32,
        outputScale: Float? = nil, outputZeroPoint: Int32? = nil, type: ElementType = .int8
    ) -> LookupTableParameters {
        precondition(
            type == .int8 || type == .uint8, "lookupTable: tables are built for int8 or uint8, not \(type.rawValue)")
        let fixed = function.outputQuantization(for: type)
        let inverseScale: Float = 1 / (outputScale ?? fixed.scale)
        let zeroPoint = Float(outputZeroPoint ?? fixed.zeroPoint)
        var table: [Int32] = []
        table.reserveCapacity(256)
        for v in type.minValue...type.maxValue {
            let x = inputScale * Float(v - inputZeroPoint)
            let rescaled = (function(x) * inverseScale).rounded(.toNearestOrAwayFromZero)
            let quantized = Int32(rescaled + zeroPoint)
            table.append(min(max(quantized, type.minValue), type.maxValue))
        }
        return LookupTableParameters(table: table)
    }
}
