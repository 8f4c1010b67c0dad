import Foundation

/// Computes each data key's summary once, however many threads ask for it: the first caller
/// computes, the others wait for its result.
final class SweepDataCache: @unchecked Sendable {
    private enum Entry {
        case computing
        case done(Result<SweepDataSummary, SweepPointError>)
    }

    private let condition = NSCondition()
    private var entries: [SweepDataKey: Entry] = [:]
    private var computations = 0

    /// The summary for `key`, computed by `compute` if no thread has computed it yet.
    func summary(for key: SweepDataKey, compute: () -> Result<SweepDataSummary, SweepPointError>) -> Result<
        SweepDataSummary, SweepPointError
    > {
        condition.lock()
        while true {
            switch entries[key] {
            case .done(let result)?:
                condition.unlock()
                return result
            case .computing?:
                condition.wait()
            case nil:
                entries[key] = .computing
                computations += 1
                condition.unlock()
                let result = compute()
                condition.lock()
                entries[key] = .done(result)
                condition.broadcast()
                condition.unlock()
                return result
            }
        }
    }

    /// How many keys have been computed (or are being computed).
    var computationCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return computations
    }
}
