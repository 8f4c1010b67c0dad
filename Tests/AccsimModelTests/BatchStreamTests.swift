import AccsimArithmetic
import AccsimChecksum
import AccsimTestSupport
import Foundation
import Testing

@testable import AccsimModel

/// Batches read and generated chunk by chunk (issue 19, item 4): every chunk holds exactly the
/// values of the same samples of the whole batch, the `.npy` reader in chunks gives the bytes and
/// the errors of the whole-file reader, and the `.npy` written in chunks is the file NumPy writes.
@Suite struct BatchStreamTests {
    /// `count` samples split into chunks of `size` (the last one shorter).
    private func chunks(_ count: Int, size: Int) -> [Range<Int>] {
        stride(from: 0, to: count, by: size).map { $0..<min($0 + size, count) }
    }

    private func temporaryFile(_ name: String) throws -> String {
        try Repository.temporaryDirectory(prefix: "stream").appendingPathComponent(name).path
    }

    /// A graph with two inputs of different types and sample sizes (6 and 5 elements).
    private func twoInputGraph() -> Graph {
        Graph(
            name: "two",
            tensors: [
                TensorInfo(name: "a", shape: [1, 3, 2], elementType: .int8),
                TensorInfo(name: "b", shape: [1, 5], elementType: .int16),
            ], constants: [:], nodes: [], inputs: ["a", "b"], outputs: [])
    }

    @Test func generatorSkipsAheadToTheSameDraws() {
        var drawn = SeededGenerator(seed: 5)
        var values: [UInt64] = []
        for _ in 0..<1_001 { values.append(drawn.next()) }
        var skipped = SeededGenerator(seed: 5, skipping: 1_000)
        #expect(skipped.next() == values[1_000])
        var none = SeededGenerator(seed: 5, skipping: 0)
        #expect(none.next() == values[0])
        // The first SplitMix64 output of seed 0 (the reference value of the algorithm).
        var zero = SeededGenerator(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)
    }

    @Test func seededChunksHoldTheValuesOfTheWholeBatch() throws {
        let graph = twoInputGraph()
        // The batch as one generator draws it: all of input a's samples, then all of b's.
        var generator = SeededGenerator(seed: 9)
        let a = (0..<23 * 6).map { _ in generator.nextInt32(in: -128...127) }
        let b = (0..<23 * 5).map { _ in generator.nextInt32(in: -32768...32767) }
        let whole = ModelInputs.seeded(for: graph, samples: 23, seed: 9)
        #expect(whole["a"] == IntTensor(shape: [23, 3, 2], elementType: .int8, values: a))
        #expect(whole["b"] == IntTensor(shape: [23, 5], elementType: .int16, values: b))
        for size in [1, 7, 23] {
            var joinedA: [Int32] = []
            var joinedB: [Int32] = []
            for range in chunks(23, size: size) {
                let chunk = ModelInputs.seeded(for: graph, samples: 23, seed: 9, range: range)
                #expect(chunk["a"]?.shape == [range.count, 3, 2])
                #expect(chunk["b"]?.shape == [range.count, 5])
                joinedA += chunk["a"]?.values ?? []
                joinedB += chunk["b"]?.values ?? []
            }
            #expect(joinedA == a, "chunks of \(size)")
            #expect(joinedB == b, "chunks of \(size)")
        }
        let source = BatchSource(seededFor: graph, samples: 23, seed: 9)
        #expect(source.sampleCount == 23)
        #expect(try source.chunk(20..<23)["b"]?.values == Array(b[100..<115]))
    }

    @Test func chunkReaderReadsTheBytesOfTheWholeFile() throws {
        var generator = SeededGenerator(seed: 1)
        let digits = CLIPaths.digitsInput
        var paths = [digits]
        for (dtype, shape) in [(NPYDType.int8, [11, 3]), (.int16, [5, 2, 2]), (.float32, [9]), (.uint8, [0, 4])] {
            let count = shape.reduce(1, *)
            let bytes = (0..<count * dtype.itemSize).map { _ in UInt8(generator.next() & 0xFF) }
            let path = try temporaryFile("a-\(dtype).npy")
            try NPYFile.write(try NPYArray(shape: shape, dtype: dtype, bytes: bytes), to: path, overwrite: false)
            paths.append(path)
        }
        for path in paths {
            let whole = try NPYFile.read(path: path)
            let reader = try NPYChunkReader(path: path)
            #expect(reader.shape == whole.shape && reader.dtype == whole.dtype)
            #expect(reader.elementCount == whole.elementCount)
            for size in [1, 7, max(1, reader.sampleCount)] {
                var bytes: [UInt8] = []
                for range in chunks(reader.sampleCount, size: size) {
                    let array = try reader.readSamples(range)
                    #expect(array.shape == [range.count] + whole.shape.dropFirst())
                    bytes += array.bytes
                }
                #expect(bytes == whole.bytes, "\(path) in chunks of \(size)")
            }
            let itemSize = whole.dtype.itemSize
            if whole.elementCount >= 3 {
                #expect(try reader.readElements(1..<3) == Array(whole.bytes[itemSize..<3 * itemSize]))
            }
        }
        #expect(try NPYChunkReader(path: digits).shape == [360, 8, 8, 1])
    }

