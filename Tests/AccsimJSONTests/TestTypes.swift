@testable import AccsimJSON

/// A requantizer-like struct with snake_case keys.
struct TestRequantizer: Codable, Equatable {
    var multipliers: [Int32]
    var shifts: [Int32]
    var rounding: TestRounding
    var zeroPoint: Int32
    var clampMin: Int32
    var clampMax: Int32

    enum CodingKeys: String, CodingKey {
        case multipliers, shifts, rounding
        case zeroPoint = "zero_point"
        case clampMin = "clamp_min"
        case clampMax = "clamp_max"
    }
}

enum TestRounding: String, Codable {
    case halfUp = "half_up"
    case tflite
}

/// A pair encoded as a two-element array, like accsim's Size2D.
struct TestPair: Codable, Equatable {
    var height: Int
    var width: Int

    init(height: Int, width: Int) {
        self.height = height
        self.width = width
    }

    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        height = try container.decode(Int.self)
        width = try container.decode(Int.self)
        if !container.isAtEnd {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected [height, width]")
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(height)
        try container.encode(width)
    }
}

struct TestAttributes: Codable, Equatable {
    var stride: TestPair
    var requantizer: TestRequantizer
    var note: String?
}

struct TestNode: Codable, Equatable {
    var name: String
    var attributes: TestAttributes
}

struct TestDocument: Codable, Equatable {
    var version: Int
    var nodes: [TestNode]
    var metadata: [String: String]?
}

let sampleRequantizer = TestRequantizer(
    multipliers: [1_518_500_250], shifts: [38], rounding: .tflite, zeroPoint: -128, clampMin: -128, clampMax: 127)

/// JSON text of a requantizer with `replacing` applied to its members.
func requantizerJSON(_ members: [(String, String)] = []) -> String {
    var fields: [(String, String)] = [
        ("multipliers", "[1518500250]"), ("shifts", "[38]"), ("rounding", "\"tflite\""),
        ("zero_point", "-128"), ("clamp_min", "-128"), ("clamp_max", "127"),
    ]
    for (key, value) in members {
        if let index = fields.firstIndex(where: { $0.0 == key }) {
            fields[index].1 = value
        } else {
            fields.append((key, value))
        }
    }
    return "{" + fields.filter { $0.1 != "-" }.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
}

/// A document with three nodes, the last one using `requantizer` as its requantizer JSON.
func documentJSON(requantizer: String = requantizerJSON(), stride: String = "[1, 1]") -> String {
    let good = #"{"name": "n", "attributes": {"stride": [1, 1], "requantizer": \#(requantizerJSON())}}"#
    let last = #"{"name": "conv", "attributes": {"stride": \#(stride), "requantizer": \#(requantizer)}}"#
    return #"{"version": 1, "nodes": [\#(good), \#(good), \#(good), \#(last)]}"#
}

/// The error decoding `text` as a `T` (records an issue when decoding succeeds).
func decodingError<T: Decodable>(_ type: T.Type, _ text: String) -> JSONError? {
    do {
        _ = try StrictJSONDecoder().decode(type, from: Array(text.utf8))
        return nil
    } catch {
        return error
    }
}
