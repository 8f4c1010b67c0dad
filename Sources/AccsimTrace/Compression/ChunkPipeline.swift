import Dispatch
import Foundation

/// Where compressed members go: a file, or memory (tests, benchmarks).
enum TraceDestination {
    case file(FileHandle, path: String)
    case memory
}

/// Compresses chunks into gzip members and writes them in submission order.
///
/// With `background`, chunks are compressed concurrently on up to `workers` threads off the
/// caller's thread and written by one serial queue in ordinal order (a small reorder buffer), with
/// at most `2 · workers` chunks in flight (back-pressure on a fast producer); without it, inline.
/// Either way the bytes are the same.
///
/// `@unchecked Sendable`: the mutable state (`pending`, `next`, the destination, the counters,
/// `failure`) is touched only on `writer` (or, inline, on the caller's thread) and read by the
/// caller only after ``drain()``, whose `group.wait()` orders those accesses.
final class ChunkPipeline: @unchecked Sendable {
    private let compressors: DispatchQueue
    private let writer = DispatchQueue(label: "accsim.trace.write")
    private let group = DispatchGroup()
    private let slots: DispatchSemaphore
    private let background: Bool
    private let level: Int32
    private var destination: TraceDestination
    private var pending: [UInt32: [UInt8]] = [:]
    private var next: UInt32 = 0
    private var memory: [UInt8] = []
    private var failure: TraceError?
    private(set) var compressedBytes = 0
    private(set) var members = 0

    /// A pipeline to `destination` at deflate `level`; `workers` defaults to the active cores (at most 8).
    init(
        destination: TraceDestination, level: Int32, background: Bool,
        workers: Int = min(8, max(1, ProcessInfo.processInfo.activeProcessorCount))
    ) {
        self.destination = destination
        self.level = level
        self.background = background
        self.slots = DispatchSemaphore(value: 2 * workers)
        self.compressors = DispatchQueue(label: "accsim.trace.compress", attributes: .concurrent)
    }

    /// Whether members go to memory.
    var isMemory: Bool {
        if case .memory = destination { return true }
        return false
    }

    /// Queues `payload` as the member with chunk ordinal `ordinal` (ordinals are submitted 0, 1, 2, …).
    func submit(_ payload: [UInt8], ordinal: UInt32) {
        guard background else {
            store(GzipMember.encode(payload, ordinal: ordinal, level: level), ordinal: ordinal)
            return
        }
        slots.wait()
        group.enter()
        compressors.async {
            let member = GzipMember.encode(payload, ordinal: ordinal, level: self.level)
            self.writer.async {
                self.pending[ordinal] = member
                while let ready = self.pending.removeValue(forKey: self.next) {
                    self.store(ready, ordinal: self.next)
                    self.next += 1
                    self.slots.signal()
                    self.group.leave()
                }
            }
        }
    }

    /// Waits for every queued chunk, closes a file, and returns the bytes when writing to memory.
    func drain() throws(TraceError) -> [UInt8] {
        if background { group.wait() }
        if case .file(let handle, let path) = destination {
            do {
                try handle.close()
            } catch {
                if failure == nil {
                    failure = TraceError(.io, file: path, "cannot close the file: \(error.localizedDescription)")
                }
            }
        }
        if let failure { throw failure }
        return memory
    }

    private func store(_ member: [UInt8], ordinal: UInt32) {
        guard failure == nil else { return }
        compressedBytes += member.count
        members += 1
        switch destination {
        case .memory:
            memory.append(contentsOf: member)
        case .file(let handle, let path):
            do {
                try handle.write(contentsOf: Data(member))
            } catch {
                failure = TraceError(
                    .io, file: path, chunk: Int(ordinal), "cannot write: \(error.localizedDescription)")
            }
        }
    }
}
