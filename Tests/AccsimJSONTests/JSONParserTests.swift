import Testing

@testable import AccsimJSON

/// Parses `text`, expecting success.
private func parse(_ text: String) throws -> JSONValue {
    try JSONParser().parse(text)
}

/// The syntax error for `bytes` (fails the test when parsing succeeds).
private func syntaxError(_ bytes: [UInt8], maxDepth: Int = JSONParser.defaultMaxDepth) -> JSONError? {
    do {
        _ = try JSONParser(maxDepth: maxDepth).parse(bytes)
        Issue.record("expected a syntax error for \(String(decoding: bytes, as: UTF8.self))")
        return nil
    } catch {
        #expect(error.kind == .syntax)
        #expect(error.location != nil)
        return error
    }
}

private func syntaxError(_ text: String) -> JSONError? {
    syntaxError(Array(text.utf8))
}

@Suite("JSON parser")
struct JSONParserTests {
    @Test("integers without fraction or exponent that fit Int64 are .int")
    func integers() throws {
        #expect(try parse("0") == .int(0))
        #expect(try parse("-0") == .int(0))
        #expect(try parse("42") == .int(42))
        #expect(try parse("-17") == .int(-17))
        #expect(try parse("9223372036854775807") == .int(.max))
        #expect(try parse("-9223372036854775808") == .int(.min))
    }

    @Test("integers outside Int64 and numbers with fraction or exponent are .double")
    func doubles() throws {
        #expect(try parse("9223372036854775808") == .double(9223372036854775808.0))
        #expect(try parse("-9223372036854775809") == .double(-9223372036854775809.0))
        #expect(try parse("1.0") == .double(1.0))
        #expect(try parse("1e2") == .double(100))
        #expect(try parse("1E+2") == .double(100))
        #expect(try parse("0.1") == .double(0.1))
        #expect(try parse("-2.5e-3") == .double(-0.0025))
        #expect(try parse("5e-324") == .double(Double.leastNonzeroMagnitude))
        #expect(try parse("1.7976931348623157e308") == .double(Double.greatestFiniteMagnitude))
        #expect(try parse("0.30000000000000004") == .double(0.1 + 0.2))
        #expect(try parse("1e-400") == .double(0))
        let negativeZero = try parse("-0.0")
        #expect(negativeZero.doubleValue?.sign == .minus)
    }

    @Test(
        "malformed numbers are syntax errors",
        arguments: [
            "01", "-", "-a", "1.", ".5", "+1", "1e", "1e+", "1.e5", "0x10", "Infinity", "NaN", "-Infinity", "1 2",
            "--1", "00",
        ])
    func malformedNumbers(text: String) {
        _ = syntaxError(text)
    }

    @Test("a number beyond the range of a double is an error")
    func hugeNumber() {
        let error = syntaxError("[1e400]")
        #expect(error?.message == "number 1e400 is outside the range of a double")
        #expect(error?.location?.offset == 1)
    }

    @Test("string escapes, including surrogate pairs")
    func escapes() throws {
        #expect(try parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{8}\u{C}\n\r\t"))
        #expect(try parse(#""\u00e9\u00E9""#) == .string("éé"))
        #expect(try parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try parse(#""\u0000""#) == .string("\u{0}"))
        #expect(try parse("\"raw é 😀\"") == .string("raw é 😀"))
        #expect(try parse(#""""#) == .string(""))
    }

    @Test(
        "broken strings are syntax errors",
        arguments: [
            #""\ud83d""#, #""\ud83dx""#, #""\ude00""#, #""\ud83d\u0041""#, #""\u12""#, #""\u12G4""#, #""\x""#,
            "\"tab\there\"", "\"line\nbreak\"", #""unterminated"#, #""\"#,
        ])
    func brokenStrings(text: String) {
        _ = syntaxError(text)
    }

