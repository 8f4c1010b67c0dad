import AccsimModel
import Testing

@testable import AccsimImport

/// The protobuf wire-format reader: every wire type, packed and unpacked repeated fields, and a
/// precise error naming the field path for every kind of damage.
@Suite("ONNX protobuf reader")
struct ONNXProtobufReaderTests {
    private func reader(_ bytes: [UInt8], path: String = "m") -> ProtobufReader {
        ProtobufReader(bytes: bytes, range: 0..<bytes.count, path: path, file: nil)
    }

    /// The error `body` throws, or nil.
    static func error(_ body: () throws(ModelError) -> Void) -> ModelError? {
        do {
            try body()
            return nil
        } catch {
            return error
        }
    }

    @Test("reads the four wire types")
    func wireTypes() throws {
        var e = ONNXProtobufEncoding()
        e.int(1, 300)
        e.int(2, -5)
        e.float(3, 1.5)
        e.key(4, 1)
        e.bytes += [1, 0, 0, 0, 0, 0, 0, 0]
        e.string(5, "héllo")
        var r = reader(e.bytes)
        let a = try #require(try r.next())
        #expect(a.number == 1)
        #expect(try r.int64(a, "a") == 300)
        let b = try #require(try r.next())
        #expect(try r.int64(b, "b") == -5)
        #expect(try r.int32(b, "b") == -5)
        let c = try #require(try r.next())
        #expect(try r.float(c, "c") == 1.5)
        let d = try #require(try r.next())
        guard case .fixed64(let value) = d.value else {
            Issue.record("not 64-bit")
            return
        }
        #expect(value == 1)
        let s = try #require(try r.next())
        #expect(try r.string(s, "s") == "héllo")
        #expect(try r.next() == nil)
    }

    @Test("packed and unpacked repeated fields give the same values")
    func repeated() throws {
        var packed = ONNXProtobufEncoding()
        packed.data(
            1,
            ONNXProtobufEncoding.varint(3) + ONNXProtobufEncoding.varint(UInt64(bitPattern: -1))
                + ONNXProtobufEncoding.varint(70000))
        var unpacked = ONNXProtobufEncoding()
        for v: Int64 in [3, -1, 70000] { unpacked.int(1, v) }
        for bytes in [packed.bytes, unpacked.bytes] {
            var r = reader(bytes)
            var values: [Int64] = []
            while let field = try r.next() { try r.appendVarints(field, "v", to: &values) }
            #expect(values == [3, -1, 70000])
        }
        var floats = ONNXProtobufEncoding()
        floats.data(2, [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40])
        var r = reader(floats.bytes)
        var values: [Float] = []
        while let field = try r.next() { try r.appendFloats(field, "f", to: &values) }
        #expect(values == [1, 2])
    }

