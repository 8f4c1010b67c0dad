/// One step of a layer's schedule with its sequence number (unique and increasing across the whole
/// schedule, so a trace can compare order alone).
public struct ScheduleStep: Sendable, Hashable {
    /// A DMA transfer or a compute step.
    public enum Action: Sendable, Hashable {
        /// A DMA transfer.
        case transfer(DMATransfer)
        /// A compute step.
        case compute(ComputeStep)
    }

    /// Position in the whole schedule.
    public var sequence: Int
    /// What the step does.
    public var action: Action

    /// A step as given.
    public init(sequence: Int, action: Action) {
        self.sequence = sequence
        self.action = action
    }

    /// The transfer, if the step is one.
    public var transfer: DMATransfer? {
        if case .transfer(let transfer) = action { return transfer }
        return nil
    }

    /// The compute step, if the step is one.
    public var compute: ComputeStep? {
        if case .compute(let compute) = action { return compute }
        return nil
    }
}
