/// Memory images in the text format Verilog's `$readmemh` reads: one word per line in
/// hexadecimal, `//` comments allowed.
public enum MemoryImage {
    /// The image of `values`, each a two's complement `bits`-bit element, packed
    /// `elementsPerWord` to a line (element 0 in the least significant bits, like a little-endian
    /// memory word; a last, partial word is padded with zero elements). `comments` become leading
    /// `//` lines.
    public static func readmemh(_ values: [Int32], bits: Int, elementsPerWord: Int = 1, comments: [String] = [])
        -> String
    {
        precondition(
            (1...32).contains(bits) && elementsPerWord >= 1, "element width 1…32 bits, at least one element per word")
        let mask: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
        let digits = (bits * elementsPerWord + 3) / 4
        var text = ""
        for comment in comments { text += "// \(comment)\n" }
        var index = 0
        while index < values.count {
            var word: [UInt64] = []  // little-endian 64-bit limbs of the word
            let limbs = (bits * elementsPerWord + 63) / 64
            word = [UInt64](repeating: 0, count: limbs)
            for slot in 0..<elementsPerWord where index + slot < values.count {
                let element = UInt64(bitPattern: Int64(values[index + slot])) & mask
                let bit = slot * bits
                word[bit / 64] |= element << UInt64(bit % 64)
                if bit % 64 + bits > 64 { word[bit / 64 + 1] |= element >> UInt64(64 - bit % 64) }
            }
            var hex = ""
            for limb in word.reversed() {
                let part = String(limb, radix: 16)
                hex += String(repeating: "0", count: 16 - part.count) + part
            }
            text += String(hex.suffix(digits)) + "\n"
            index += elementsPerWord
        }
        return text
    }
}