    @Test("a length beyond the message names the field path")
    func lengthBeyondEnd() throws {
        // graph.node[0].attribute[0] declares 900 bytes but the file ends.
        var attribute = ONNXProtobufEncoding()
        attribute.key(5, 2)
        attribute.bytes += ONNXProtobufEncoding.varint(900)
        attribute.bytes += [1, 2, 3]
        var node = ONNXProtobufEncoding()
        node.string(4, "Relu")
        node.bytes += attribute.bytes
        var graph = ONNXProtobufEncoding()
        graph.data(1, node.bytes)
        var model = ONNXProtobufEncoding()
        model.int(1, 8)
        model.data(7, graph.bytes)
        let e = Self.error { () throws(ModelError) in _ = try ONNXModel.decode(model.bytes, file: "x.onnx") }
        #expect(e?.field == "graph.node[0].attribute[0]", "\(String(describing: e))")
        #expect(e?.message.contains("length 900 beyond end of message") == true)
        #expect(
            e?.description.hasPrefix("x.onnx: field 'graph.node[0].attribute[0]': length 900 beyond end of message")
                == true)
    }

    @Test(
        "damage of every kind is an error, never a trap",
        arguments: [
            ([0x08], "varint truncated"),
            ([0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x82], "overflows 64 bits"),
            ([0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], "overflows 64 bits"),
            ([0x0D, 1, 2], "4-byte value beyond end"),
            ([0x09, 1, 2, 3], "8-byte value beyond end"),
            ([0x0B], "deprecated group wire type"),
            ([0x0E], "invalid wire type 6"),
            ([0x00], "invalid field number 0"),
        ] as [([UInt8], String)])
    func damage(bytes: [UInt8], message: String) {
        var r = reader(bytes)
        let e = Self.error { () throws(ModelError) in while try r.next() != nil {} }
        #expect(e?.message.contains(message) == true, "\(String(describing: e))")
    }

    @Test("a field of the wrong wire type names its path")
    func wrongWireType() throws {
        var node = ONNXProtobufEncoding()
        node.int(4, 7)  // op_type as a varint
        var graph = ONNXProtobufEncoding()
        graph.data(1, node.bytes)
        var model = ONNXProtobufEncoding()
        model.int(1, 8)
        model.data(7, graph.bytes)
        let e = Self.error { () throws(ModelError) in _ = try ONNXModel.decode(model.bytes, file: nil) }
        #expect(e?.field == "graph.node[0].op_type")
        #expect(e?.message.contains("wire type varint where length-delimited was expected") == true)
    }

    @Test("the model's structure decodes: opsets, nodes, attributes, initializers, shapes")
    func modelStructure() throws {
        let bytes = try ONNXFixtures.bytes(ONNXFixtures.fixture("ties").model)
        let model = try ONNXModel.decode(bytes, file: nil)
        #expect(model.irVersion == 8)
        #expect(model.opsets[""] == 13 && model.opsets["com.microsoft"] == 1)
        #expect(model.graph.nodes.map(\.opType) == ["QuantizeLinear", "QLinearConv", "QLinearAdd", "DequantizeLinear"])
        #expect(model.graph.nodes[2].domain == "com.microsoft")
        #expect(model.graph.inputs.first?.shape == [nil, 1, 16, 16])
        let weights = try #require(model.graph.initializers.first { $0.name == "w" })
        #expect(weights.dims == [6, 1, 1, 1] && weights.dataType == ONNXDataType.int8)
        #expect(try weights.integerValues(file: nil) == [Int64](repeating: 1, count: 6))
        let bias = try #require(model.graph.initializers.first { $0.name == "b" })
        #expect(try bias.integerValues(file: nil).prefix(2) == [0, 301])
    }

    @Test("tensor data: typed fields, raw data and size checks")
    func tensorValues() throws {
        var typed = ONNXTensor(
            name: "t", dims: [3], dataType: ONNXDataType.int8, rawData: nil, floatData: [], int32Data: [-1, 5, 127],
            int64Data: [], isExternal: false, path: "p")
        #expect(try typed.integerValues(file: nil) == [-1, 5, 127])
        typed.int32Data = [-1, 5, 300]
        #expect(throws: ModelError.self) { try typed.integerValues(file: nil) }
        let raw = ONNXTensor(
            name: "f", dims: [2], dataType: ONNXDataType.float, rawData: [0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0],
            floatData: [], int32Data: [], int64Data: [], isExternal: false, path: "p")
        #expect(try raw.floatValues(file: nil) == [1, -2])
        let short = ONNXTensor(
            name: "f", dims: [3], dataType: ONNXDataType.float, rawData: [0, 0, 0x80, 0x3F], floatData: [],
            int32Data: [], int64Data: [], isExternal: false, path: "graph.initializer[2]")
        #expect(
            Self.error { () throws(ModelError) in _ = try short.floatValues(file: nil) }?.field
                == "graph.initializer[2].raw_data")
        let external = ONNXTensor(
            name: "e", dims: [1], dataType: ONNXDataType.float, rawData: nil, floatData: [1], int32Data: [],
            int64Data: [], isExternal: true, path: "p")
        #expect(throws: ModelError.self) { try external.floatValues(file: nil) }
    }
}
