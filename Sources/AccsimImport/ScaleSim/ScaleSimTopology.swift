import AccsimArithmetic
import AccsimModel
import Foundation

/// Reads SCALE-Sim topology CSV files into accsim graphs.
///
/// SCALE-Sim describes layers, not a network: each row is an independent layer with its own input
/// extents and no padding, so consecutive rows rarely chain. accsim therefore gives each row its
/// own graph input and output; the layers run one after another, as SCALE-Sim runs them.
///
/// - Convolution rows: `name, ifmap H, ifmap W, filter H, filter W, channels, filters, stride,`;
///   a name containing `DP` marks a depthwise layer (SCALE-Sim writes the channel count as the
///   filter count; a multiple of the channels is read as a depth multiplier).
/// - GEMM rows (a header whose second column is `M`): `name, M, N, K,` — an `M×K · K×N` product,
///   built as a 1×1 convolution over an `M×1` image with `K` channels and `N` filters, which
///   lowers to exactly that GEMM.
/// Rows end in a comma; blank lines are skipped; the first line is the header.
///
/// Weights are seeded random int8 without biases, built by ``GraphBuilder`` (its requantizers keep
/// typical outputs spread over int8); activations are int8 with zero point 0.
public enum ScaleSimTopology {
    /// The most weights a topology may make accsim generate, all rows together: 2^28 (one byte
    /// each, 256 MiB). A row past it, or an error in any row, is refused before anything is
    /// allocated.
    public static let maxGeneratedWeights = 1 << 28

    /// The largest ifmap or ofmap a row may declare, in elements: 2^40.
    public static let maxFeatureMapElements = 1 << 40

