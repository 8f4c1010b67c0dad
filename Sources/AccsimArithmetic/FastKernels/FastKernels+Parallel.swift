import Foundation

extension FastKernels {
    /// The most workers a call uses, whatever `threads` asks: the cores this process may run on.
    /// More threads than cores would only take turns on them, each waiting for the others'
    /// slices at the end of every layer. Tests raise it to split work over more workers than
    /// the machine has cores. (Only how the work is cut; never a result.)
    @TaskLocal static var maximumWorkers = ProcessInfo.processInfo.activeProcessorCount

    /// Runs `body(item)` for every item in `0..<count` on up to `threads` threads (the calling
    /// thread and the helpers of ``KernelThreadPool``): worker `w` owns one contiguous range of
    /// items, `w·count/workers ..< (w+1)·count/workers`, and takes them in increasing order; a
    /// worker whose range is empty takes items from the back of the fullest other range. Items
    /// must write disjoint outputs; then the result does not depend on the thread count or on
    /// which worker ran which item. `prepare(worker)` is called once per worker before its first
    /// item (scratch buffers), `finish` once after its last; a worker that finds no item calls neither.
    ///
    /// Contiguous ranges (rather than items dealt round-robin) keep each worker's output one
    /// region: neighbouring items, which share the cache lines at their boundary and often the
    /// same gathered input (the column pieces of one row chunk), stay on one thread.
    static func parallelFor<Scratch>(
        _ count: Int, threads: Int, scratch prepare: (Int) -> Scratch, _ body: (inout Scratch, Int) -> Void,
        finish: (inout Scratch) -> Void = { _ in }
    ) {
        let workers = max(1, min(threads, count, maximumWorkers))
        if workers > 1 {
            // The closures run concurrently on disjoint items; callers guarantee that items write
            // disjoint memory and only read shared inputs, which is what makes this sound.
            nonisolated(unsafe) let prepare = prepare
            nonisolated(unsafe) let body = body
            nonisolated(unsafe) let finish = finish
            let ran = KernelThreadPool.shared.run(count: count, workers: workers) { items in
                // A helper that arrives when every item is taken allocates nothing.
                guard let first = items.next() else { return }
                var scratch = prepare(items.worker)
                body(&scratch, first)
                while let item = items.next() { body(&scratch, item) }
                finish(&scratch)
            }
            if ran { return }
        }
        var scratch = prepare(0)
        for item in 0..<count { body(&scratch, item) }
        finish(&scratch)
    }

    /// `parallelFor` without scratch state.
    static func parallelFor(_ count: Int, threads: Int, _ body: (Int) -> Void) {
        parallelFor(count, threads: threads, scratch: { _ in () }, { _, item in body(item) })
    }
}
