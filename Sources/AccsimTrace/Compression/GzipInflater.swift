import CZlib

/// Inflates a sequence of gzip members (any gzip file: one member or many) incrementally, and
/// knows which member every output byte came from, so errors can name the byte offset of the
/// damaged member.
final class GzipInflater {
    /// A failure of the compressed stream, at the member starting at `memberOffset`.
    struct Failure: Error {
        var memberOffset: Int
        var isTruncation: Bool
        var message: String
    }

    private let input: [UInt8]
    private var stream = z_stream()
    private var position = 0
    private var inMember = false
    private var initialized = false
    /// Compressed offset of the member being inflated (or the last one).
    private(set) var memberOffset = 0
    /// Uncompressed bytes produced so far.
    private(set) var produced = 0
    /// For each member: uncompressed offsets of its first byte and past its last (nil while
    /// open), and its compressed offset.
    private(set) var members: [(uncompressed: Int, end: Int?, compressed: Int)] = []

    init(_ input: [UInt8]) {
        self.input = input
    }

    deinit {
        if initialized { inflateEnd(&stream) }
    }

    /// Whether every member has been inflated and no input is left.
    var isAtEnd: Bool { !inMember && position >= input.count }

    /// The compressed offset of the member that produced (or is producing) uncompressed byte
    /// `offset`; nil when no member started has reached it.
    func memberOffset(ofUncompressed offset: Int) -> Int? {
        for member in members.reversed() where member.uncompressed <= offset {
            return member.end.map { offset < $0 } ?? true ? member.compressed : nil
        }
        return nil
    }

    /// Compressed bytes consumed so far.
    var consumed: Int { position }

    /// Up to `capacity` more uncompressed bytes (empty at the end of the input), and the failure
    /// that stopped inflation, if any: the bytes produced before a failure are returned with it.
    func read(capacity: Int) -> (bytes: [UInt8], failure: Failure?) {
        var output = [UInt8](repeating: 0, count: capacity)
        var filled = 0
        var failure: Failure?
        reading: while filled < capacity {
            if !inMember {
                if position >= input.count { break }
                do {
                    try startMember()
                } catch {
                    failure = error
                    break
                }
            }
            let (status, consumed, written, message) = input.withUnsafeBufferPointer { source in
                output.withUnsafeMutableBufferPointer { target in
                    stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress! + position)
                    stream.avail_in = uInt(source.count - position)
                    stream.next_out = target.baseAddress! + filled
                    stream.avail_out = uInt(capacity - filled)
                    let availIn = stream.avail_in
                    let availOut = stream.avail_out
                    let status = inflate(&stream, Z_NO_FLUSH)
                    let message = stream.msg.map { String(cString: $0) }
                    return (status, Int(availIn - stream.avail_in), Int(availOut - stream.avail_out), message)
                }
            }
            position += consumed
            filled += written
            produced += written
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                inMember = false
                members[members.count - 1].end = produced
                if let field = GzipMember.extraField(in: input, at: memberOffset), field.size != position - memberOffset
                {
                    failure = Failure(
                        memberOffset: memberOffset, isTruncation: false,
                        message:
                            "gzip member claims \(field.size) bytes but its deflate stream ends after \(position - memberOffset)"
                    )
                    break reading
                }
            case Z_BUF_ERROR where position >= input.count:
                failure = Failure(
                    memberOffset: memberOffset, isTruncation: true,
                    message: "the file ends inside a gzip member (truncated)")
                break reading
            case Z_BUF_ERROR where consumed > 0 || written > 0:
                continue
            default:
                failure = Failure(
                    memberOffset: memberOffset, isTruncation: false,
                    message: "corrupt gzip data (zlib: \(message ?? "status \(status)"))")
                break reading
            }
        }
        output.removeLast(capacity - filled)
        if failure != nil {
            position = input.count
            inMember = false
        }
        return (output, failure)
    }

    /// Checks the member magic at the current position and resets zlib for it.
    private func startMember() throws(Failure) {
        memberOffset = position
        guard input.count - position >= 2, input[position] == 0x1F, input[position + 1] == 0x8B else {
            if input.count - position < 2 && input[position] == 0x1F {
                throw Failure(
                    memberOffset: position, isTruncation: true,
                    message: "the file ends inside a gzip member header (truncated)")
            }
            throw Failure(
                memberOffset: position, isTruncation: false,
                message: "expected a gzip member (1f 8b), found other bytes")
        }
        if initialized {
            inflateReset(&stream)
        } else {
            let status = inflateInit2_(&stream, 31, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
            guard status == Z_OK else {
                throw Failure(
                    memberOffset: position, isTruncation: false, message: "zlib inflateInit2 failed (\(status))")
            }
            initialized = true
        }
        members.append((produced, nil, position))
        inMember = true
    }
}
