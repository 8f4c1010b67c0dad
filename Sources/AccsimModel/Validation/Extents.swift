/// Overflow-checked arithmetic on tensor extents, shared by validation and the importers.
public enum Extents {
    /// The product of `factors`, or nil when it overflows `Int`.
    public static func checkedProduct(_ factors: [Int]) -> Int? {
        var product = 1
        for factor in factors {
            let (next, overflow) = product.multipliedReportingOverflow(by: factor)
            if overflow { return nil }
            product = next
        }
        return product
    }
}