    /// Parses `text` (the file at `file`, for error messages) into a graph.
    public static func parse(_ text: String, file: String, seed: UInt64 = 0) throws(ModelError) -> Graph {
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        lines = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let header = lines.first else {
            throw ModelError(file: file, "empty topology file")
        }
        let headerFields = fields(of: header)
        let isGEMM = headerFields.count >= 2 && headerFields[1].uppercased() == "M"
        var builder = GraphBuilder(
            name: baseName(file), seed: seed,
            metadata: [
                "producer": "accsim SCALE-Sim topology import",
                "source_model": file,
                "semantics": "accsim",
                "weights": "seeded random int8, seed \(seed)",
            ])
        // Every row is parsed and checked before the first one is built, so that an error anywhere
        // in the file costs no allocation (weights are generated when a row is built).
        var builds: [(inout GraphBuilder) -> String] = []
        var generatedWeights = 0
        for (index, line) in lines.dropFirst().enumerated() {
            let row = fields(of: line)
            let lineNumber = index + 2
            guard let name = row.first, !name.isEmpty else {
                throw ModelError(file: file, field: "line \(lineNumber)", "missing layer name")
            }
            func number(_ column: Int, _ what: String) throws(ModelError) -> Int {
                guard column < row.count else {
                    throw ModelError(
                        file: file, node: name, field: "line \(lineNumber), column \(column + 1)", "missing \(what)")
                }
                guard let value = Int(row[column]), value > 0 else {
                    throw ModelError(
                        file: file, node: name, field: "line \(lineNumber), column \(column + 1)",
                        "\(what) must be a positive integer, got '\(row[column])'")
                }
                return value
            }
            // Sizes are checked before the builder allocates or multiplies anything.
            func checkSizes(ifmap: [Int], weights: [Int], ofmap: [Int]) throws(ModelError) {
                for (what, factors) in [("ifmap", ifmap), ("ofmap", ofmap)] {
                    guard let count = Extents.checkedProduct(factors), count <= maxFeatureMapElements else {
                        throw ModelError(
                            file: file, node: name, field: "line \(lineNumber)",
                            "the \(what) (\(factors.map(String.init).joined(separator: " x ")) elements) is over the "
                                + "limit of 2^40 elements (ScaleSimTopology.maxFeatureMapElements)")
                    }
                }
                guard let count = Extents.checkedProduct(weights), count <= maxGeneratedWeights - generatedWeights
                else {
                    throw ModelError(
                        file: file, node: name, field: "line \(lineNumber)",
                        "the weights (\(weights.map(String.init).joined(separator: " x ")) elements, after "
                            + "\(generatedWeights) in the rows before) are over the limit of 2^28 generated weights "
                            + "per topology (ScaleSimTopology.maxGeneratedWeights)")
                }
                generatedWeights += count
            }
            if isGEMM {
                let m = try number(1, "M")
                let n = try number(2, "N")
                let k = try number(3, "K")
                try checkSizes(ifmap: [m, k], weights: [k, n], ofmap: [m, n])
                // An M×K · K×N product is a 1×1 convolution over an M×1 image with K channels.
                builds.append { builder in
                    let input = builder.input(name + ".a", shape: [1, m, 1, k])
                    return builder.conv(input, name: name, filters: n, kernel: Size2D(1), relu: false, bias: false)
                }
            } else {
                let height = try number(1, "ifmap height")
                let width = try number(2, "ifmap width")
                let filterHeight = try number(3, "filter height")
                let filterWidth = try number(4, "filter width")
                let channels = try number(5, "channels")
                let filters = try number(6, "number of filters")
                let stride = try number(7, "stride")
                guard stride <= 1 << 20 else {
                    throw ModelError(
                        file: file, node: name, field: "line \(lineNumber), column 8",
                        "stride \(stride) is over the limit of 2^20")
                }
                if filterHeight > height || filterWidth > width {
                    throw ModelError(
                        file: file, node: name, field: "line \(lineNumber)",
                        "the \(filterHeight)x\(filterWidth) filter does not fit the \(height)x\(width) ifmap (SCALE-Sim topologies have no padding)"
                    )
                }
                // SCALE-Sim 3.0.0 runs a depthwise row as one layer per input channel, each
                // convolving that channel with all `filters` filters: groups = channels, each with
                // `filters` outputs (checked against the real tool, Models/scalesim/parity).
                let depthwise = name.contains("DP")
                guard !depthwise || Extents.checkedProduct([channels, filters]) != nil else {
                    throw ModelError(
                        file: file, node: name, field: "line \(lineNumber)",
                        "\(channels) channels x \(filters) filters overflows")
                }
                let outChannels = depthwise ? channels * filters : filters
                // SCALE-Sim's ofmap is ceil((H − FH) / S) + 1 rows (and so for columns): the last
                // window may hang over the edge, which accsim expresses as bottom/right padding.
                // (Written so that no step overflows, whatever the stride.)
                func extent(_ size: Int, _ filter: Int) -> Int {
                    (size - filter) / stride + ((size - filter) % stride == 0 ? 0 : 1) + 1
                }
                let outHeight = extent(height, filterHeight)
                let outWidth = extent(width, filterWidth)
                try checkSizes(
                    ifmap: [height, width, channels],
                    weights: [filterHeight, filterWidth, depthwise ? 1 : channels, outChannels],
                    ofmap: [outHeight, outWidth, outChannels])
                let padding = Padding2D(
                    top: 0, bottom: (outHeight - 1) * stride - (height - filterHeight),
                    left: 0, right: (outWidth - 1) * stride - (width - filterWidth))
                builds.append { builder in
                    let input = builder.input(name + ".ifmap", shape: [1, height, width, channels])
                    return builder.conv(
                        input, name: name, filters: outChannels,
                        kernel: Size2D(height: filterHeight, width: filterWidth),
                        stride: Size2D(stride), padding: padding, groups: depthwise ? channels : 1, relu: false,
                        bias: false)
                }
            }
        }
        if builds.isEmpty {
            throw ModelError(file: file, "the topology has no layers")
        }
        let outputs = builds.map { build in build(&builder) }
        let graph = builder.build(outputs: outputs)
        do {
            try graph.validate()
        } catch {
            throw error.inFile(file)
        }
        return graph
    }

    /// Comma-separated fields, trimmed, without the empty field after the trailing comma.
    static func fields(of line: String) -> [String] {
        var parts = line.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        while parts.last == "" { parts.removeLast() }
        return parts
    }

    static func baseName(_ file: String) -> String {
        let last = file.split(separator: "/").last.map(String.init) ?? file
        return last.hasSuffix(".csv") ? String(last.dropLast(4)) : last
    }
}
