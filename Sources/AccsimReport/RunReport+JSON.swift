import AccsimJSON

extension RunReport {
    /// The report as pretty-printed JSON (schema in docs/report-format.md), ending in a newline.
    public func renderJSON() throws -> String {
        try JSONWriter().encodeToString(self) + "\n"
    }
}
