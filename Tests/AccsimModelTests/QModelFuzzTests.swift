import Testing

@testable import AccsimModel

/// Damaged files must be rejected with a ModelError (or, rarely, still decode): never crash.
@Suite("QModel fuzz")
struct QModelFuzzTests {
    private typealias Support = QModelTestSupport

    /// A small deterministic generator for the positions.
    private struct Positions {
        var state: UInt64
        mutating func next(below bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    /// Decodes `bytes`; returns whether it decoded.
    @discardableResult
    private func attempt(_ bytes: [UInt8]) -> Bool {
        do {
            _ = try QModelReader.decode(bytes)
            return true
        } catch {
            #expect(!error.message.isEmpty)
            return false
        }
    }

    @Test("flipped bytes and truncations anywhere are rejected")
    func flipsAndTruncations() {
        let valid = Support.encoded
        var positions = Positions(state: 42)
        for _ in 0..<1500 {
            var bytes = valid
            let position = positions.next(below: bytes.count)
            bytes[position] ^= UInt8(truncatingIfNeeded: 1 + positions.next(below: 255))
            // Every byte is covered by a CRC or must be zero padding, so any change is detected.
            let decoded = attempt(bytes)
            #expect(!decoded, "flip at \(position) went unnoticed")
        }
        for _ in 0..<300 {
            let length = positions.next(below: valid.count)
            let decoded = attempt(Array(valid[0..<length]))
            #expect(!decoded, "truncation to \(length) bytes went unnoticed")
        }
    }

    @Test("damaged manifests with valid CRCs never crash the parser, decoder or validator")
    func manifestFlips() throws {
        let valid = Support.encoded
        let length = Int(Support.readUInt64(valid, at: 24))
        let manifest = Array(valid[64..<64 + length])
        let blobStart = (64 + length + 63) / 64 * 64
        let blobArea = Array(valid[blobStart...])
        var positions = Positions(state: 7)
        let replacements = Array("0123456789-.,:[]{}\"e ".utf8) + [0x00, 0xFF, 0x80]
        var decoded = 0
        for round in 0..<1500 {
            var edited = manifest
            for _ in 0...(round % 3) {
                let position = positions.next(below: edited.count)
                edited[position] = replacements[positions.next(below: replacements.count)]
            }
            // Keep the length so the blob offsets stay right; fix both CRCs.
            let bytes = Support.assemble(manifest: edited, blobArea: blobArea, blobStart: blobStart)
            if attempt(bytes) { decoded += 1 }
        }
        // Some edits are harmless (a digit of a scale, a name): those decode.
        #expect(decoded < 1500)
    }
}
