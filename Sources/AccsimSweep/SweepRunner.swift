import Dispatch
import Foundation

/// Runs a sweep's points on several threads and hands the rows back in grid order.
///
/// Workers take points in grid order from a shared counter; a finished row waits in a reorder
/// buffer until every earlier point is done, then `emit` receives it — so the rows, and the
/// order they arrive in, are the same whatever the number of threads. Points whose id is in
/// `done` (resume) produce no row. Outputs are computed once per ``SweepDataKey``.
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

    /// Evaluates the points of `shard` in grid order, skipping those whose id is in `done` (id →
    /// the setup hash of the row already there; a point done with another setup — other input
    /// data, labels or requantizer conversion — is an error, not skipped). `emit` receives each
    /// row in grid order, on one thread at a time; an error it throws stops the run and is
    /// rethrown. `progress` is called with (points finished, points of the shard) after every
    /// point.
    public func run(
        shard: SweepShard = .all, done: [String: String] = [:],
        emit: @escaping @Sendable (SweepRow) throws -> Void,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws -> Statistics {
        let evaluator = SweepEvaluator(plan: plan, cache: SweepDataCache(), dataThreads: jobs)
        let space = plan.space
        let count = shard.pointCount(total: space.pointCount)
        let state = SweepRunState(count: count, emit: emit)
        let workers = min(jobs, max(1, count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let slot = state.nextSlot() {
                let resolved = evaluator.resolve(space.point(at: shard.gridIndex(ofSlot: slot)))
                if let setup = done[resolved.id] {
                    guard setup == plan.setupHashes[resolved.point.modelIndex] else {
                        state.fail(SweepError(
                            "point \(resolved.id) (grid index \(resolved.point.index)) is already in the results, computed with "
                                + "other input data, labels or --adapt-requant; use another --out or pass --force to start over"))
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
            points: count, evaluated: state.emitted, skipped: state.skipped, invalid: state.invalid,
            dataComputations: evaluator.cache.computationCount)
    }
}

/// The shared state of a run: the next slot to hand out and the reorder buffer.
private final class SweepRunState: @unchecked Sendable {
    private let lock = NSLock()
    private let count: Int
    private let emit: @Sendable (SweepRow) throws -> Void
    private var next = 0
    private var pending: [Int: SweepRow?] = [:]
    private var nextToEmit = 0
    private var finished = 0
    private(set) var emitted = 0
    private(set) var skipped = 0
    private(set) var invalid = 0
    private(set) var failure: (any Error)?

    init(count: Int, emit: @escaping @Sendable (SweepRow) throws -> Void) {
        self.count = count
        self.emit = emit
    }

    /// The next slot to evaluate, or nil when all are taken or the run failed.
    func nextSlot() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard failure == nil, next < count else { return nil }
        next += 1
        return next - 1
    }

    /// Stops the run with `error` (the first error wins).
    func fail(_ error: any Error) {
        lock.lock()
        defer { lock.unlock() }
        if failure == nil { failure = error }
    }

    /// Records slot `slot`'s row (nil: skipped) and emits every row now in order; returns the
    /// number of slots finished.
    func complete(slot: Int, row: SweepRow?) -> Int {
        lock.lock()
        defer { lock.unlock() }
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