    @Test func chunkReaderRefusesWhatTheWholeReaderRefusesWithTheSameMessage() throws {
        let good = NPYFile.encode(try NPYArray(shape: [3, 2], dtype: .int16, values: [1, 2, 3, 4, 5, 6]))
        var damaged: [[UInt8]] = (0..<good.count).map { Array(good[0..<$0]) }  // every truncation
        damaged.append(good + [0, 0, 0])  // bytes after the data
        var badMagic = good
        badMagic[1] = UInt8(ascii: "X")
        damaged.append(badMagic)
        var badVersion = good
        badVersion[6] = 4
        damaged.append(badVersion)
        var hugeHeader = good
        hugeHeader[8] = 0xFF
        hugeHeader[9] = 0xFF
        damaged.append(hugeHeader)
        let path = try temporaryFile("damaged.npy")
        for (index, bytes) in damaged.enumerated() {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            var whole: String?
            var chunked: String?
            do { _ = try NPYFile.read(path: path) } catch { whole = error.description }
            do { _ = try NPYChunkReader(path: path) } catch { chunked = error.description }
            #expect(whole != nil, "case \(index) should be refused")
            #expect(chunked == whole, "case \(index)")
        }
        #expect(throws: ModelError.self) { try NPYChunkReader(path: path + ".missing") }
    }

