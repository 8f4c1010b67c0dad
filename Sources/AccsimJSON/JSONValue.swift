/// A JSON value that keeps what Foundation's JSONSerialization blurs: integers (`int`) and
/// floating-point numbers (`double`) are distinct, booleans are not numbers, and object keys keep
/// their order.
///
/// The parser produces `.int` for every number written without fraction or exponent that fits
/// `Int64`, and `.double` for every other number.
public indirect enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number written without fraction or exponent that fits `Int64`.
    case int(Int64)
    /// Any other number (always finite when parsed).
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object with ordered, unique keys.
    case object(JSONObject)
}
