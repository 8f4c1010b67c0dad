import CZlib

/// Whole-stream gzip and gunzip through zlib, as another tool would produce and read them.
enum GzipTestSupport {
    struct Failure: Error {
        var status: Int32
    }

    /// All members of a gzip file, concatenated.
    static func inflate(_ bytes: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 31, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure(status: -1)
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var position = 0
        while position < bytes.count {
            let (status, consumed, produced) = bytes.withUnsafeBufferPointer { input in
                buffer.withUnsafeMutableBufferPointer { out in
                    stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + position)
                    stream.avail_in = uInt(input.count - position)
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    let before = stream.avail_in
                    let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return (status, Int(before - stream.avail_in), out.count - Int(stream.avail_out))
                }
            }
            position += consumed
            output += buffer[0..<produced]
            if status == Z_STREAM_END {
                inflateReset(&stream)
            } else if status != Z_OK {
                throw Failure(status: status)
            }
        }
        return output
    }

    /// One gzip member written by zlib (its own header).
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        guard
            deflateInit2_(
                &stream, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
                == Z_OK
        else {
            throw Failure(status: -1)
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 64)
        let produced = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                _ = deflate(&stream, Z_FINISH)
                return out.count - Int(stream.avail_out)
            }
        }
        return Array(output[0..<produced])
    }
}
