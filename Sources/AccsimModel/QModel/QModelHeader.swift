import AccsimChecksum

/// The 64-byte header of a `.q` file (docs/model-format.md, "Header").
struct QModelHeader: Sendable, Hashable {
    var formatVersion: UInt32 = QModelFormat.version
    var flags: UInt32 = QModelFormat.flags
    var manifestOffset: UInt64 = UInt64(QModelFormat.headerSize)
    var manifestLength: UInt64
    var manifestCRC32: UInt32
    var fileLength: UInt64

    init(manifestLength: UInt64, manifestCRC32: UInt32, fileLength: UInt64) {
        self.manifestLength = manifestLength
        self.manifestCRC32 = manifestCRC32
        self.fileLength = fileLength
    }

    /// The 64 header bytes, ending with the CRC-32 of the first 60.
    func encoded() -> [UInt8] {
        var bytes = QModelFormat.magic
        LittleEndian.append(formatVersion, to: &bytes)
        LittleEndian.append(flags, to: &bytes)
        LittleEndian.append(manifestOffset, to: &bytes)
        LittleEndian.append(manifestLength, to: &bytes)
        LittleEndian.append(manifestCRC32, to: &bytes)
        LittleEndian.append(UInt32(0), to: &bytes)
        LittleEndian.append(fileLength, to: &bytes)
        bytes.append(contentsOf: repeatElement(0, count: 12))
        LittleEndian.append(CRC32.checksum(bytes), to: &bytes)
        return bytes
    }

    /// Reads and checks the header of `bytes`, in this order: magic, size, format version, header
    /// CRC, flags, reserved fields, manifest offset, and the file length against `bytes.count`.
    static func decode(_ bytes: [UInt8]) throws(ModelError) -> QModelHeader {
        let magic = QModelFormat.magic
        if bytes.isEmpty { throw ModelError("not an accsim .q file (the file is empty)") }
        let prefixLength = min(bytes.count, magic.count)
        guard bytes[0..<prefixLength].elementsEqual(magic[0..<prefixLength]) else {
            throw ModelError(field: "magic", "not an accsim .q file (bad magic)")
        }
        let size = QModelFormat.headerSize
        guard bytes.count >= size else {
            throw ModelError(
                "truncated: the file has \(bytes.count) bytes, less than the \(size)-byte header (\(size - bytes.count) bytes missing)"
            )
        }
        let version = LittleEndian.uint32(bytes, at: 8)
        if version > QModelFormat.version {
            throw ModelError(
                field: "format_version",
                "written by a newer accsim (format version \(version), this accsim reads up to \(QModelFormat.version))"
            )
        }
        if version == 0 { throw ModelError(field: "format_version", "format version 0 is invalid") }
        let stored = LittleEndian.uint32(bytes, at: 60)
        let computed = CRC32.checksum(bytes[0..<60])
        guard stored == computed else {
            throw ModelError(
                field: "header_crc32",
                "header CRC mismatch (stored 0x\(CRC32.hex(stored)), computed 0x\(CRC32.hex(computed))): the header is damaged"
            )
        }
        let flags = LittleEndian.uint32(bytes, at: 12)
        if flags != QModelFormat.flags {
            throw ModelError(
                field: "flags", "unknown flags 0x\(CRC32.hex(flags)) (format version \(version) defines none)")
        }
        if LittleEndian.uint32(bytes, at: 36) != 0 || bytes[48..<60].contains(where: { $0 != 0 }) {
            throw ModelError(field: "reserved", "reserved header bytes are not zero")
        }
        let manifestOffset = LittleEndian.uint64(bytes, at: 16)
        guard manifestOffset == UInt64(size) else {
            throw ModelError(
                field: "manifest_offset",
                "manifest_offset is \(manifestOffset); format version \(version) puts the manifest at \(size)")
        }
        let fileLength = LittleEndian.uint64(bytes, at: 40)
        let actual = UInt64(bytes.count)
        if fileLength > actual {
            throw ModelError(
                field: "file_length",
                "truncated: the header declares \(fileLength) bytes but the file has \(actual) (\(fileLength - actual) bytes missing)"
            )
        }
        if fileLength < actual {
            throw ModelError(
                field: "file_length",
                "the file has \(actual - fileLength) unexpected bytes after its declared length of \(fileLength)")
        }
        let manifestLength = LittleEndian.uint64(bytes, at: 24)
        guard manifestLength <= fileLength - manifestOffset else {
            throw ModelError(
                field: "manifest_length",
                "the manifest (\(manifestLength) bytes at offset \(manifestOffset)) runs past the end of the file (\(fileLength) bytes)"
            )
        }
        var header = QModelHeader(
            manifestLength: manifestLength, manifestCRC32: LittleEndian.uint32(bytes, at: 32), fileLength: fileLength)
        header.formatVersion = version
        return header
    }
}
