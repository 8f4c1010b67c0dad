import Dispatch
import Foundation

/// Runs a sweep's points on several threads and hands the rows back in grid order.
///
/// Workers take points in grid order from a shared counter; a finished row waits in a reorder
/// buffer until every earlier point is done, then `emit` receives it — so the rows, and the
/// order they arrive in, are the same whatever the number of threads. Points whose id is in
/// `done` (resume) produce no row. Outputs are computed once per ``SweepDataKey``.
///
/// Memory does not grow with the grid: points are made from their grid index when a worker takes
/// them (``SweepSpace/point(at:)``), and a worker waits rather than run more than
/// ``reorderWindow`` points ahead of the oldest unfinished one, which bounds the reorder buffer.
public struct SweepRunner: Sendable {
    /// The sweep.
    public let plan: SweepPlan
    /// Worker threads (at least 1).
    public let jobs: Int

    /// A runner for `plan` on `jobs` threads.
    public init(plan: SweepPlan, jobs: Int) {
        self.plan = plan
        self.jobs = max(1, jobs)
    }

    /// What a run did.
    public struct Statistics: Sendable, Hashable {
        /// Points of the shard.
        public var points: Int
        /// Points simulated (rows emitted).
        public var evaluated: Int
        /// Points skipped because their id was already done.
        public var skipped: Int
        /// Rows with status `invalid`.
        public var invalid: Int
        /// Distinct data keys whose outputs were computed.
        public var dataComputations: Int
    }

    /// Points a worker may run ahead of the oldest unfinished point, per worker.
    public static let reorderWindow = 64

    /// Whether `record` is exactly the `slot`-th point of `shard`, as this plan would write it:
    /// its grid index, model, setup and varied values match, and (for the first point and every
    /// 4096th) its id equals the point's id, which checks the base config. Resume uses it to
    /// count the leading rows of a results file as done without remembering them
    /// (``SweepOutput/open(path:format:keys:force:prefix:)``). A mismatch only means the row
    /// is remembered by id instead.
    public func prefixCheck(shard: SweepShard) -> @Sendable (_ slot: Int, _ record: SweepRecord) -> Bool {
        let plan = plan
        let evaluator = SweepEvaluator(plan: plan, cache: SweepDataCache(), dataThreads: 1)
        return { slot, record in
            let gridIndex = shard.gridIndex(ofSlot: slot)
            guard gridIndex < plan.space.pointCount, record.index == gridIndex else { return false }
            let point = plan.space.point(at: gridIndex)
            guard record.fields["model_hash"]?.stringValue == plan.models[point.modelIndex].contentHash,
                record.setupHash == plan.setupHashes[point.modelIndex]
            else { return false }
            let values = record.values
            guard values.count == point.assignments.count else { return false }
            for assignment in point.assignments {
                guard let value = values[assignment.key],
                    SweepValueIdentity(value) == SweepValueIdentity(assignment.value)
                else { return false }
            }
            return slot % 4096 != 0 || evaluator.resolve(point).id == record.id
        }
    }

    /// Evaluates the points of `shard` in grid order, skipping those whose id is in `done` (id →
    /// the setup hash of the row already there; a point done with another setup — other input
    /// data, labels or requantizer conversion — is an error, not skipped). `emit` receives each
    /// row in grid order, on one thread at a time; an error it throws stops the run and is
    /// rethrown. `progress` is called with (points finished, points of the shard) after every
    /// point. The first `startSlot` points of the shard are taken as done without being looked at
    /// (``SweepOutput/doneSlots``).
    public func run(
        shard: SweepShard = .all, startSlot: Int = 0, done: [String: String] = [:],
        emit: @escaping @Sendable (SweepRow) throws -> Void,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws -> Statistics {
        let evaluator = SweepEvaluator(plan: plan, cache: SweepDataCache(), dataThreads: jobs)
        let space = plan.space
        let count = shard.pointCount(total: space.pointCount)
        let start = min(max(0, startSlot), count)
        let workers = min(jobs, max(1, count - start))
        let state = SweepRunState(count: count, start: start, window: Self.reorderWindow * workers, emit: emit)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let slot = state.nextSlot() {
                let resolved = evaluator.resolve(space.point(at: shard.gridIndex(ofSlot: slot)))
                if let setup = done[resolved.id] {
                    guard setup == plan.setupHashes[resolved.point.modelIndex] else {
                        state.fail(
                            SweepError(
                                "point \(resolved.id) (grid index \(resolved.point.index)) is already in the results, computed with "
                                    + "other input data, labels or --adapt-requant; use another --out or pass --force to start over"
                            ))
                        return
                    }
                }
                let row = done[resolved.id] != nil ? nil : evaluator.evaluate(resolved)
                let finished = state.complete(slot: slot, row: row)
                progress?(finished, count)
            }
        }
        if let error = state.failure { throw error }
        return Statistics(
            points: count, evaluated: state.emitted, skipped: start + state.skipped, invalid: state.invalid,
            dataComputations: evaluator.cache.computationCount)
    }
}

/// The shared state of a run: the next slot to hand out and the reorder buffer, which holds at
/// most `window` rows: a worker waits before taking a slot that far ahead of the next to emit.
private final class SweepRunState: @unchecked Sendable {
    private let lock = NSCondition()
    private let count: Int
    private let window: Int
    private let emit: @Sendable (SweepRow) throws -> Void
    private var next: Int
    private var pending: [Int: SweepRow?] = [:]
    private var nextToEmit: Int
    private var finished: Int
    private(set) var emitted = 0
    private(set) var skipped = 0
    private(set) var invalid = 0
    private(set) var failure: (any Error)?

    init(count: Int, start: Int, window: Int, emit: @escaping @Sendable (SweepRow) throws -> Void) {
        self.count = count
        self.window = max(1, window)
        self.emit = emit
        next = start
        nextToEmit = start
        finished = start
    }

    /// The next slot to evaluate, or nil when all are taken or the run failed.
    func nextSlot() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        while failure == nil, next < count, next - nextToEmit >= window { lock.wait() }
        guard failure == nil, next < count else { return nil }
        next += 1
        return next - 1
    }

    /// Stops the run with `error` (the first error wins).
    func fail(_ error: any Error) {
        lock.lock()
        defer { lock.unlock() }
        if failure == nil { failure = error }
        lock.broadcast()
    }

    /// Records slot `slot`'s row (nil: skipped) and emits every row now in order; returns the
    /// number of slots finished.
    func complete(slot: Int, row: SweepRow?) -> Int {
        lock.lock()
        defer { lock.unlock() }
        defer { lock.broadcast() }
        pending[slot] = .some(row)
        finished += 1
        while failure == nil, let ready = pending.removeValue(forKey: nextToEmit) {
            nextToEmit += 1
            guard let row = ready else {
                skipped += 1
                continue
            }
            do {
                try emit(row)
                emitted += 1
                if row.status == .invalid { invalid += 1 }
            } catch {
                failure = error
            }
        }
        return finished
    }
}
