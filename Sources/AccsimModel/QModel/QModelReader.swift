import AccsimChecksum
import AccsimJSON

/// Reads `.q` model files (docs/model-format.md), checking everything before it is used:
///
/// 1. the header: magic, format version (a newer one is rejected with "written by a newer
///    accsim"), header CRC, flags, reserved bytes, and `file_length` against the actual size
///    (a truncated file says how many bytes are missing);
/// 2. the manifest: its CRC, then the JSON, decoded strictly (an unknown key, a missing key or a
///    value of the wrong type is an error naming its path; an unknown `op` names the node);
/// 3. every constant: offset (aligned, after the manifest, inside the file), length (element count
///    × element width) and CRC, each error naming the tensor;
/// 4. the graph: ``Graph/validate()``.
///
/// Every error is a ``ModelError`` with the file, node and field set where known. No byte sequence
/// makes the reader crash.
public struct QModelReader {
    /// Reads and validates the `.q` file at `path`.
    public static func read(path: String) throws(ModelError) -> Graph {
        let bytes = try BinaryFile.read(path: path)
        return try decode(bytes, file: path)
    }

    /// Decodes and validates the bytes of a `.q` file; errors name `file` when given.
    public static func decode(_ bytes: [UInt8], file: String? = nil) throws(ModelError) -> Graph {
        do {
            return try decodeGraph(bytes)
        } catch {
            guard let file else { throw error }
            throw error.inFile(file)
        }
    }

    /// Checks header and manifest and returns the manifest without reading the constants or
    /// validating the graph (for tools that show what a damaged or invalid file holds).
    public static func decodeManifest(_ bytes: [UInt8], file: String? = nil) throws(ModelError) -> QModelManifest {
        do {
            return try checkedManifest(bytes).manifest
        } catch {
            guard let file else { throw error }
            throw error.inFile(file)
        }
    }

    private static func decodeGraph(_ bytes: [UInt8]) throws(ModelError) -> Graph {
        let (manifest, manifestEnd) = try checkedManifest(bytes)
        try checkShapes(manifest.tensors)
        let constants = try readConstants(manifest, from: bytes, dataStart: manifestEnd)
        try checkPadding(bytes, manifestEnd: manifestEnd, blobs: manifest.constants)
        let graph = Graph(
            name: manifest.name, tensors: manifest.tensors, constants: constants, nodes: manifest.nodes,
            inputs: manifest.inputs, outputs: manifest.outputs, metadata: manifest.metadata)
        try graph.validate()
        let needed = QModelFormat.version(for: graph)
        if manifest.version < Int(needed) {
            throw ModelError(
                field: "version",
                "the file says version \(manifest.version) but uses keys of version \(needed) (layout, float_input, average, int4/int64 types or accumulator)"
            )
        }
        return graph
    }

    /// The decoded manifest and the offset just past it.
    private static func checkedManifest(_ bytes: [UInt8]) throws(ModelError) -> (manifest: QModelManifest, end: Int) {
        let header = try QModelHeader.decode(bytes)
        // The header check bounds the manifest by the file size, which fits Int.
        guard let length = Int(exactly: header.manifestLength) else {
            throw ModelError(field: "manifest_length", "manifest_length \(header.manifestLength) is out of range")
        }
        let start = QModelFormat.headerSize
        let end = start + length
        let manifestBytes = Array(bytes[start..<end])
        let computed = CRC32.checksum(manifestBytes)
        guard computed == header.manifestCRC32 else {
            throw ModelError(
                field: "manifest_crc32",
                "manifest CRC mismatch (stored 0x\(CRC32.hex(header.manifestCRC32)), computed 0x\(CRC32.hex(computed))): the manifest is damaged"
            )
        }
        let value: JSONValue
        do {
            value = try JSONParser().parse(manifestBytes)
        } catch {
            throw ModelError(manifest: error, nodeName: { _ in nil })
        }
        let manifest: QModelManifest
        do {
            manifest = try StrictJSONDecoder().decode(QModelManifest.self, from: value)
        } catch {
            throw ModelError(manifest: error, nodeName: { value["nodes"]?[$0]?["name"]?.stringValue })
        }
        guard manifest.version == Int(header.formatVersion) else {
            throw ModelError(
                field: "version",
                "the manifest says version \(manifest.version) but the header's format_version is \(header.formatVersion)"
            )
        }
        return (manifest, end)
    }

