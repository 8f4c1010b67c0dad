/// An error reading, writing or using a trace, with where it happened: the file, the chunk and
/// the byte offset, so that a damaged file can be inspected by hand.
public struct TraceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, broadly.
    public enum Kind: String, Sendable, Hashable {
        /// The file could not be opened, read or written.
        case io
        /// The file ends early: part of a chunk, or the end marker, is missing.
        case truncated
        /// A checksum, magic number, length or record does not match.
        case corrupt
        /// The file was written by a newer format version.
        case unsupportedVersion
        /// An argument is not valid (a layer list, a cycle window, an option).
        case usage
    }

    /// What went wrong, broadly.
    public var kind: Kind
    /// The trace file, when there is one.
    public var file: String?
    /// The chunk concerned: 0 is the file header, records start at chunk 1.
    public var chunk: Int?
    /// Byte offset in the file (compressed) where the damaged gzip member starts.
    public var offset: Int?
    /// Byte offset in the uncompressed stream where the damaged chunk starts.
    public var uncompressedOffset: Int?
    /// What is wrong.
    public var message: String

    /// An error as given.
    public init(
        _ kind: Kind, file: String? = nil, chunk: Int? = nil, offset: Int? = nil, uncompressedOffset: Int? = nil,
        _ message: String
    ) {
        self.kind = kind
        self.file = file
        self.chunk = chunk
        self.offset = offset
        self.uncompressedOffset = uncompressedOffset
        self.message = message
    }

    /// `FILE: chunk 3 (gzip member at byte 1234, uncompressed offset 5678): message`.
    public var description: String {
        var place: [String] = []
        if let offset { place.append("gzip member at byte \(offset)") }
        if let uncompressedOffset { place.append("uncompressed offset \(uncompressedOffset)") }
        var text = file.map { "\($0): " } ?? ""
        if let chunk {
            text += chunk == 0 ? "file header" : "chunk \(chunk)"
            if !place.isEmpty { text += " (\(place.joined(separator: ", ")))" }
            text += ": "
        } else if !place.isEmpty {
            text += place.joined(separator: ", ") + ": "
        }
        return text + message
    }
}