    @Test("invalid UTF-8 in a string is an error")
    func invalidUTF8() {
        let error = syntaxError([0x22, 0x61, 0xFF, 0x22])
        #expect(error?.message == "a string is not valid UTF-8")
        _ = syntaxError([0x22, 0xED, 0xA0, 0x80, 0x22])  // an encoded surrogate
        _ = syntaxError([0x22, 0xC3, 0x22])  // a truncated sequence
    }

    @Test("literals and structure")
    func structure() throws {
        #expect(try parse(" \t\r\n true \n") == .bool(true))
        #expect(try parse("false") == .bool(false))
        #expect(try parse("null") == .null)
        #expect(try parse("[]") == .array([]))
        #expect(try parse("{}") == .object(JSONObject()))
        #expect(try parse(#"[1, [2, {"a": null}], "x"]"#) == [1, [2, ["a": nil]], "x"])
        let object = try parse(#"{"b": 1, "a": 2, "c": {"z": true, "y": false}}"#)
        #expect(object.objectValue?.keys == ["b", "a", "c"])
        #expect(object["c"]?.objectValue?.keys == ["z", "y"])
    }

    @Test(
        "structural errors",
        arguments: [
            "", " ", "tru", "nul", "[1,]", "[1 2]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "{\"a\":}", "[", "{", "]", "}",
            "[1]]", "{\"a\":1}x", "\u{FEFF}{}", "'a'", "[1,,2]", "{,}", "{\"a\":1 \"b\":2}",
        ])
    func structuralErrors(text: String) {
        _ = syntaxError(text)
    }

    @Test("a duplicate key is an error located at the second occurrence")
    func duplicateKey() {
        let error = syntaxError("{\"a\": 1,\n \"a\": 2}")
        #expect(error?.message == "duplicate key \"a\" in an object")
        #expect(error?.location == JSONError.Location(offset: 10, line: 2, column: 2))
    }

    @Test("errors report line, column in scalars and byte offset")
    func location() {
        let error = syntaxError("{\n  \"é\": [1,\n  2 x]}")
        #expect(error?.location == JSONError.Location(offset: 18, line: 3, column: 5))
        #expect(
            error?.description
                == "line 3, column 5 (byte 18): expected ',' or ']' after an array element, found character 'x'")
    }

    @Test("nesting is limited")
    func depth() throws {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        _ = try parse(ok)
        let tooDeep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(syntaxError(tooDeep)?.message == "arrays and objects are nested deeper than 512 levels")
        // Far beyond the limit, and unterminated: an error, not a stack overflow.
        _ = syntaxError(String(repeating: "[{\"a\":", count: 100_000))
        _ = syntaxError(Array(repeating: UInt8(ascii: "["), count: 1_000_000))
        _ = syntaxError(Array("[[1]]".utf8), maxDepth: 1)
    }

    @Test("every truncation of a valid document is an error")
    func truncation() {
        let document = Array(
            #"{"name": "conv\u00e9", "shape": [1, 8, 8, 1], "scale": 0.0627, "q": {"zp": -128, "ok": true, "x": null}}"#
                .utf8)
        #expect((try? JSONParser().parse(document)) != nil)
        for length in 0..<document.count {
            let prefix = Array(document[0..<length])
            // A prefix ending inside the number of a top-level value could be valid; none is here.
            _ = syntaxError(prefix)
        }
    }

    @Test("random bytes never crash the parser")
    func fuzz() {
        var state: UInt64 = 0x1234_5678
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        let alphabet =
            Array(#"{}[],:"\ u0123456789abcdefE.+-truefalsenull"#.utf8) + [0x00, 0x0A, 0xC3, 0xA9, 0xFF, 0xED]
        for _ in 0..<3000 {
            let length = Int(next() % 40)
            let bytes = (0..<length).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }
            do {
                _ = try JSONParser().parse(bytes)
            } catch {
                #expect(error.kind == .syntax)
                #expect((error.location?.offset ?? -1) <= bytes.count)
            }
        }
    }
}
