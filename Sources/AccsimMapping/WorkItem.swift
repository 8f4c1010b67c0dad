import AccsimTiming

/// A transfer before the emitter places it: buffer halves, addresses, banks and dependencies are
/// filled in by ``StepEmitter``.
struct PendingTransfer: Sendable {
    var direction: DMADirection
    var buffer: BufferKind
    var tensor: String
    var dramAddress: Int
    var pattern: DMAPattern
}

/// One compute step with the transfers that belong to it: the loads it needs that are not resident
/// yet, and the stores of the outputs it completes.
struct WorkItem: Sendable {
    /// Loads into the input and weight buffers. Loads of the same buffer in one item fill one
    /// buffer generation, placed one after another in the half.
    var loads: [PendingTransfer]
    /// Whether the step starts writing a new output tile (a new generation of the output buffer).
    var startsOutputGeneration: Bool
    /// The compute step; its waits and output half are filled in by the emitter.
    var compute: ComputeStep
    /// Stores from the output buffer after the step.
    var stores: [PendingTransfer]
}
