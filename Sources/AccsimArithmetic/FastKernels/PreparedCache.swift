import Foundation

/// A thread-safe map whose values are made on first use and then shared: an engine's constants
/// widened for the reference kernels and its layers prepared for the fast kernels, made only when
/// a run needs them (a timing-only run never does).
public final class PreparedCache<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Key: Value] = [:]

    /// An empty cache.
    public init() {}

    /// The value for `key`, made by `make` the first time (under the cache's lock, so it is made
    /// once even when several threads ask at the same time).
    public func value(for key: Key, make: () -> Value) -> Value {
        lock.lock()
        defer { lock.unlock() }
        if let value = values[key] { return value }
        let value = make()
        values[key] = value
        return value
    }
}
