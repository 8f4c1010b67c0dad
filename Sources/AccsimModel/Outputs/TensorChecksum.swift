import AccsimArithmetic
import AccsimChecksum

/// Checksums of tensor contents, as reports and traces state them.
public enum TensorChecksum {
    /// CRC32 (zlib) of the tensor's elements packed little-endian at their stored width.
    public static func crc32(_ tensor: IntTensor) -> UInt32 {
        CRC32.checksum(ConstantData(elementType: tensor.elementType, values: tensor.values).bytes)
    }

    /// ``crc32(_:)`` as 8 lowercase hex digits.
    public static func crc32Hex(_ tensor: IntTensor) -> String {
        CRC32.hex(crc32(tensor))
    }
}
