extension ReferenceKernels {
    /// A 256-entry table lookup: the output for stored value `q` is `table[q − inputType.min]`,
    /// i.e. `table[q + 128]` for int8 and `table[q]` for uint8 inputs. The index depends only on
    /// the input's element type; the entries are already in `outputType`.
    public static func lookupTable(_ input: IntTensor, parameters: LookupTableParameters, outputType: ElementType)
        -> IntTensor
    {
        let offset = input.elementType.minValue
        let table = parameters.table
        let values = input.values.map { q -> Int32 in
            let index = Int(q) - Int(offset)
            precondition(
                table.indices.contains(index), "lookupTable: value \(q) outside the \(table.count)-entry table")
            return table[index]
        }
        return IntTensor(shape: input.shape, elementType: outputType, values: values)
    }
}
