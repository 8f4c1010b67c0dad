import AccsimJSON

extension ModelError {
    /// A manifest error as a ModelError. An error inside `nodes[i]` names the node (when `nodeName`
    /// knows its name) and gives the field relative to it (`attributes.requantizer.shifts[0]`);
    /// any other error keeps its full path (`tensors[2].quantization.scales`). Syntax errors give
    /// the line, column and byte offsets.
    init(manifest error: JSONError, nodeName: (Int) -> String?) {
        if let location = error.location {
            let fileOffset = location.offset + QModelFormat.headerSize
            self.init(
                "malformed manifest JSON at line \(location.line), column \(location.column) (manifest byte \(location.offset), file offset \(fileOffset)): \(error.message)"
            )
            return
        }
        let path = error.path
        if path.hasPrefix("nodes["), let close = path.firstIndex(of: "]"),
            let index = Int(path[path.index(path.startIndex, offsetBy: 6)..<close]),
            let name = nodeName(index)
        {
            var rest = path[path.index(after: close)...]
            if rest.hasPrefix(".") { rest = rest.dropFirst() }
            self.init(node: name, field: rest.isEmpty ? nil : String(rest), error.message)
        } else {
            self.init(field: path.isEmpty ? nil : path, error.message)
        }
    }
}
