import Dispatch
import Synchronization
import Testing

@testable import AccsimArithmetic

/// The kernels' thread pool: every item runs exactly once, whatever the item and worker counts,
/// with a helper late or a caller nested inside another call or racing another caller.
@Suite(.everyWorker) struct KernelThreadPoolTests {
    /// Counts the runs of each item (items are disjoint, so plain increments are race-free).
    final class RunCounts: @unchecked Sendable {
        let counts: UnsafeMutablePointer<Int>
        let size: Int
        init(_ size: Int) {
            self.size = size
            counts = .allocate(capacity: size)
            counts.initialize(repeating: 0, count: size)
        }
        deinit { counts.deallocate() }
        var all: [Int] { Array(UnsafeBufferPointer(start: counts, count: size)) }
    }

    @Test func everyItemRunsOnceForManyCountsAndWorkers() {
        var random = FastTestRandom(seed: 41)
        for _ in 0..<2_000 {
            let count = random.int(0...300)
            let threads = random.int(1...9)
            let runs = RunCounts(max(count, 1))
            nonisolated(unsafe) let counts = runs.counts
            FastKernels.parallelFor(count, threads: threads) { item in counts[item] += 1 }
            #expect(runs.all.prefix(count).allSatisfy { $0 == 1 }, "\(count) items, \(threads) threads")
        }
    }

    /// Workers' scratch: `prepare` once per worker that ran an item, `finish` once after its last
    /// item, and every item sees its own worker's scratch.
    @Test func scratchIsPerWorker() {
        for threads in [2, 3, 8] {
            let count = 500
            let owner = RunCounts(count)
            let prepared = RunCounts(KernelThreadPool.maximumWorkers)
            let finished = RunCounts(KernelThreadPool.maximumWorkers)
            nonisolated(unsafe) let (o, p, f) = (owner.counts, prepared.counts, finished.counts)
            FastKernels.parallelFor(
                count, threads: threads,
                scratch: { worker in
                    p[worker] += 1
                    return worker
                },
                { worker, item in
                    o[item] = worker + 1
                },
                finish: { worker in f[worker] += 1 })
            #expect(owner.all.allSatisfy { $0 >= 1 && $0 <= threads })
            let used = Set(owner.all.map { $0 - 1 })
            #expect(
                prepared.all.enumerated().allSatisfy { used.contains($0.offset) ? $0.element == 1 : $0.element == 0 })
            #expect(finished.all == prepared.all)
        }
    }

    /// A parallelFor inside an item finds the pool busy and runs on the item's thread.
    @Test func nestedCallsRunEveryItem() {
        let outer = 16
        let inner = 37
        let runs = RunCounts(outer * inner)
        nonisolated(unsafe) let counts = runs.counts
        FastKernels.parallelFor(outer, threads: 4) { i in
            FastKernels.parallelFor(inner, threads: 4) { j in counts[i * inner + j] += 1 }
        }
        #expect(runs.all.allSatisfy { $0 == 1 })
    }

    /// Four threads calling at once: one owns the pool, the others run serially; nothing lost.
    @Test func concurrentCallersRunEveryItem() {
        let callers = 4
        let count = 1_000
        let runs = RunCounts(callers * count)
        nonisolated(unsafe) let counts = runs.counts
        DispatchQueue.concurrentPerform(iterations: callers) { caller in
            for _ in 0..<50 {
                FastKernels.parallelFor(count, threads: 3) { item in counts[caller * count + item] += 1 }
            }
        }
        #expect(runs.all.allSatisfy { $0 == 50 })
    }

    /// Item ranges: the owner takes the front, a thief the back, nothing twice.
    @Test func itemsStealFromTheBack() {
        let ranges = UnsafeMutablePointer<Atomic<UInt64>>.allocate(capacity: 2)
        defer { ranges.deallocate() }
        (ranges + 0).initialize(to: Atomic((3 << 32) | 0))  // items 0, 1, 2
        (ranges + 1).initialize(to: Atomic((7 << 32) | 3))  // items 3 … 6
        let first = KernelThreadPool.Items(ranges: ranges, workers: 2, worker: 0)
        let second = KernelThreadPool.Items(ranges: ranges, workers: 2, worker: 1)
        #expect([first.next(), first.next(), first.next()] == [0, 1, 2])
        #expect(first.next() == 6)  // stolen from the back of worker 1's range
        #expect(second.next() == 3)
        #expect([first.next(), first.next(), first.next()] == [5, 4, nil])
        #expect(second.next() == nil)
    }
}