    @Test func streamWriterWritesTheBytesOfTheWholeFile() throws {
        let values = (0..<60).map { Int32($0 * 7 % 256) - 128 }
        let array = try NPYArray(shape: [12, 5], dtype: .int8, values: values)
        for size in [1, 7, 12] {
            let path = try temporaryFile("w\(size).npy")
            let writer = try NPYStreamWriter(path: path, shape: [12, 5], dtype: .int8, overwrite: false)
            #expect(!FileManager.default.fileExists(atPath: path))  // staged until the commit
            for range in chunks(12, size: size) {
                try writer.append(
                    try NPYArray(
                        shape: [range.count, 5], dtype: .int8,
                        values: Array(values[range.lowerBound * 5..<range.upperBound * 5])))
            }
            try writer.commit()
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(NPYFile.encode(array)))
            // An existing file is refused before anything is computed, and kept.
            #expect(throws: ModelError.self) {
                try NPYStreamWriter(path: path, shape: [1], dtype: .int8, overwrite: false)
            }
            let replaced = try NPYStreamWriter(path: path, shape: [1], dtype: .int8, overwrite: true)
            replaced.discard()
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(NPYFile.encode(array)))
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: directory) == [
                    URL(fileURLWithPath: path).lastPathComponent
                ])
        }
    }

    @Test func npySourceChunksEqualTheWholeInputAndNameTheSameElement() throws {
        // A float32 NCHW batch for an NHWC input [1, 2, 2, 3] with input quantization.
        let info = TensorInfo(
            name: "x", shape: [1, 2, 2, 3], elementType: .int8,
            quantization: Quantization(scale: 0.5, zeroPoint: 3), layout: .nchw,
            floatInput: FloatInputQuantization(operation: .multiply, factor: 4, rounding: .halfUp))
        let graph = Graph(name: "f", tensors: [info], constants: [:], nodes: [], inputs: ["x"], outputs: [])
        var floats = (0..<10 * 12).map { Float($0 % 37) * 0.37 - 5 }
        let path = try temporaryFile("x.npy")
        try NPYFile.write(try NPYArray(shape: [10, 3, 2, 2], floats: floats), to: path, overwrite: false)
        let whole = try ModelInputs.batch(npy: path, for: graph, model: "f.q")["x"]!
        let source = try BatchSource(npy: path, for: graph, model: "f.q")
        #expect(source.sampleCount == 10)
        for size in [1, 7, 10] {
            var values: [Int32] = []
            for range in chunks(10, size: size) {
                let chunk = try source.chunk(range)["x"]!
                #expect(chunk.shape == [range.count, 2, 2, 3])
                values += chunk.values
            }
            #expect(values == whole.values, "chunks of \(size)")
        }
        // A NaN in sample 8: the chunk names the element as the whole array does.
        floats[8 * 12 + 5] = .nan
        try NPYFile.write(try NPYArray(shape: [10, 3, 2, 2], floats: floats), to: path, overwrite: true)
        var wholeError: String?
        do { _ = try ModelInputs.batch(npy: path, for: graph, model: "f.q") } catch { wholeError = error.description }
        #expect(wholeError?.contains("element 101 is NaN") == true)
        let nan = try BatchSource(npy: path, for: graph, model: "f.q")
        _ = try nan.chunk(0..<7)
        var chunkError: String?
        do { _ = try nan.chunk(7..<10) } catch { chunkError = error.description }
        #expect(chunkError == wholeError)
        // A shape that does not fit is refused on opening, with the whole reader's message.
        try NPYFile.write(try NPYArray(shape: [10, 12], floats: Array(floats.prefix(120))), to: path, overwrite: true)
        var shapeError: String?
        do { _ = try ModelInputs.batch(npy: path, for: graph, model: "f.q") } catch { shapeError = error.description }
        #expect(shapeError != nil)
        #expect(throws: ModelError.self) { try BatchSource(npy: path, for: graph, model: "f.q") }
        do { _ = try BatchSource(npy: path, for: graph, model: "f.q") } catch {
            #expect(error.description == shapeError)
        }
    }

    @Test func labelsInChunksEqualTheWholeLabels() throws {
        let whole = try ModelInputs.labels(npy: CLIPaths.digitsLabels, samples: 360)
        let source = try LabelSource(npy: CLIPaths.digitsLabels, samples: 360)
        #expect(chunks(360, size: 7).flatMap { (try? source.labels($0)) ?? [] } == whole)
        #expect(Array(whole.prefix(5)) == [7, 6, 3, 7, 7])
        #expect(throws: ModelError.self) { try LabelSource(npy: CLIPaths.digitsLabels, samples: 359) }
        let floats = try temporaryFile("labels.npy")
        try NPYFile.write(try NPYArray(shape: [2], floats: [1, 2]), to: floats, overwrite: false)
        #expect(throws: ModelError.self) { try LabelSource(npy: floats, samples: 2) }
        #expect(throws: ModelError.self) { try ModelInputs.labels(npy: floats, samples: 2) }
    }

    @Test func checksumInChunksEqualsTheWholeChecksum() throws {
        let values = (0..<1_000).map { Int32($0 % 251) - 125 }
        let whole = IntTensor(shape: [100, 10], elementType: .int8, values: values)
        var crc: UInt32 = 0
        for range in chunks(100, size: 7) {
            crc = TensorChecksum.update(
                crc,
                with: IntTensor(
                    shape: [range.count, 10], elementType: .int8,
                    values: Array(values[range.lowerBound * 10..<range.upperBound * 10])))
        }
        #expect(crc == TensorChecksum.crc32(whole))
        #expect(CRC32.update(CRC32.checksum(Array("1234".utf8)), with: Array("56789".utf8)[...]) == 0xCBF4_3926)
    }

    @Test func chunkSizeIsBoundedByTheMemoryLimit() throws {
        let digits = try QModelReader.read(path: CLIPaths.digitsModel)
        #expect(ModelInputs.bytesPerSample(of: digits) == 296)
        #expect(try ModelInputs.chunkSamples(for: digits, what: "--batch 5", limit: 1 << 30) == 16384)
        #expect(try ModelInputs.chunkSamples(for: digits, what: "--batch 5", limit: 2960) == 10)
        #expect(throws: ModelError.self) { try ModelInputs.chunkSamples(for: digits, what: "--batch 5", limit: 295) }
        do {
            _ = try ModelInputs.chunkSamples(for: digits, what: "--batch 5", limit: 295)
        } catch {
            #expect(
                error.description
                    == "--batch 5: one sample's inputs and outputs need 296 B, over the limit of 295 B "
                    + "(ACCSIM_BATCH_MEMORY_MIB, by default half the physical memory)")
        }
    }
}

/// Paths of the bundled digits files.
private enum CLIPaths {
    static var digitsModel: String { Repository.root.appendingPathComponent("Models/digits.q").path }
    static var digitsInput: String { Repository.root.appendingPathComponent("Models/digits_test_x.npy").path }
    static var digitsLabels: String { Repository.root.appendingPathComponent("Models/digits_test_y.npy").path }
}
