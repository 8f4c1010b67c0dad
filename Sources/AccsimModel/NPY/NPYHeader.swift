/// The header of a `.npy` file (NumPy format versions 1.0, 2.0 and 3.0): the preamble (magic,
/// version, header length) and the dictionary `{'descr': …, 'fortran_order': …, 'shape': …}`.
struct NPYHeader: Sendable, Hashable {
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    var dtype: NPYDType
    var shape: [Int]

    /// The decoded header and the offset where the data starts.
    static func decode(_ bytes: [UInt8]) throws(ModelError) -> (header: NPYHeader, dataOffset: Int) {
        if bytes.isEmpty { throw ModelError("not a NumPy .npy file (the file is empty)") }
        let prefix = min(bytes.count, magic.count)
        guard bytes[0..<prefix].elementsEqual(magic[0..<prefix]) else {
            throw ModelError(field: "magic", "not a NumPy .npy file (bad magic)")
        }
        guard bytes.count >= 10 else {
            throw ModelError("truncated: the file has \(bytes.count) bytes, less than the 10-byte preamble")
        }
        let major = bytes[6]
        let minor = bytes[7]
        let headerStart: Int
        let headerLength: Int
        switch major {
        case 1:
            headerStart = 10
            headerLength = Int(LittleEndian.uint16(bytes, at: 8))
        case 2, 3:
            guard bytes.count >= 12 else {
                throw ModelError(
                    "truncated: the file has \(bytes.count) bytes, less than the 12-byte preamble of format \(major).\(minor)"
                )
            }
            headerStart = 12
            guard let length = Int(exactly: LittleEndian.uint32(bytes, at: 8)) else {
                throw ModelError(field: "header", "header length out of range")
            }
            headerLength = length
        default:
            throw ModelError(
                field: "version", "format version \(major).\(minor) is not supported (accsim reads 1.0, 2.0 and 3.0)")
        }
        let dataOffset = headerStart + headerLength
        guard dataOffset <= bytes.count else {
            throw ModelError(
                field: "header",
                "truncated: the header ends at byte \(dataOffset) but the file has \(bytes.count) bytes (\(dataOffset - bytes.count) missing)"
            )
        }
        let literal = try PythonLiteral.parse(Array(bytes[headerStart..<dataOffset]))
        return (try interpret(literal), dataOffset)
    }

    /// The dtype and shape of a header dictionary, which must hold exactly `descr`,
    /// `fortran_order` (False) and `shape` (a tuple of non-negative integers).
    private static func interpret(_ literal: PythonLiteral) throws(ModelError) -> NPYHeader {
        guard case .dict(let members) = literal else {
            throw ModelError(field: "header", "the header is \(literal.summary), not a dict")
        }
        var descr: String?
        var fortranOrder: Bool?
        var shape: [Int]?
        for (key, value) in members {
            switch key {
            case "descr":
                guard case .string(let string) = value else {
                    throw ModelError(field: "descr", "structured dtypes are not supported (descr is \(value.summary))")
                }
                descr = string
            case "fortran_order":
                guard case .bool(let flag) = value else {
                    throw ModelError(field: "fortran_order", "expected True or False, found \(value.summary)")
                }
                fortranOrder = flag
            case "shape":
                guard case .tuple(let extents) = value else {
                    throw ModelError(field: "shape", "expected a tuple of integers, found \(value.summary)")
                }
                var dimensions: [Int] = []
                for extent in extents {
                    guard case .int(let dimension) = extent, dimension >= 0 else {
                        throw ModelError(field: "shape", "expected non-negative integers, found \(extent.summary)")
                    }
                    dimensions.append(dimension)
                }
                shape = dimensions
            default:
                throw ModelError(field: "header", "unexpected key '\(key)' in the header")
            }
        }
        guard let descr else { throw ModelError(field: "header", "the header has no 'descr'") }
        guard let fortranOrder else { throw ModelError(field: "header", "the header has no 'fortran_order'") }
        guard let shape else { throw ModelError(field: "header", "the header has no 'shape'") }
        let dtype = try NPYDType(descr: descr)
        if fortranOrder {
            throw ModelError(
                field: "fortran_order",
                "Fortran-order (column-major) arrays are not supported; save a C-order array (np.ascontiguousarray)")
        }
        return NPYHeader(dtype: dtype, shape: shape)
    }

    /// The preamble and header NumPy writes for this dtype and shape: format 1.0 (2.0 when the
    /// header does not fit 1.0), keys sorted, spare room for the first extent to grow, padded with
    /// spaces and a newline so that the data starts at a multiple of 64.
    func encoded() -> [UInt8] {
        let shapeText: String
        switch shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(shape[0]),)"
        default: shapeText = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
        var text = "{'descr': '\(dtype.descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        if let first = shape.first {
            // NumPy leaves room for the growth axis to reach 21 digits.
            text += String(repeating: " ", count: max(0, 21 - String(first).count))
        }
        let header = Array(text.utf8)
        for (major, lengthSize) in [(UInt8(1), 2), (UInt8(2), 4)] {
            let preamble = Self.magic.count + 2 + lengthSize
            let unpadded = header.count + 1
            let padding = 64 - (preamble + unpadded) % 64
            let length = unpadded + padding
            if lengthSize == 2 && length > Int(UInt16.max) { continue }
            var bytes = Self.magic + [major, 0]
            if lengthSize == 2 {
                LittleEndian.append(UInt16(length), to: &bytes)
            } else {
                LittleEndian.append(UInt32(truncatingIfNeeded: length), to: &bytes)
            }
            bytes += header
            bytes += repeatElement(UInt8(ascii: " "), count: padding)
            bytes.append(UInt8(ascii: "\n"))
            return bytes
        }
        return []
    }
}
