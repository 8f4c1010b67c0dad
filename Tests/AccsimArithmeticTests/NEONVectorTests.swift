import AccsimTestSupport
import Foundation
import Testing

@testable import AccsimArithmetic

/// The vectors of the NEON cross test (`Scripts/test-neon.sh`, `Tests/NEONVectors`): operands of
/// the neon path's C kernels in the layouts the Swift side hands them over, with the outputs the
/// reference kernels compute. This suite rebuilds the file from seeded operands and checks that
/// the committed one is identical, so the vectors cannot drift from the reference
/// (`ACCSIM_UPDATE_GOLDEN=1` rewrites it).
///
/// Format (little endian): "ACNV", u32 version 1, u32 case count; then per case a u32 kind.
/// Kind 1, GEMM: u32 m, n, k, kp; A (m·kp bytes, rows kp apart), B packed (ceil(n/16)·16·kp
/// bytes), offsets (n × i32), 128·Σ_k B (n × i32), expected C (m·n × i32).
/// Kind 2, depthwise: u32 batch, height, width, cp, out_height, out_width, kernel_height,
/// kernel_width, stride_height, stride_width, dilation_height, dilation_width, pad_top, pad_left;
/// x − zp (batch·height·width·cp × i16), w − zp_w (taps·cp × i16), bias (cp × i32), expected
/// accumulators (rows·cp × i32).
@Suite struct NEONVectorTests {
    static let path = Repository.path("Tests/NEONVectors/vectors.bin")

