/// The text dump: the header as `#` lines, then one line per record in file order
/// (Traces/FORMAT.md, "Text dump"). Greppable and `diff`-able.
public enum TraceDump {
    /// Writes the dump of `reader`'s trace through `write`, one line per call (no newline).
    /// Returns the error that stopped reading after the last intact chunk, if any; every record
    /// before it has been written.
    @discardableResult
    public static func dump(
        _ reader: TraceReader, filter: TraceFilter = TraceFilter(), headerOnly: Bool = false, write: (String) -> Void
    ) -> TraceError? {
        for line in reader.header.textLines { write(line) }
        guard !headerOnly else { return nil }
        do {
            while let chunk = try reader.nextChunk() {
                for record in chunk.records where filter.accepts(record) {
                    write(record.textLine)
                }
            }
        } catch {
            return error
        }
        return nil
    }
}
