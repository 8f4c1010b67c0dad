import AccsimChecksum
import AccsimJSON

/// Writes `.q` model files (docs/model-format.md).
///
/// The graph is validated first (``Graph/validate()``): a file the reader would reject is never
/// written. The output is deterministic: tensors and nodes in graph order, constants in the order
/// of their tensors, metadata keys sorted, compact JSON; writing the same graph twice gives
/// byte-identical files.
public struct QModelWriter {
    /// The bytes of the `.q` file holding `graph`.
    public static func encode(_ graph: Graph) throws(ModelError) -> [UInt8] {
        try graph.validate()
        let version = QModelFormat.version(for: graph)
        var blobs: [(name: String, bytes: [UInt8], crc: UInt32)] = []
        for tensor in graph.tensors {
            guard let data = graph.constants[tensor.name], !blobs.contains(where: { $0.name == tensor.name }) else {
                continue
            }
            blobs.append((tensor.name, data.bytes, CRC32.checksum(data.bytes)))
        }

        // The blob offsets live in the manifest, which precedes the blobs: lay out from a first
        // estimate until the manifest fits in front of the first blob (offsets only grow, so this
        // ends after one or two rounds).
        func layout(blobStart: Int) throws(ModelError) -> (manifest: [UInt8], entries: [QModelConstantEntry]) {
            var entries: [QModelConstantEntry] = []
            var offset = blobStart
            for blob in blobs {
                guard let aligned = QModelFormat.aligned(offset) else {
                    throw ModelError("the model is too large to lay out")
                }
                entries.append(
                    QModelConstantEntry(tensor: blob.name, offset: aligned, length: blob.bytes.count, crc32: blob.crc))
                offset = aligned + blob.bytes.count
            }
            let manifest = QModelManifest(
                version: Int(version), name: graph.name, metadata: graph.metadata, inputs: graph.inputs,
                outputs: graph.outputs,
                tensors: graph.tensors, constants: entries, nodes: graph.nodes)
            do {
                return (try JSONWriter(style: .compact).encode(manifest), entries)
            } catch {
                throw ModelError(
                    manifest: error, nodeName: { graph.nodes.indices.contains($0) ? graph.nodes[$0].name : nil })
            }
        }

        let headerSize = QModelFormat.headerSize
        var blobStart =
            QModelFormat.aligned(headerSize + (try layout(blobStart: headerSize)).manifest.count) ?? headerSize
        var (manifest, entries) = try layout(blobStart: blobStart)
        while let needed = QModelFormat.aligned(headerSize + manifest.count), needed > blobStart {
            blobStart = needed
            (manifest, entries) = try layout(blobStart: blobStart)
        }

        var body = manifest
        for (entry, blob) in zip(entries, blobs) {
            body.append(contentsOf: repeatElement(0, count: entry.offset - headerSize - body.count))
            body.append(contentsOf: blob.bytes)
        }
        var header = QModelHeader(
            manifestLength: UInt64(manifest.count), manifestCRC32: CRC32.checksum(manifest),
            fileLength: UInt64(headerSize + body.count))
        header.formatVersion = version
        return header.encoded() + body
    }

    /// Writes `graph` to `path` atomically (a temporary file renamed into place). Refuses to
    /// replace an existing file unless `overwrite` is true.
    public static func write(_ graph: Graph, to path: String, overwrite: Bool) throws(ModelError) {
        let bytes = try encode(graph)
        try BinaryFile.write(bytes, to: path, overwrite: overwrite)
    }
}
