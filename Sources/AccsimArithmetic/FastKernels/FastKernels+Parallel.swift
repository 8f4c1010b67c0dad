import Dispatch

extension FastKernels {
    /// Runs `body(item)` for every item in `0..<count` on up to `threads` threads: worker `w`
    /// takes items `w, w + workers, w + 2·workers, …` in increasing order. Items must write
    /// disjoint outputs; then the result does not depend on the thread count. `prepare(worker)` is
    /// called once per worker before its first item (scratch buffers).
    static func parallelFor<Scratch>(
        _ count: Int, threads: Int, scratch prepare: (Int) -> Scratch, _ body: (inout Scratch, Int) -> Void,
        finish: (inout Scratch) -> Void = { _ in }
    ) {
        let workers = max(1, min(threads, count))
        if workers == 1 {
            var scratch = prepare(0)
            for item in 0..<count { body(&scratch, item) }
            finish(&scratch)
            return
        }
        // The closures run concurrently on disjoint items; callers guarantee that items write
        // disjoint memory and only read shared inputs, which is what makes this sound.
        nonisolated(unsafe) let prepare = prepare
        nonisolated(unsafe) let body = body
        nonisolated(unsafe) let finish = finish
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var scratch = prepare(worker)
            var item = worker
            while item < count {
                body(&scratch, item)
                item += workers
            }
            finish(&scratch)
        }
    }

    /// `parallelFor` without scratch state.
    static func parallelFor(_ count: Int, threads: Int, _ body: (Int) -> Void) {
        parallelFor(count, threads: threads, scratch: { _ in () }, { _, item in body(item) })
    }
}
