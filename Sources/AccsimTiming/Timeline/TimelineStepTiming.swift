/// When one step of a timeline ran.
public struct TimelineStepTiming: Sendable, Hashable {
    /// Cycle the step started: a transfer's issue, a compute step's start.
    public var start: Int
    /// Cycle the step finished: a transfer's completion, a compute step's end.
    public var end: Int
    /// For a compute step, cycles between the end of the previous compute step and this one's
    /// start (0 for the first compute step, whose wait is the prologue, and for transfers).
    public var stall: Int
    /// The cause of `stall`, when it is positive.
    public var stallCause: StallCause?
    /// For a stalled compute step, the index of the transfer it waited for (the one that
    /// finished last among those it needed).
    public var waitedFor: Int?

    /// A step's timing as given.
    public init(start: Int, end: Int, stall: Int = 0, stallCause: StallCause? = nil, waitedFor: Int? = nil) {
        self.start = start
        self.end = end
        self.stall = stall
        self.stallCause = stallCause
        self.waitedFor = waitedFor
    }

    /// `end − start`.
    public var duration: Int { end - start }
}
