import AccsimArithmetic
import AccsimChecksum

/// Checksums of tensor contents, as reports and traces state them.
public enum TensorChecksum {
    /// CRC32 (zlib) of the tensor's elements packed little-endian at their stored width.
    public static func crc32(_ tensor: IntTensor) -> UInt32 {
        CRC32.checksum(ConstantData(elementType: tensor.elementType, values: tensor.values).bytes)
    }

    /// ``crc32(_:)`` of the elements `crc` covers followed by `tensor`'s: from `crc32` of an
    /// empty tensor (0), the chunks of a batch in order give ``crc32(_:)`` of the whole batch.
    public static func update(_ crc: UInt32, with tensor: IntTensor) -> UInt32 {
        CRC32.update(crc, with: ConstantData(elementType: tensor.elementType, values: tensor.values).bytes[...])
    }

    /// A CRC-32 (``crc32(_:)``, ``update(_:with:)``) as 8 lowercase hex digits.
    public static func hex(_ crc: UInt32) -> String {
        CRC32.hex(crc)
    }

    /// ``crc32(_:)`` as 8 lowercase hex digits.
    public static func crc32Hex(_ tensor: IntTensor) -> String {
        CRC32.hex(crc32(tensor))
    }
}
