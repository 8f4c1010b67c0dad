/// The rows of several results files merged in grid order, one at a time, in memory bounded by
/// the number of files (one row and one read buffer each) instead of the number of rows: the
/// streaming form of ``SweepMerge`` for shard outputs, which are each in grid order.
///
/// Rows come out sorted by (`index`, `id`); a point present in several inputs (same index and
/// id) comes out once when the copies are identical (counted in ``duplicates``) and is an error
/// when they differ, as is an input ending in a torn line. An input that is not itself sorted
/// (rows resumed into a file written by another sweep, a file edited by hand) cannot be merged
/// this way: ``next()`` then returns nil with ``outOfOrder`` naming the place, and the caller
/// falls back to ``SweepMerge/merge(files:format:)``, which holds every row in memory.
public final class SweepMergeStream {
    /// The inputs' format.
    public let format: SweepFormat
    /// The CSV header shared by the inputs (nil for JSONL).
    public let header: [String]?
    /// Rows that appeared in more than one input, so far.
    public private(set) var duplicates = 0
    /// Rows returned so far.
    public private(set) var rows = 0
    /// Set when an input turned out not to be in grid order (file and line).
    public private(set) var outOfOrder: String?

    private let names: [String]
    private let readers: [SweepRecordReader]
    private var heads: [SweepRecord?]
    /// Indices of the inputs with a current row, as a binary min-heap on their rows' keys.
    private var heap: [Int] = []
    private var last: (key: Key, record: SweepRecord, input: Int)?

    private struct Key: Comparable {
        var index: Int
        var id: String
        static func < (a: Key, b: Key) -> Bool { (a.index, a.id) < (b.index, b.id) }
    }

    /// Opens `files` (their format from the first file's name unless `format` is given); CSV
    /// inputs must have the same columns.
    public init(files: [String], format: SweepFormat? = nil) throws(SweepError) {
        guard let first = files.first else { throw SweepError("sweep merge: no input files") }
        let format = format ?? SweepFormat.guess(path: first)
        var readers: [SweepRecordReader] = []
        var header: [String]?
        for path in files {
            let reader = try SweepRecordReader(path: path, format: format)
            if let columns = reader.header {
                if let header, header != columns {
                    throw SweepError("\(path): its CSV columns differ from the other inputs'")
                }
                header = columns
            }
            readers.append(reader)
        }
        self.format = format
        self.header = format == .csv ? header : nil
        self.names = files
        self.readers = readers
        heads = Array(repeating: nil, count: files.count)
        for input in files.indices {
            heads[input] = try advance(input)
            if heads[input] != nil { push(input) }
        }
    }

    /// The next merged row, or nil at the end (or when ``outOfOrder`` is set).
    public func next() throws(SweepError) -> SweepRecord? {
        while outOfOrder == nil, let input = heap.first {
            guard let record = heads[input] else { break }
            let key = Self.key(record)
            let following = try advance(input)
            if let following, Self.key(following) < key {
                outOfOrder = "\(names[input]) (the row after index \(key.index) has index \(following.index ?? -1))"
                return nil
            }
            heads[input] = following
            if following == nil { popTop() } else { siftDown(0) }
            if let last, last.key == key {
                guard last.record.fields == record.fields else {
                    throw SweepError("point \(record.id) differs between \(names[last.input]) and \(names[input])")
                }
                duplicates += 1
                continue
            }
            last = (key, record, input)
            rows += 1
            return record
        }
        return nil
    }

    /// The next row of `input`; at its end, an error if it ends in a torn line.
    private func advance(_ input: Int) throws(SweepError) -> SweepRecord? {
        if let record = try readers[input].next() { return record }
        if readers[input].hasTornTail {
            throw SweepError(
                .file,
                "\(names[input]) ends with an incomplete row (an interrupted run?): resume it with the same --out first"
            )
        }
        return nil
    }

    private static func key(_ record: SweepRecord) -> Key { Key(index: record.index ?? Int.max, id: record.id) }

    private func less(_ a: Int, _ b: Int) -> Bool {
        guard let x = heads[a], let y = heads[b] else { return heads[a] != nil }
        let (kx, ky) = (Self.key(x), Self.key(y))
        return kx < ky || (kx == ky && a < b)
    }

    private func push(_ input: Int) {
        heap.append(input)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private func popTop() {
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        if !heap.isEmpty { siftDown(0) }
    }

    private func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, less(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count, less(heap[right], heap[smallest]) { smallest = right }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
