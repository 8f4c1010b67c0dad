import Foundation
import Testing

@testable import AccsimJSON

@Suite("Strict JSON decoder")
struct StrictJSONDecoderTests {
    @Test("decodes nested structs, arrays and optionals")
    func decodesDocument() throws {
        let document = try StrictJSONDecoder().decode(TestDocument.self, from: Array(documentJSON().utf8))
        #expect(document.version == 1)
        #expect(document.nodes.count == 4)
        #expect(document.nodes[3].name == "conv")
        #expect(document.nodes[3].attributes.requantizer == sampleRequantizer)
        #expect(document.nodes[3].attributes.stride == TestPair(height: 1, width: 1))
        #expect(document.nodes[3].attributes.note == nil)
        #expect(document.metadata == nil)
    }

    @Test("an unknown key is an error naming its full path, the expected keys and the likely fix")
    func unknownKey() {
        // The misspelt key replaces a required one: the type stops at the missing key, and the
        // unknown key is reported instead, with the keys asked for so far.
        let error = decodingError(
            TestDocument.self, documentJSON(requantizer: requantizerJSON([("zero_point", "-"), ("zero_pint", "-128")])))
        #expect(error?.kind == .unknownKey)
        #expect(error?.path == "nodes[3].attributes.requantizer.zero_pint")
        #expect(
            error?.message
                == "unknown key 'zero_pint' (expected keys include: multipliers, shifts, rounding, zero_point; did you mean 'zero_point'?)"
        )
    }

    @Test("an extra key next to all required ones is an error too")
    func extraKey() {
        let error = decodingError(TestDocument.self, documentJSON(requantizer: requantizerJSON([("comment", "\"x\"")])))
        #expect(error?.kind == .unknownKey)
        #expect(error?.path == "nodes[3].attributes.requantizer.comment")
        #expect(
            error?.message
                == "unknown key 'comment' (expected one of: multipliers, shifts, rounding, zero_point, clamp_min, clamp_max)"
        )
        let top = decodingError(TestDocument.self, #"{"version": 1, "nodes": [], "Version": 2}"#)
        #expect(top?.path == "Version")
        #expect(top?.message == "unknown key 'Version' (expected one of: version, nodes, metadata)")
    }

    @Test("an unknown key beside an optional one is found after a successful decode")
    func unknownKeyBesideOptional() {
        let error = decodingError(
            TestAttributes.self, #"{"stride": [1, 2], "requantizer": \#(requantizerJSON()), "nte": "x"}"#)
        #expect(error?.path == "nte")
        #expect(
            error?.message == "unknown key 'nte' (expected one of: stride, requantizer, note; did you mean 'note'?)")
    }

    @Test("a missing key is an error naming its path")
    func missingKey() {
        let error = decodingError(TestDocument.self, documentJSON(requantizer: requantizerJSON([("clamp_max", "-")])))
        #expect(error?.kind == .missingKey)
        #expect(error?.path == "nodes[3].attributes.requantizer.clamp_max")
        #expect(error?.message == "missing required key 'clamp_max'")
        #expect(error?.description == "nodes[3].attributes.requantizer.clamp_max: missing required key 'clamp_max'")
    }

    @Test("type mismatches name the path and what was found")
    func typeMismatch() {
        let string = decodingError(
            TestDocument.self, documentJSON(requantizer: requantizerJSON([("zero_point", "\"-128\"")])))
        #expect(string?.kind == .typeMismatch)
        #expect(string?.path == "nodes[3].attributes.requantizer.zero_point")
        #expect(string?.message == "expected an integer (Int32), found the string \"-128\"")
        let element = decodingError(
            TestDocument.self, documentJSON(requantizer: requantizerJSON([("shifts", "[38, true]")])))
        #expect(element?.path == "nodes[3].attributes.requantizer.shifts[1]")
        #expect(element?.message == "expected an integer (Int32), found true")
        let object = decodingError(TestDocument.self, #"{"version": 1, "nodes": {}}"#)
        #expect(object?.path == "nodes")
        #expect(object?.message == "expected an array, found an object")
        let root = decodingError(TestDocument.self, "[]")
        #expect(root?.path == "")
        #expect(root?.message == "expected an object, found an array of 0 elements")
    }

    @Test("integers must be integer literals within range")
    func integerRules() {
        let fraction = decodingError(
            TestDocument.self, documentJSON(requantizer: requantizerJSON([("clamp_max", "127.5")])))
        #expect(fraction?.kind == .invalidValue)
        #expect(fraction?.message == "expected an integer (Int32), found 127.5")
        let integral = decodingError(
            TestDocument.self, documentJSON(requantizer: requantizerJSON([("clamp_max", "127.0")])))
        #expect(
            integral?.message
                == "expected an integer (Int32), found 127.0: integers are written without fraction or exponent")
        let exponent = decodingError(Int.self, "1e3")
        #expect(
            exponent?.message
                == "expected an integer (Int), found 1000.0: integers are written without fraction or exponent")
        let range = decodingError(
            TestDocument.self, documentJSON(requantizer: requantizerJSON([("multipliers", "[2147483648]")])))
        #expect(range?.path == "nodes[3].attributes.requantizer.multipliers[0]")
        #expect(range?.message == "2147483648 is out of range for Int32 (-2147483648...2147483647)")
        #expect(decodingError(UInt8.self, "256")?.message == "256 is out of range for UInt8 (0...255)")
        #expect(decodingError(UInt64.self, "-1")?.message == "-1 is out of range for UInt64 (0...18446744073709551615)")
        #expect(
            decodingError(Int64.self, "9223372036854775808")?.message
                == "9.223372036854776e+18 is out of range for Int64 (-9223372036854775808...9223372036854775807)")
    }

    @Test("every integer width, Float, Double, Bool and String decode")
    func scalars() throws {
        let decoder = StrictJSONDecoder()
        #expect(try decoder.decode(Int8.self, from: Array("-128".utf8)) == -128)
        #expect(try decoder.decode(Int16.self, from: Array("32767".utf8)) == 32767)
        #expect(try decoder.decode(Int32.self, from: Array("-2147483648".utf8)) == .min)
        #expect(try decoder.decode(Int64.self, from: Array("9223372036854775807".utf8)) == .max)
        #expect(try decoder.decode(Int.self, from: Array("-9223372036854775808".utf8)) == .min)
        #expect(try decoder.decode(UInt.self, from: Array("7".utf8)) == 7)
        #expect(try decoder.decode(UInt8.self, from: Array("255".utf8)) == 255)
        #expect(try decoder.decode(UInt16.self, from: Array("65535".utf8)) == 65535)
        #expect(try decoder.decode(UInt32.self, from: Array("4294967295".utf8)) == .max)
        #expect(try decoder.decode(UInt64.self, from: Array("9223372036854775807".utf8)) == 9_223_372_036_854_775_807)
        #expect(try decoder.decode(Double.self, from: Array("3".utf8)) == 3.0)
        #expect(try decoder.decode(Double.self, from: Array("0.1".utf8)) == 0.1)
        #expect(try decoder.decode(Float.self, from: Array("0.1".utf8)) == Float(0.1))
        #expect(decodingError(Float.self, "1e39")?.message == "1e+39 is out of range for Float")
        #expect(try decoder.decode(Bool.self, from: Array("true".utf8)))
        #expect(decodingError(Bool.self, "1")?.message == "expected true or false, found 1")
        #expect(try decoder.decode(String.self, from: Array(#""é""#.utf8)) == "é")
        #expect(decodingError(String.self, "null")?.message == "expected a string, found null")
        #expect(decodingError(Double.self, #""1.5""#)?.message == "expected a number, found the string \"1.5\"")
    }

    @Test("optionals: absent and null are nil")
    func optionals() throws {
        struct Holder: Codable, Equatable {
            var a: Int?
            var b: [Int?]
        }
        let decoder = StrictJSONDecoder()
        #expect(
            try decoder.decode(Holder.self, from: Array(#"{"b": [1, null, 3]}"#.utf8))
                == Holder(a: nil, b: [1, nil, 3]))
        #expect(try decoder.decode(Holder.self, from: Array(#"{"a": null, "b": []}"#.utf8)) == Holder(a: nil, b: []))
        #expect(try decoder.decode(Holder.self, from: Array(#"{"a": 4, "b": []}"#.utf8)) == Holder(a: 4, b: []))
        #expect(try decoder.decode(Int?.self, from: Array("null".utf8)) == nil)
        #expect(decodingError(Holder.self, #"{"a": 1.5, "b": []}"#)?.path == "a")
    }

    @Test("arrays that are too short or too long name their path")
    func arrayLengths() {
        let short = decodingError(TestDocument.self, documentJSON(stride: "[1]"))
        #expect(short?.kind == .invalidValue)
        #expect(short?.path == "nodes[3].attributes.stride")
        #expect(short?.message == "the array has 1 element; more are expected")
        let long = decodingError(TestDocument.self, documentJSON(stride: "[1, 2, 3]"))
        #expect(long?.path == "nodes[3].attributes.stride[2]")
        #expect(long?.message == "expected [height, width]")
    }

    @Test("errors thrown by the decoded types carry their path")
    func typeErrors() {
        let error = decodingError(
            TestDocument.self, documentJSON(requantizer: requantizerJSON([("rounding", "\"half_upp\"")])))
        #expect(error?.kind == .invalidValue)
        #expect(error?.path == "nodes[3].attributes.requantizer.rounding")
        #expect(error?.message.contains("half_upp") == true)

        struct Custom: Decodable {
            struct Failure: Error, CustomStringConvertible {
                var description: String { "custom failure" }
            }
            init(from decoder: any Decoder) throws { throw Failure() }
        }
        struct Outer: Decodable { var inner: [Custom] }
        let custom = decodingError(Outer.self, #"{"inner": [1]}"#)
        #expect(custom?.path == "inner[0]")
        #expect(custom?.message == "custom failure")
    }

    @Test("dictionaries accept any key and keep values strict")
    func dictionaries() throws {
        let document = try StrictJSONDecoder().decode(
            TestDocument.self,
            from: Array(#"{"version": 2, "nodes": [], "metadata": {"producer": "me", "odd key": "v"}}"#.utf8))
        #expect(document.metadata == ["producer": "me", "odd key": "v"])
        let error = decodingError(TestDocument.self, #"{"version": 2, "nodes": [], "metadata": {"odd key": 1}}"#)
        #expect(error?.path == #"metadata["odd key"]"#)
        let map = try StrictJSONDecoder().decode([String: [Int]].self, from: Array(#"{"a": [1], "b": []}"#.utf8))
        #expect(map == ["a": [1], "b": []])
    }

    @Test("nested containers and super decoders are checked for unknown keys as well")
    func nestedContainers() throws {
        struct Manual: Decodable, Equatable {
            var x: Int
            var y: [Int]
            var base: Int
            enum Keys: String, CodingKey { case inner, list, base }
            enum InnerKeys: String, CodingKey { case x }
            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: Keys.self)
                let inner = try container.nestedContainer(keyedBy: InnerKeys.self, forKey: .inner)
                x = try inner.decode(Int.self, forKey: .x)
                var list = try container.nestedUnkeyedContainer(forKey: .list)
                var values: [Int] = []
                while !list.isAtEnd { values.append(try list.decode(Int.self)) }
                y = values
                let superDecoder = try container.superDecoder(forKey: .base)
                base = try superDecoder.singleValueContainer().decode(Int.self)
            }
        }
        let decoder = StrictJSONDecoder()
        let value = try decoder.decode(
            Manual.self, from: Array(#"{"inner": {"x": 1}, "list": [2, 3], "base": 4}"#.utf8))
        #expect(value.x == 1 && value.y == [2, 3] && value.base == 4)
        let error = decodingError(Manual.self, #"{"inner": {"x": 1, "z": 0}, "list": [], "base": 4}"#)
        #expect(error?.path == "inner.z")
        #expect(error?.message == "unknown key 'z' (expected one of: x)")
    }

    @Test("decodes from Data and from a parsed JSONValue, and decodes JSONValue itself exactly")
    func otherInputs() throws {
        let data = Data(#"{"a": [1, 2.0, "x", null, true]}"#.utf8)
        let value = try StrictJSONDecoder().decode(JSONValue.self, from: data)
        #expect(value == ["a": [1, 2.0, "x", nil, true]])
        let pair = try StrictJSONDecoder().decode(TestPair.self, from: [3, 4] as JSONValue)
        #expect(pair == TestPair(height: 3, width: 4))
    }

    @Test("malformed input is a syntax error with its location")
    func syntax() {
        let error = decodingError(TestDocument.self, #"{"version": 1,, "nodes": []}"#)
        #expect(error?.kind == .syntax)
        #expect(error?.location?.offset == 14)
    }
}
