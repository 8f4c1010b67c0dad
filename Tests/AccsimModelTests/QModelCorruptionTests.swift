import AccsimArithmetic
import AccsimChecksum
import AccsimJSON
import Testing

@testable import AccsimModel

/// One test per kind of damage: each must be rejected with a message that says what is wrong and
/// where (field, node, tensor).
@Suite("QModel corruption")
struct QModelCorruptionTests {
    private typealias Support = QModelTestSupport
    private var valid: [UInt8] { Support.encoded }

    @Test("the relocated test file used below is itself valid")
    func relocatedIsValid() throws {
        #expect(try QModelReader.decode(Support.edited()) == Support.everyOperationGraph())
    }

    @Test("bad magic")
    func badMagic() {
        var bytes = valid
        bytes[0] = UInt8(ascii: "X")
        #expect(
            Support.decodeError(bytes, file: "m.q")
                == ModelError(file: "m.q", field: "magic", "not an accsim .q file (bad magic)"))
        #expect(Support.decodeError(Array("PK\u{3}\u{4}".utf8))?.message == "not an accsim .q file (bad magic)")
        #expect(Support.decodeError([])?.message == "not an accsim .q file (the file is empty)")
    }

    @Test("a newer format version")
    func newerVersion() {
        var bytes = valid
        bytes[8] = 3
        Support.fixHeaderCRC(&bytes)
        #expect(
            Support.decodeError(bytes)
                == ModelError(
                    field: "format_version", "written by a newer accsim (format version 3, this accsim reads up to 2)"))
        // Reported as such even when the newer header's CRC covers other bytes.
        bytes[8] = 7
        #expect(
            Support.decodeError(bytes)?.message
                == "written by a newer accsim (format version 7, this accsim reads up to 2)")
        bytes[8] = 0
        Support.fixHeaderCRC(&bytes)
        #expect(Support.decodeError(bytes)?.message == "format version 0 is invalid")
    }

    @Test("non-zero flags and reserved bytes")
    func flags() {
        var bytes = valid
        bytes[12] = 1
        Support.fixHeaderCRC(&bytes)
        #expect(
            Support.decodeError(bytes)
                == ModelError(field: "flags", "unknown flags 0x00000001 (format version 1 defines none)"))
        var reserved = valid
        reserved[50] = 9
        Support.fixHeaderCRC(&reserved)
        #expect(Support.decodeError(reserved) == ModelError(field: "reserved", "reserved header bytes are not zero"))
        var offset = valid
        offset[16] = 128
        Support.fixHeaderCRC(&offset)
        #expect(
            Support.decodeError(offset)
                == ModelError(
                    field: "manifest_offset", "manifest_offset is 128; format version 1 puts the manifest at 64"))
    }

    @Test("header CRC mismatch")
    func headerCRC() {
        var bytes = valid
        bytes[24] ^= 0x01  // manifest_length
        let error = Support.decodeError(bytes)
        #expect(error?.field == "header_crc32")
        #expect(error?.message.hasPrefix("header CRC mismatch (stored 0x") == true)
        #expect(error?.message.hasSuffix("): the header is damaged") == true)
    }

    @Test("truncated inside the header, the manifest and a blob")
    func truncation() {
        let total = valid.count
        #expect(
            Support.decodeError(Array(valid[0..<30]), file: "m.q")
                == ModelError(
                    file: "m.q", "truncated: the file has 30 bytes, less than the 64-byte header (34 bytes missing)"))
        #expect(
            Support.decodeError(Array(valid[0..<5]))?.message
                == "truncated: the file has 5 bytes, less than the 64-byte header (59 bytes missing)")
        #expect(
            Support.decodeError(Array(valid[0..<100]))
                == ModelError(
                    field: "file_length",
                    "truncated: the header declares \(total) bytes but the file has 100 (\(total - 100) bytes missing)")
        )
        #expect(
            Support.decodeError(Array(valid[0..<(total - 5)]))
                == ModelError(
                    field: "file_length",
                    "truncated: the header declares \(total) bytes but the file has \(total - 5) (5 bytes missing)"))
        #expect(
            Support.decodeError(valid + [0, 0, 0])
                == ModelError(
                    field: "file_length", "the file has 3 unexpected bytes after its declared length of \(total)"))
    }

    @Test("a manifest longer than the file")
    func manifestLength() {
        var bytes = valid
        bytes[26] = 0x10  // manifest_length += 1 MiB
        Support.fixHeaderCRC(&bytes)
        #expect(Support.decodeError(bytes)?.field == "manifest_length")
    }

    @Test("manifest CRC mismatch")
    func manifestCRC() {
        var bytes = valid
        bytes[64 + 20] ^= 0x20
        let error = Support.decodeError(bytes)
        #expect(error?.field == "manifest_crc32")
        #expect(error?.message.hasPrefix("manifest CRC mismatch (stored 0x") == true)
    }

    @Test("blob CRC mismatch names the tensor")
    func blobCRC() throws {
        let manifest = try StrictJSONDecoder().decode(QModelManifest.self, from: Support.manifest(of: valid))
        for (index, entry) in manifest.constants.enumerated() {
            var bytes = valid
            bytes[entry.offset + entry.length - 1] ^= 0x80
            let error = Support.decodeError(bytes, file: "m.q")
            #expect(error?.file == "m.q")
            #expect(error?.field == "constants[\(index)].crc32")
            #expect(
                error?.message.hasPrefix(
                    "CRC mismatch in constant '\(entry.tensor)' (stored 0x\(CRC32.hex(entry.crc32)), computed 0x")
                    == true)
        }
    }

    @Test("non-zero padding between the manifest and the blobs or between blobs")
    func padding() throws {
        let manifest = try StrictJSONDecoder().decode(QModelManifest.self, from: Support.manifest(of: valid))
        var afterManifest = valid
        afterManifest[manifest.constants[0].offset - 1] = 1
        #expect(
            Support.decodeError(afterManifest)
                == ModelError(
                    field: "padding",
                    "padding byte \(manifest.constants[0].offset - 1) is not zero: the file is damaged"))
        var betweenBlobs = valid
        let gap = manifest.constants[0].offset + manifest.constants[0].length
        betweenBlobs[gap] = 0xFF
        #expect(Support.decodeError(betweenBlobs)?.message == "padding byte \(gap) is not zero: the file is damaged")
    }

    @Test("malformed JSON gives line, column and offsets")
    func malformedJSON() throws {
        let bytes = try Support.edited(rawManifest: {
            $0.replacingOccurrences(of: #"{"version":1,"#, with: #"{"version":1,,"#)
        })
        #expect(
            Support.decodeError(bytes)
                == ModelError(
                    "malformed manifest JSON at line 1, column 14 (manifest byte 13, file offset 77): expected a string key, found character ','"
                ))
        let notUTF8 = try Support.edited(rawManifest: {
            $0.replacingOccurrences(of: "every_op", with: "every\u{FFFD}op")
        })
        #expect(throws: Never.self) { try QModelReader.decode(notUTF8) }
        var invalid = try Support.edited(rawManifest: { $0.replacingOccurrences(of: "every_op", with: "every_opX") })
        // Replace the X with a lone continuation byte, then fix the CRCs.
        if let index = invalid.firstIndex(of: UInt8(ascii: "X")) {
            invalid[index] = 0x80
            let length = Int(Support.readUInt64(invalid, at: 24))
            invalid = Support.assemble(
                manifest: Array(invalid[64..<64 + length]), blobArea: Array(invalid[65536...]), blobStart: 65536)
        }
        #expect(Support.decodeError(invalid)?.message.hasSuffix("a string is not valid UTF-8") == true)
    }

    @Test("an unknown key names its path, relative to the node when inside one")
    func unknownKey() throws {
        let inNode = try Support.edited { manifest in
            Support.editElement(&manifest, key: "nodes", index: 0) { node in
                Support.editMember(&node, key: "attributes") { attributes in
                    Support.editMember(&attributes, key: "requantizer") { requantizer in
                        requantizer = Support.replacing(requantizer, key: "rounding_mode", with: "tflite")
                    }
                }
            }
        }
        #expect(
            Support.decodeError(inNode, file: "m.q")
                == ModelError(
                    file: "m.q", node: "conv0", field: "attributes.requantizer.rounding_mode",
                    "unknown key 'rounding_mode' (expected one of: multipliers, shifts, rounding, zero_point, clamp_min, clamp_max, real_multipliers)"
                ))

        let misspelt = try Support.edited { manifest in
            Support.editElement(&manifest, key: "tensors", index: 1) { tensor in
                let quantization = tensor["quantization"]
                tensor = Support.replacing(
                    Support.replacing(tensor, key: "quantization", with: nil), key: "quantisation", with: quantization)
            }
        }
        #expect(
            Support.decodeError(misspelt)
                == ModelError(
                    field: "tensors[1].quantisation",
                    "unknown key 'quantisation' (expected one of: name, shape, type, quantization, layout, float_input; did you mean 'quantization'?)"
                ))

        let topLevel = try Support.edited { manifest in
            manifest = Support.replacing(manifest, key: "comment", with: "hi")
        }
        #expect(Support.decodeError(topLevel)?.field == "comment")
    }

    @Test("an unknown op names the node and the op")
    func unknownOp() throws {
        let bytes = try Support.edited { manifest in
            Support.editElement(&manifest, key: "nodes", index: 3) { node in
                node = Support.replacing(node, key: "op", with: "add3d")
            }
        }
        let known = Operation.Kind.allCases.map(\.rawValue).joined(separator: ", ")
        #expect(
            Support.decodeError(bytes, file: "m.q")
                == ModelError(file: "m.q", node: "add0", field: "op", "unknown op 'add3d' (known ops: \(known))"))
    }

    @Test("a misspelled op is answered with the op it resembles")
    func misspelledOp() throws {
        let bytes = try Support.edited { manifest in
            Support.editElement(&manifest, key: "nodes", index: 3) { node in
                node = Support.replacing(node, key: "op", with: "ad")
            }
        }
        let known = Operation.Kind.allCases.map(\.rawValue).joined(separator: ", ")
        #expect(
            Support.decodeError(bytes, file: "m.q")
                == ModelError(
                    file: "m.q", node: "add0", field: "op",
                    "unknown op 'ad' (did you mean 'add'?) (known ops: \(known))"))
    }

    @Test("missing keys and mistyped values name their path")
    func missingAndMistyped() throws {
        let missing = try Support.edited { manifest in
            Support.editElement(&manifest, key: "nodes", index: 2) { node in
                node = Support.replacing(node, key: "inputs", with: nil)
            }
        }
        #expect(
            Support.decodeError(missing) == ModelError(node: "avg0", field: "inputs", "missing required key 'inputs'"))
        let mistyped = try Support.edited { manifest in
            Support.editElement(&manifest, key: "tensors", index: 0) { tensor in
                tensor = Support.replacing(tensor, key: "shape", with: "big")
            }
        }
        #expect(
            Support.decodeError(mistyped)
                == ModelError(field: "tensors[0].shape", "expected an array, found the string \"big\""))
        let fraction = try Support.edited { manifest in
            Support.editElement(&manifest, key: "nodes", index: 0) { node in
                Support.editMember(&node, key: "attributes") { attributes in
                    attributes = Support.replacing(attributes, key: "groups", with: 1.5)
                }
            }
        }
        #expect(
            Support.decodeError(fraction)
                == ModelError(node: "conv0", field: "attributes.groups", "expected an integer (Int), found 1.5"))
        let version = try Support.edited { manifest in manifest = Support.replacing(manifest, key: "version", with: 2) }
        #expect(
            Support.decodeError(version)
                == ModelError(field: "version", "the manifest says version 2 but the header's format_version is 1"))
    }

    @Test("a misaligned or out-of-range blob offset names the tensor")
    func blobOffsets() throws {
        func withOffset(_ change: @escaping (Int64) -> Int64) throws -> [UInt8] {
            try Support.edited { manifest in
                Support.editElement(&manifest, key: "constants", index: 1) { entry in
                    if case .int(let offset)? = entry["offset"] {
                        entry = Support.replacing(entry, key: "offset", with: .int(change(offset)))
                    }
                }
            }
        }
        let misaligned = Support.decodeError(try withOffset { $0 + 4 })
        #expect(misaligned?.field == "constants[1].offset")
        #expect(misaligned?.message.hasPrefix("constant 'b0': offset ") == true)
        #expect(misaligned?.message.hasSuffix(" is not a non-negative multiple of 64") == true)
        let negative = Support.decodeError(try withOffset { _ in -64 })
        #expect(negative?.message == "constant 'b0': offset -64 is not a non-negative multiple of 64")
        let inManifest = Support.decodeError(try withOffset { _ in 64 })
        #expect(inManifest?.field == "constants[1].offset")
        #expect(inManifest?.message.hasPrefix("constant 'b0': offset 64 lies inside the header or manifest") == true)
        let pastEnd = Support.decodeError(try withOffset { $0 + 1 << 20 })
        #expect(pastEnd?.field == "constants[1].offset")
        #expect(pastEnd?.message.contains("lies past the end of the file") == true)
        let overflow = Support.decodeError(try withOffset { _ in Int64.max - 63 })
        #expect(overflow?.message.contains("lies past the end of the file") == true)
    }

    @Test("a blob length that does not match the tensor")
    func blobLength() throws {
        let bytes = try Support.edited { manifest in
            Support.editElement(&manifest, key: "constants", index: 0) { entry in
                entry = Support.replacing(entry, key: "length", with: 100)
            }
        }
        #expect(
            Support.decodeError(bytes)
                == ModelError(
                    field: "constants[0].length",
                    "constant 'w0' has length 100 but tensor 'w0' (int8 [4, 3, 3, 2]) needs 72 bytes"))
    }

    @Test("constants for unknown tensors, twice for one tensor, and absurd shapes")
    func constantEntries() throws {
        let undeclared = try Support.edited { manifest in
            Support.editElement(&manifest, key: "constants", index: 0) { entry in
                entry = Support.replacing(entry, key: "tensor", with: "ghost")
            }
        }
        #expect(
            Support.decodeError(undeclared)
                == ModelError(field: "constants[0].tensor", "constant data for undeclared tensor 'ghost'"))
        let twice = try Support.edited { manifest in
            Support.editElement(&manifest, key: "constants", index: 1) { entry in
                entry = Support.replacing(entry, key: "tensor", with: "w0")
            }
        }
        #expect(
            Support.decodeError(twice)
                == ModelError(field: "constants[1].tensor", "tensor 'w0' has more than one constant entry"))
        let huge = try Support.edited { manifest in
            Support.editElement(&manifest, key: "tensors", index: 3) { tensor in
                tensor = Support.replacing(tensor, key: "shape", with: [1, 4_294_967_296, 4_294_967_296, 4])
            }
        }
        #expect(
            Support.decodeError(huge)
                == ModelError(
                    field: "tensors[3].shape", "tensor 'a0' with shape [1, 4294967296, 4294967296, 4] is too large"))
        let negative = try Support.edited { manifest in
            Support.editElement(&manifest, key: "tensors", index: 3) { tensor in
                tensor = Support.replacing(tensor, key: "shape", with: [1, -8, 8, 4])
            }
        }
        #expect(
            Support.decodeError(negative)
                == ModelError(field: "tensors[3].shape[1]", "tensor 'a0' has extent -8; extents must be positive"))
    }

    @Test("graph validation errors come through with the file, node and field")
    func validation() throws {
        let bytes = try Support.edited { manifest in
            Support.editElement(&manifest, key: "nodes", index: 0) { node in
                Support.editMember(&node, key: "attributes") { attributes in
                    attributes = Support.replacing(attributes, key: "groups", with: 3)
                }
            }
        }
        let error = Support.decodeError(bytes, file: "m.q")
        #expect(error?.file == "m.q")
        #expect(error?.node == "conv0")
        #expect(error?.field == "attributes.groups")
    }
}