    struct Writer {
        var bytes: [UInt8] = []
        mutating func u32(_ value: Int) { withUnsafeBytes(of: UInt32(value).littleEndian) { bytes += $0 } }
        mutating func i32(_ values: [Int32]) { for v in values { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } } }
        mutating func i16(_ values: [Int16]) { for v in values { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } } }
    }

    /// One GEMM case: A unsigned, B signed, offsets; expected from the reference fully connected
    /// accumulators (input `a − 128` with zero point −128, weights zero point 0, bias = offsets).
    static func gemm(
        _ w: inout Writer, _ random: inout FastTestRandom, m: Int, n: Int, k: Int, extremes: Bool,
        offsetRange: ClosedRange<Int32>
    ) {
        let a: [Int32] = (0..<(m * k)).map { _ in extremes ? (random.bool() ? 255 : 0) : random.int32(0...255) }
        let b: [Int32] = (0..<(n * k)).map { _ in extremes ? (random.bool() ? 127 : -128) : random.int32(-128...127) }
        let offsets = (0..<n).map { _ in random.int32(offsetRange) }
        let expected = ReferenceKernels.fullyConnectedAccumulators(
            input: IntTensor(shape: [m, k], elementType: .int8, values: a.map { $0 - 128 }), inputZeroPoint: -128,
            weights: IntTensor(shape: [n, k], elementType: .int8, values: b), weightZeroPoints: [0], bias: offsets,
            overflow: .wrap)
        let bytes = b.map { UInt8(truncatingIfNeeded: $0) }
        let packed = bytes.withUnsafeBytes {
            PackedGEMMWeights(path: .neon, k: k, n: n, source: $0, columnStride: k, flipSign: false)
        }
        w.u32(1)
        w.u32(m)
        w.u32(n)
        w.u32(k)
        w.u32(packed.kp)
        for i in 0..<m {
            for kk in 0..<packed.kp { w.bytes.append(kk < k ? UInt8(a[i * k + kk]) : 0) }
        }
        w.bytes += packed.storage.map { UInt8(bitPattern: $0) }
        w.i32(offsets)
        w.i32(packed.columnSums.map { $0 &* 128 })
        w.i32(expected.values)
    }

    /// One depthwise case: expected from the reference conv accumulators (groups = channels).
    static func depthwise(
        _ w: inout Writer, _ random: inout FastTestRandom, batch: Int, size: Int, channels: Int, kernel: Int,
        stride: Int,
        dilation: Int, pad: Int, extremes: Bool
    ) {
        let cp = (channels + 15) / 16 * 16
        let xValues = (0..<(batch * size * size * channels)).map { _ in
            extremes ? (random.bool() ? Int32(127) : -128) : random.int32(-128...127)
        }
        let wValues = (0..<(channels * kernel * kernel)).map { _ in
            extremes ? (random.bool() ? Int32(127) : -128) : random.int32(-128...127)
        }
        let inputZeroPoint: Int32 = extremes ? -128 : random.int32(-128...127)
        let weightZeroPoints = (0..<channels).map { _ in extremes ? Int32(127) : random.int32(-128...127) }
        let bias = (0..<channels).map { _ in random.int32(extremes ? Int32.min...Int32.max : -100_000...100_000) }
        let parameters = Conv2DParameters(
            stride: Size2D(stride), dilation: Size2D(dilation),
            padding: Padding2D(top: pad, bottom: pad, left: pad, right: pad),
            groups: channels, requantizer: Requantizer(multiplier: 1, shift: 0, rounding: .halfUp))
        let expected = ReferenceKernels.conv2DAccumulators(
            input: IntTensor(shape: [batch, size, size, channels], elementType: .int8, values: xValues),
            inputZeroPoint: inputZeroPoint,
            weights: IntTensor(shape: [channels, kernel, kernel, 1], elementType: .int8, values: wValues),
            weightZeroPoints: weightZeroPoints, bias: bias, parameters: parameters, overflow: .wrap)
        let outSize = expected.shape[1]
        w.u32(2)
        for value in [
            batch, size, size, cp, outSize, outSize, kernel, kernel, stride, stride, dilation, dilation, pad, pad,
        ] { w.u32(value) }
        var x = [Int16](repeating: 0, count: batch * size * size * cp)
        for pixel in 0..<(batch * size * size) {
            for c in 0..<channels { x[pixel * cp + c] = Int16(xValues[pixel * channels + c] - inputZeroPoint) }
        }
        w.i16(x)
        var weights = [Int16](repeating: 0, count: kernel * kernel * cp)
        for c in 0..<channels {
            for t in 0..<(kernel * kernel) {
                weights[t * cp + c] = Int16(wValues[c * kernel * kernel + t] - weightZeroPoints[c])
            }
        }
        w.i16(weights)
        w.i32(bias + [Int32](repeating: 0, count: cp - channels))
        var out = [Int32](repeating: 0, count: expected.shape[0] * outSize * outSize * cp)
        for row in 0..<(expected.shape[0] * outSize * outSize) {
            for c in 0..<channels { out[row * cp + c] = expected.values[row * channels + c] }
        }
        w.i32(out)
    }

    static func vectors() -> [UInt8] {
        var random = FastTestRandom(seed: 2026)
        var w = Writer()
        w.bytes += Array("ACNV".utf8)
        w.u32(1)
        w.u32(11)
        // Every row tail (1…6 and beyond), column tails inside a 16-block, K tails.
        gemm(&w, &random, m: 13, n: 37, k: 61, extremes: false, offsetRange: -1000...1000)
        gemm(&w, &random, m: 6, n: 16, k: 8, extremes: false, offsetRange: -10...10)
        gemm(&w, &random, m: 1, n: 1, k: 1, extremes: false, offsetRange: 0...0)
        gemm(&w, &random, m: 11, n: 50, k: 300, extremes: true, offsetRange: -5...5)
        // Sums that leave int32: offsets at the ends of the range, a long K of extreme operands.
        gemm(&w, &random, m: 5, n: 20, k: 1030, extremes: true, offsetRange: Int32.max - 1000...Int32.max)
        gemm(&w, &random, m: 4, n: 18, k: 1030, extremes: true, offsetRange: Int32.min...(Int32.min + 1000))
        gemm(&w, &random, m: 20, n: 65, k: 129, extremes: false, offsetRange: Int32.min...Int32.max)
        depthwise(
            &w, &random, batch: 1, size: 9, channels: 16, kernel: 3, stride: 1, dilation: 1, pad: 1, extremes: false)
        depthwise(
            &w, &random, batch: 2, size: 11, channels: 37, kernel: 5, stride: 2, dilation: 1, pad: 2, extremes: false)
        depthwise(
            &w, &random, batch: 1, size: 8, channels: 24, kernel: 3, stride: 1, dilation: 2, pad: 0, extremes: true)
        depthwise(
            &w, &random, batch: 1, size: 7, channels: 8, kernel: 2, stride: 1, dilation: 1, pad: 1, extremes: false)
        return w.bytes
    }

    @Test func committedVectorsEqualTheReference() throws {
        let bytes = Self.vectors()
        if ProcessInfo.processInfo.environment["ACCSIM_UPDATE_GOLDEN"] == "1" {
            try Data(bytes).write(to: URL(fileURLWithPath: Self.path))
        }
        let stored = try #require(
            FileManager.default.contents(atPath: Self.path), "missing \(Self.path): run with ACCSIM_UPDATE_GOLDEN=1")
        #expect(stored.count == bytes.count)
        #expect(Array(stored) == bytes, "Tests/NEONVectors/vectors.bin differs from the reference kernels' outputs")
    }

    /// The same vectors through the x86 C paths' GEMM and depthwise kernels that share the
    /// layouts (the file's contract is checked on this machine too, not only under qemu).
    @Test func vectorsHoldOnEveryPathOfThisMachine() throws {
        var random = FastTestRandom(seed: 2026)
        for path in KernelPath.available where path != .portable {
            let (m, n, k) = (13, 37, 61)
            let a = (0..<(m * k)).map { _ in UInt8(random.int(0...255)) }
            let b = (0..<(n * k)).map { _ in Int8(random.int(-128...127)) }
            let packed = b.withUnsafeBytes {
                PackedGEMMWeights(path: path, k: k, n: n, source: $0, columnStride: k, flipSign: false)
            }
            var rows = [UInt8](repeating: 0, count: m * packed.kp)
            for i in 0..<m { for kk in 0..<k { rows[i * packed.kp + kk] = a[i * k + kk] } }
            let offsets = (0..<n).map { Int32($0) * 1000 - 7 }
            var c = [Int32](repeating: 0, count: m * n)
            rows.withUnsafeBufferPointer { rows in
                offsets.withUnsafeBufferPointer { offsets in
                    c.withUnsafeMutableBufferPointer { c in
                        FastKernels.gemm(
                            a: rows.baseAddress!, lda: packed.kp, weights: packed, columns: 0..<n,
                            offsets: offsets.baseAddress!,
                            c: c.baseAddress!, ldc: n, m: m)
                    }
                }
            }
            var expected = [Int32](repeating: 0, count: m * n)
            for i in 0..<m {
                for j in 0..<n {
                    var sum = offsets[j]
                    for kk in 0..<k { sum &+= Int32(a[i * k + kk]) * Int32(b[j * k + kk]) }
                    expected[i * n + j] = sum
                }
            }
            #expect(c == expected, "\(path)")
        }
    }
}
