import Testing

@testable import AccsimJSON

@Suite("JSON writer")
struct JSONWriterTests {
    private let attributes = TestAttributes(
        stride: TestPair(height: 2, width: 1), requantizer: sampleRequantizer, note: nil)

    @Test("pretty output: declaration order, two-space indent, scalar arrays inline, nil omitted")
    func pretty() throws {
        let text = try JSONWriter().encodeToString(attributes)
        #expect(
            text == """
                {
                  "stride": [2, 1],
                  "requantizer": {
                    "multipliers": [1518500250],
                    "shifts": [38],
                    "rounding": "tflite",
                    "zero_point": -128,
                    "clamp_min": -128,
                    "clamp_max": 127
                  }
                }
                """)
    }

    @Test("compact output has no whitespace")
    func compact() throws {
        var withNote = attributes
        withNote.note = "x"
        let text = try JSONWriter(style: .compact).encodeToString(withNote)
        #expect(
            text
                == #"{"stride":[2,1],"requantizer":{"multipliers":[1518500250],"shifts":[38],"rounding":"tflite","zero_point":-128,"clamp_min":-128,"clamp_max":127},"note":"x"}"#
        )
    }

    @Test("nested arrays, empty containers and null elements")
    func containers() throws {
        let value: JSONValue = ["a": [[1, 2], []], "b": [:], "c": [nil, 1], "d": [["x": 1]]]
        #expect(
            try JSONWriter().serialize(value)
                == Array(
                    """
                    {
                      "a": [
                        [1, 2],
                        []
                      ],
                      "b": {},
                      "c": [null, 1],
                      "d": [
                        {
                          "x": 1
                        }
                      ]
                    }
                    """.utf8))
        let optionals: [Int?] = [1, nil]
        #expect(try JSONWriter(style: .compact).encodeToString(optionals) == "[1,null]")
    }

    @Test("strings are escaped per RFC 8259")
    func escaping() throws {
        let text = try JSONWriter(style: .compact).encodeToString(["q\"b\\s/\u{8}\u{C}\n\r\t\u{1}\u{1F}é😀\u{7F}"])
        #expect(text == #"["q\"b\\s/\b\f\n\r\t\u0001\u001fé😀\#u{7F}"]"#)
    }

    @Test("doubles in the shortest round-tripping form")
    func doubleFormat() throws {
        let values: [Double] = [
            0.1, 1e-5, 1.0, 100.0, 1e16, -0.0, .leastNonzeroMagnitude, 0.30000000000000004, 1e-300,
            .greatestFiniteMagnitude, 2.5e-7,
        ]
        let text = try JSONWriter(style: .compact).encodeToString(values)
        #expect(
            text == "[0.1,1e-05,1.0,100.0,1e+16,-0.0,5e-324,0.30000000000000004,1e-300,1.7976931348623157e+308,2.5e-07]"
        )
        let floats: [Float] = [0.1, .greatestFiniteMagnitude, .leastNonzeroMagnitude]
        #expect(try JSONWriter(style: .compact).encodeToString(floats) == "[0.1,3.4028235e+38,1e-45]")
    }

    @Test(
        "doubles and Int64 extremes round-trip exactly",
        arguments: [
            0.1, 1e-300, .leastNonzeroMagnitude, 0.30000000000000004, Double.greatestFiniteMagnitude,
            -Double.greatestFiniteMagnitude,
            Double.leastNormalMagnitude, 1.0, -0.0, 123456.789, 1e22, 9007199254740993.0,
        ])
    func doubleRoundTrip(value: Double) throws {
        let bytes = try JSONWriter().encode([value])
        let parsed = try JSONParser().parse(bytes)
        #expect(parsed == .array([.double(value)]))
        let decoded = try StrictJSONDecoder().decode([Double].self, from: bytes)
        #expect(decoded[0].bitPattern == value.bitPattern)
    }

    @Test("integers round-trip exactly")
    func integerRoundTrip() throws {
        let values: [Int64] = [.min, .max, 0, -1, 1 << 53 + 1]
        let bytes = try JSONWriter(style: .compact).encode(values)
        #expect(
            String(decoding: bytes, as: UTF8.self) == "[-9223372036854775808,9223372036854775807,0,-1,9007199254740993]"
        )
        #expect(try StrictJSONDecoder().decode([Int64].self, from: bytes) == values)
        #expect(try JSONWriter().encodeToString(UInt64(Int64.max)) == "9223372036854775807")
    }

    @Test("unencodable values are errors naming their path")
    func unencodable() {
        struct Holder: Encodable {
            var scales: [Double]
            var big: UInt64
        }
        #expect(
            throws: JSONError(
                .unencodable, path: "scales[1]", "nan cannot be written in JSON (only finite numbers can)")
        ) {
            try JSONWriter().encode(Holder(scales: [1, .nan], big: 0))
        }
        #expect(
            throws: JSONError(
                .unencodable, path: "big",
                "18446744073709551615 exceeds the largest integer accsim's JSON holds (9223372036854775807)")
        ) {
            try JSONWriter().encode(Holder(scales: [], big: .max))
        }
        #expect(
            throws: JSONError(.unencodable, path: "a[0]", "inf cannot be written in JSON (only finite numbers can)")
        ) {
            try JSONWriter().serialize(["a": [.double(.infinity)]])
        }
    }

    @Test("the same value always gives the same bytes, and reads back equal")
    func determinism() throws {
        let document = try StrictJSONDecoder().decode(TestDocument.self, from: Array(documentJSON().utf8))
        let first = try JSONWriter().encode(document)
        let second = try JSONWriter().encode(document)
        #expect(first == second)
        #expect(try StrictJSONDecoder().decode(TestDocument.self, from: first) == document)
        let compact = try JSONWriter(style: .compact).encode(document)
        #expect(try JSONParser().parse(compact) == JSONParser().parse(first))
    }

    @Test("JSONValue encodes as itself, keeping key order and number kinds")
    func valueRoundTrip() throws {
        let text = #"{"z":1,"a":[1.0,2,"s",null,false,{"k":{}}],"m":-0.5}"#
        let value = try JSONParser().parse(text)
        #expect(try JSONWriter(style: .compact).encodeToString(value) == text)
        #expect(try JSONWriter().value(of: value) == value)
        struct Wrapper: Codable, Equatable { var payload: JSONValue }
        let wrapped = try StrictJSONDecoder().decode(Wrapper.self, from: JSONWriter().encode(Wrapper(payload: value)))
        #expect(wrapped.payload == value)
    }
}
