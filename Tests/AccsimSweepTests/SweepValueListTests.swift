import AccsimJSON
import AccsimSweep
import Testing

@Suite("Sweep values: lists and ranges")
struct SweepValueListTests {
    @Test func listsAndRanges() throws {
        #expect(try SweepValueList.parse("8,16,32", argument: "a") == [.int(8), .int(16), .int(32)])
        #expect(try SweepValueList.parse("64:512:*2", argument: "a") == [64, 128, 256, 512].map { .int($0) })
        #expect(try SweepValueList.parse("64:500:*2", argument: "a") == [64, 128, 256].map { .int($0) })
        #expect(try SweepValueList.parse("1:9:+4", argument: "a") == [1, 5, 9].map { .int($0) })
        #expect(try SweepValueList.parse("3:5", argument: "a") == [3, 4, 5].map { .int($0) })
        #expect(try SweepValueList.parse("0.5:1.5:+0.5", argument: "a") == [.double(0.5), .double(1.0), .double(1.5)])
        #expect(try SweepValueList.parse("4, 8:16:*2, 100", argument: "a") == [4, 8, 16, 100].map { .int($0) })
    }

    @Test func jsonAndStringValues() throws {
        #expect(try SweepValueList.parse("wrap,saturate", argument: "a") == [.string("wrap"), .string("saturate")])
        #expect(
            try SweepValueList.parse(#"["half_up","tflite"],["floor"]"#, argument: "a")
                == [.array([.string("half_up"), .string("tflite")]), .array([.string("floor")])])
        #expect(try SweepValueList.parse("true,false", argument: "a") == [.bool(true), .bool(false)])
        #expect(try SweepValueList.parse(#""a:b""#, argument: "a") == [.string("a:b")])
    }

    @Test(arguments: [
        "8:4", "1:9:-1", "1:9:+0", "0:64:*2", "8:64:*1", "a:9", "1:2:3:4", "1:9:^2", "8,,16", "", "[1,2", #""open"#,
    ])
    func malformedValuesNameTheArgument(_ text: String) {
        #expect {
            try SweepValueList.parse(text, argument: "--vary 'x=\(text)'")
        } throws: { error in
            guard let error = error as? SweepError else { return false }
            return error.kind == .usage && error.message.hasPrefix("--vary 'x=\(text)'")
        }
    }

    @Test func dimensionsRejectRepeatsAndMismatchedZips() throws {
        #expect(throws: SweepError.self) { try SweepDimension.parseVary("array.rows=8,16,8") }
        #expect(throws: SweepError.self) { try SweepDimension.parseVary("array.rows=8,8.0") }
        #expect(throws: SweepError.self) { try SweepDimension.parseVary("array.rows") }
        #expect(throws: SweepError.self) { try SweepDimension.parseVary("array..rows=8") }
        #expect(throws: SweepError.self) { try SweepDimension.parseZip("array.rows=8,16 array.cols=8") }
        let zipped = try SweepDimension.parseZip("array.rows=8,16 ; array.cols=16:32:*2")
        #expect(zipped.keys == ["array.rows", "array.cols"])
        #expect(zipped.values == [[.int(8), .int(16)], [.int(16), .int(32)]])
    }
}
