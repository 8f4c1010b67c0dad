import CAccsimKernels
import Foundation
import Synchronization

/// The persistent threads behind ``FastKernels/parallelFor(_:threads:scratch:_:finish:)``.
///
/// Why not `DispatchQueue.concurrentPerform`: measured on a 2-vCPU VM, it starts the second
/// worker 40–60 µs after the call and returns 30–50 µs after the last worker finishes, which on
/// the 0.04–0.7 ms layers of a ResNet costs up to half of what a second thread brings. Here:
/// - the calling thread is worker 0 and starts at once;
/// - helper threads that finished a job spin (``spinNanoseconds``) before they sleep, so the
///   next layer's job reaches them within a microsecond when layers follow each other;
/// - each worker owns one contiguous range of items and takes them front to back; a worker
///   whose range is empty takes items from the back of the fullest other range, so a helper
///   that starts late or runs slow does not hold up the call.
///
/// Items write disjoint outputs (the callers' contract), so results do not depend on which
/// worker ran which item. A call made while the pool is busy (a kernel inside a kernel, or two
/// threads running models at once) runs its items on the calling thread, in order.
final class KernelThreadPool: @unchecked Sendable {
    /// The process's pool: helper threads are created on first use, as many as the widest call
    /// asked for (minus the calling thread), and live until the process exits.
    static let shared = KernelThreadPool()

    /// The most workers one call uses (the calling thread plus helpers).
    static let maximumWorkers = 256

    /// How long an idle helper spins for the next job before it sleeps on a condition variable.
    static let spinNanoseconds: UInt64 = 200_000

    /// The item source of one worker in one job (see ``run(count:workers:_:)``).
    struct Items {
        let ranges: UnsafeMutablePointer<Atomic<UInt64>>
        let workers: Int
        /// The worker this source belongs to.
        let worker: Int

        /// The next item for this worker: the front of its own range, else one item from the
        /// back of the range with the most items left; nil when every range is empty.
        func next() -> Int? {
            var word = ranges[worker].load(ordering: .relaxed)
            while Self.front(word) < Self.back(word) {
                let (exchanged, original) = ranges[worker].compareExchange(
                    expected: word, desired: word &+ 1, ordering: .relaxed)
                if exchanged { return Int(Self.front(word)) }
                word = original
            }
            while true {
                var victim = -1
                var most: UInt64 = 0
                var victimWord: UInt64 = 0
                for other in 0..<workers where other != worker {
                    let w = ranges[other].load(ordering: .relaxed)
                    let left = Self.back(w) > Self.front(w) ? Self.back(w) - Self.front(w) : 0
                    if left > most { (victim, most, victimWord) = (other, left, w) }
                }
                guard victim >= 0 else { return nil }
                let last = Self.back(victimWord) - 1
                let desired = (last << 32) | Self.front(victimWord)
                if ranges[victim].compareExchange(expected: victimWord, desired: desired, ordering: .relaxed).exchanged
                {
                    return Int(last)
                }
            }
        }

        // A range is one word: the next item in the low 32 bits, the end in the high 32 bits, so
        // the owner (front) and a thief (back) claim items with one compare-and-exchange each.
        @inline(__always) private static func front(_ word: UInt64) -> UInt64 { word & 0xFFFF_FFFF }
        @inline(__always) private static func back(_ word: UInt64) -> UInt64 { word >> 32 }
    }

    /// Set while a caller owns the pool (its job and helper list).
    private let owned = Atomic<Bool>(false)
    /// The job's state in one word (see ``State``): helpers join and leave it, the owner closes
    /// it and publishes the next one.
    private let state = Atomic<UInt64>(0)
    /// Helpers spinning for the next job now.
    private let spinning = Atomic<Int>(0)
    /// The most helpers that spin at once: the cores this process may run on, minus the caller's.
    static let maximumSpinners = max(0, ProcessInfo.processInfo.activeProcessorCount - 1)
    /// Where helpers sleep once their spin ran out.
    private let wakeup = NSCondition()
    /// One range word per worker.
    private let ranges: UnsafeMutablePointer<Atomic<UInt64>>
    /// Helper threads started (changed only by the owner, while no job runs).
    private var helpers = 0
    /// The current job: written by the owner before it publishes the job, read by the helpers
    /// that joined it, unchanged until every helper that joined has left.
    private let workers = Atomic<Int>(0)
    private nonisolated(unsafe) var body: ((Items) -> Void)?

    /// The bits of ``state``: helpers working on the job (`active`), helpers that joined it
    /// (`joined`, which numbers them: worker 1, 2, …), whether the owner closed it (no helper
    /// joins a closed job: the owner waits only for the helpers that joined, never for one still
    /// waking up), and the job's generation.
    private enum State {
        static let one: UInt64 = 1
        static let joinedOne: UInt64 = 1 << 12
        static let closed: UInt64 = 1 << 24
        static let generationOne: UInt64 = 1 << 25
        static func active(_ s: UInt64) -> Int { Int(s & 0xFFF) }
        static func joined(_ s: UInt64) -> Int { Int((s >> 12) & 0xFFF) }
        static func isClosed(_ s: UInt64) -> Bool { s & closed != 0 }
        static func generation(_ s: UInt64) -> UInt64 { s >> 25 }
    }

