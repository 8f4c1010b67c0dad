/// Products of operands wider than the array's multipliers, computed in passes.
///
/// An operand of `b` bits on a `w`-bit multiplier is split into `s = ⌈b / w⌉` slices of `w` bits,
/// least significant first: every slice but the top one is unsigned (`0 … 2^w − 1`), the top one
/// keeps the sign (an arithmetic shift), so `value = Σ_i slice_i · 2^(w·i)` for every value.
/// A product `a·b` then takes `s_a · s_b` passes, pass `(i, j)` multiplying slice `i` of `a` by
/// slice `j` of `b` and weighing the result by `2^(w·(i + j))` in the accumulator:
/// int16 × int8 on 8-bit multipliers is 2 passes, int16 × int16 is 4.
///
/// As with single-pass operands, the value a PE multiplies is the zero-point-corrected operand
/// (`x − zp`), so a slice can be one bit wider than `w` (the top slice of a 17-bit `x − zp`).
public enum MultiPass {
    /// Slices of a `bits`-wide operand on a `multiplierBits`-wide multiplier (1 when it fits).
    public static func slices(operandBits: Int, multiplierBits: Int) -> Int {
        max(1, (operandBits + multiplierBits - 1) / multiplierBits)
    }

    /// Passes of a layer with `activation` × `weight` operands on an array multiplying
    /// `arrayInput` × `arrayWeight` (int4 weights sign-extend into an 8-bit multiplier: one pass).
    public static func passes(
        activation: ElementType, weight: ElementType, arrayInput: ElementType, arrayWeight: ElementType
    ) -> Int {
        slices(operandBits: activation.bitWidth, multiplierBits: arrayInput.bitWidth)
            * slices(operandBits: weight.bitWidth, multiplierBits: arrayWeight.bitWidth)
    }

    /// Slice `index` (0 = least significant) of `value` cut into `count` slices of `width` bits.
    @inlinable
    public static func slice(_ value: Int32, index: Int, count: Int, width: Int) -> Int32 {
        let shifted = value >> Int32(width * index)
        return index == count - 1 ? shifted : shifted & Int32((1 << width) - 1)
    }

    /// The exact sum `Σ_k a[k]·b[k]` computed as the array does in passes: pass `(i, j)` sums
    /// the products of slice `i` of `a` and slice `j` of `b` (exact in 64 bits), and the passes are
    /// combined with the shift `w·(i + j)`. Equals the direct sum for every input.
    public static func dot(
        _ a: [Int32], _ b: [Int32], activationSlices: Int, weightSlices: Int, width: Int = 8
    ) -> Int64 {
        precondition(a.count == b.count, "MultiPass.dot: \(a.count) and \(b.count) operands")
        var total: Int64 = 0
        for i in 0..<activationSlices {
            for j in 0..<weightSlices {
                var pass: Int64 = 0
                for k in a.indices {
                    let x = slice(a[k], index: i, count: activationSlices, width: width)
                    let w = slice(b[k], index: j, count: weightSlices, width: width)
                    pass += Int64(x) * Int64(w)
                }
                total += pass << Int64(width * (i + j))
            }
        }
        return total
    }
}