    /// Requires every byte outside the header, the manifest and the blobs to be zero, so that no
    /// byte of a file escapes the checks (the blobs were checked before this is called).
    private static func checkPadding(_ bytes: [UInt8], manifestEnd: Int, blobs: [QModelConstantEntry])
        throws(ModelError)
    {
        var position = manifestEnd
        for blob in blobs.sorted(by: { $0.offset < $1.offset }) {
            if let index = bytes[position..<max(position, blob.offset)].firstIndex(where: { $0 != 0 }) {
                throw ModelError(field: "padding", "padding byte \(index) is not zero: the file is damaged")
            }
            position = max(position, blob.offset + blob.length)
        }
        if let index = bytes[position...].firstIndex(where: { $0 != 0 }) {
            throw ModelError(field: "padding", "padding byte \(index) is not zero: the file is damaged")
        }
    }

    /// Rejects shapes whose element count is not a positive number the reader can compute with
    /// (validation reports the remaining shape problems).
    private static func checkShapes(_ tensors: [TensorInfo]) throws(ModelError) {
        for (index, tensor) in tensors.enumerated() {
            for (axis, extent) in tensor.shape.enumerated() where extent <= 0 {
                throw ModelError(
                    field: "tensors[\(index)].shape[\(axis)]",
                    "tensor '\(tensor.name)' has extent \(extent); extents must be positive")
            }
            if byteCount(of: tensor) == nil {
                throw ModelError(
                    field: "tensors[\(index)].shape", "tensor '\(tensor.name)' with shape \(tensor.shape) is too large")
            }
        }
    }

    /// The tensor's size in bytes, or nil beyond 2^40 elements (or on overflow).
    static func byteCount(of tensor: TensorInfo) -> Int? {
        var count = 1
        for extent in tensor.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            guard !overflow, product <= 1 << 40 else { return nil }
            count = product
        }
        return tensor.elementType.byteCount(elements: count)
    }

    /// The constants, each checked (tensor declared, offset, length, CRC) before its bytes are used.
    private static func readConstants(_ manifest: QModelManifest, from bytes: [UInt8], dataStart: Int)
        throws(ModelError) -> [String: ConstantData]
    {
        var tensorsByName: [String: TensorInfo] = [:]
        for tensor in manifest.tensors where tensorsByName[tensor.name] == nil { tensorsByName[tensor.name] = tensor }
        var constants: [String: ConstantData] = [:]
        for (index, entry) in manifest.constants.enumerated() {
            let field = "constants[\(index)]"
            let name = entry.tensor
            guard let tensor = tensorsByName[name] else {
                throw ModelError(field: field + ".tensor", "constant data for undeclared tensor '\(name)'")
            }
            guard constants[name] == nil else {
                throw ModelError(field: field + ".tensor", "tensor '\(name)' has more than one constant entry")
            }
            guard let expected = byteCount(of: tensor) else {
                throw ModelError(field: field + ".tensor", "tensor '\(name)' with shape \(tensor.shape) is too large")
            }
            guard entry.length == expected else {
                throw ModelError(
                    field: field + ".length",
                    "constant '\(name)' has length \(entry.length) but tensor '\(name)' (\(tensor.elementType.rawValue) \(tensor.shape)) needs \(expected) bytes"
                )
            }
            guard entry.offset >= 0, entry.offset % QModelFormat.alignment == 0 else {
                throw ModelError(
                    field: field + ".offset",
                    "constant '\(name)': offset \(entry.offset) is not a non-negative multiple of \(QModelFormat.alignment)"
                )
            }
            guard entry.offset >= dataStart else {
                throw ModelError(
                    field: field + ".offset",
                    "constant '\(name)': offset \(entry.offset) lies inside the header or manifest (blobs start at byte \(dataStart) or later)"
                )
            }
            let (end, overflow) = entry.offset.addingReportingOverflow(entry.length)
            guard !overflow, end <= bytes.count else {
                throw ModelError(
                    field: field + ".offset",
                    "constant '\(name)' (bytes \(entry.offset)..<\(overflow ? "∞" : String(end))) lies past the end of the file (\(bytes.count) bytes)"
                )
            }
            let blob = bytes[entry.offset..<end]
            let computed = CRC32.checksum(blob)
            guard computed == entry.crc32 else {
                throw ModelError(
                    field: field + ".crc32",
                    "CRC mismatch in constant '\(name)' (stored 0x\(CRC32.hex(entry.crc32)), computed 0x\(CRC32.hex(computed))): its data is damaged"
                )
            }
            constants[name] = ConstantData(elementType: tensor.elementType, bytes: Array(blob))
        }
        return constants
    }
}