    private init() {
        ranges = .allocate(capacity: Self.maximumWorkers)
        for worker in 0..<Self.maximumWorkers { (ranges + worker).initialize(to: Atomic(0)) }
        // Generation 0 is closed: a helper started before the first job never joins it.
        state.store(State.closed, ordering: .relaxed)
    }

    /// Runs `body(items)` on up to `workers` workers (this thread and helpers), each taking items
    /// of `0..<count` from its `items` until every range is empty; returns once every item ran.
    /// Helpers that wake too late to find work do not join. Returns false without running
    /// anything when the pool is busy (then the caller runs the items itself).
    func run(count: Int, workers wanted: Int, _ body: (Items) -> Void) -> Bool {
        precondition(count <= Int(UInt32.max), "KernelThreadPool: too many items")
        let workers = min(wanted, count, Self.maximumWorkers)
        guard workers > 1, owned.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else { return false }
        defer { owned.store(false, ordering: .releasing) }
        while helpers < workers - 1 { startHelper() }
        for worker in 0..<workers {
            let front = UInt64(worker * count / workers)
            let back = UInt64((worker + 1) * count / workers)
            ranges[worker].store((back << 32) | front, ordering: .relaxed)
        }
        withoutActuallyEscaping(body) { body in
            self.workers.store(workers, ordering: .relaxed)
            self.body = body
            let next = (State.generation(state.load(ordering: .relaxed)) + 1) * State.generationOne
            wakeup.lock()
            state.store(next, ordering: .releasing)
            wakeup.broadcast()
            wakeup.unlock()
            body(Items(ranges: ranges, workers: workers, worker: 0))
            // Every item is taken; close the job, then wait for the helpers still on items.
            let closed = state.bitwiseOr(State.closed, ordering: .acquiringAndReleasing).newValue
            if State.active(closed) > 0 {
                var spins = 0
                var deadline: UInt64 = 0
                while State.active(state.load(ordering: .acquiring)) > 0 {
                    spins += 1
                    if deadline == 0 || spins & 63 != 0 {
                        accsim_spin_pause()
                        if deadline == 0 && spins == 64 { deadline = DispatchTime.now().uptimeNanoseconds + 20_000 }
                    } else if DispatchTime.now().uptimeNanoseconds < deadline {
                        accsim_spin_pause()
                    } else {
                        // A helper descheduled mid-item (perhaps on this core): let it run.
                        sched_yield()
                    }
                }
            }
            self.body = nil
        }
        return true
    }

    private func startHelper() {
        let seen = State.generation(state.load(ordering: .relaxed))
        let thread = Thread { [self] in helperLoop(seen: seen) }
        helpers += 1
        thread.name = "accsim-kernels-\(helpers)"
        thread.start()
    }

    private func helperLoop(seen start: UInt64) -> Never {
        var seen = start
        while true {
            var current = waitForJob(after: seen)
            seen = State.generation(current)
            let workers = self.workers.load(ordering: .relaxed)
            // Join unless the job is closed or has its workers.
            while State.generation(current) == seen && !State.isClosed(current)
                && State.joined(current) < workers - 1
            {
                let (exchanged, original) = state.compareExchange(
                    expected: current, desired: current &+ State.one &+ State.joinedOne, ordering: .acquiring)
                if exchanged {
                    if let body {
                        body(Items(ranges: ranges, workers: workers, worker: State.joined(current) + 1))
                    }
                    state.subtract(State.one, ordering: .releasing)
                    break
                }
                current = original
            }
        }
    }

    /// Spins, then sleeps, until a job of another generation than `seen` is published; returns
    /// the state then.
    private func waitForJob(after seen: UInt64) -> UInt64 {
        // Spin only while fewer helpers spin than the cores other than the caller's: with more
        // threads than cores (`--threads 8` on 2, or a cgroup's CPU limit), spinners would take
        // the cores from the threads with work.
        if spinning.add(1, ordering: .relaxed).newValue <= Self.maximumSpinners {
            defer { spinning.subtract(1, ordering: .relaxed) }
            var spins = 0
            var deadline: UInt64 = 0
            while true {
                let current = state.load(ordering: .acquiring)
                if State.generation(current) != seen { return current }
                accsim_spin_pause()
                spins += 1
                guard spins & 255 == 0 else { continue }
                let now = DispatchTime.now().uptimeNanoseconds
                if deadline == 0 {
                    deadline = now + Self.spinNanoseconds
                } else if now >= deadline {
                    break
                }
            }
        } else {
            spinning.subtract(1, ordering: .relaxed)
        }
        wakeup.lock()
        while State.generation(state.load(ordering: .acquiring)) == seen { wakeup.wait() }
        wakeup.unlock()
        return state.load(ordering: .acquiring)
    }
}
