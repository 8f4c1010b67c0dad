import AccsimArithmetic

extension HardwareSimulation {
    /// Sample `index` of every input batch (`[N, …]`), shaped as the graph input.
    public func sample(_ index: Int, of batches: [String: IntTensor]) throws(ExecutionError) -> [String: IntTensor] {
        var inputs: [String: IntTensor] = [:]
        for name in graph.inputs {
            guard let info = graph.tensor(named: name), let batch = batches[name] else {
                throw ExecutionError("no input batch for model input '\(name)'", isBadInput: true)
            }
            let count = batch.shape.first ?? 0
            guard index >= 0 && index < count else {
                throw ExecutionError("sample \(index) is outside the batch of \(count) samples", isBadInput: true)
            }
            let size = info.elementCount
            guard batch.values.count >= (index + 1) * size else {
                throw ExecutionError(
                    "input batch for '\(name)' does not hold \(index + 1) samples of \(info.shape)", isBadInput: true)
            }
            inputs[name] = IntTensor(
                shape: info.shape, elementType: batch.elementType,
                values: Array(batch.values[index * size..<(index + 1) * size]))
        }
        return inputs
    }
}
