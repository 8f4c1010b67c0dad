import AccsimJSON

/// One performance counter of a layer: its name, unit and meaning, where it lives in
/// ``LayerPerformance``, and the spellings the versioned output formats gave it.
///
/// ``LayerPerformance/counters`` is the one table of counters. The JSON report (`--format json`,
/// docs/report-format.md) nests them by ``name`` in table order; the CSV report takes the rows
/// with a ``csvColumn`` in table order; trace layer-end records (Traces/FORMAT.md) look their
/// format-v1 names up by ``traceName``; sweep rows (docs/sweep-format.md) state the model's total
/// of every counter with a ``sweepKey``. Adding a counter is one row here, the property it reads
/// and its doc line in docs/report-format.md (CONTRIBUTING.md, "Add a counter").
public struct PerformanceCounter: Sendable {
    /// What a counter counts in.
    public enum Unit: String, Sendable, Hashable {
        case cycles
        case bytes
        /// Multiply-accumulates, requantizer or vector operations.
        case operations
        /// Things counted: folds, transfers, steps.
        case count
        /// A fraction in 0…1.
        case ratio
        case microseconds
        case picojoules
    }

    /// A counter's value.
    public enum Value: Sendable, Hashable {
        case int(Int)
        case double(Double)
        /// Not available (energy without an energy table).
        case absent

        /// As JSON; nil when absent.
        public var json: JSONValue? {
            switch self {
            case .int(let value): .int(Int64(value))
            case .double(let value): .double(value)
            case .absent: nil
            }
        }

        /// As a CSV field (empty when absent).
        public var text: String {
            switch self {
            case .int(let value): String(value)
            case .double(let value): String(value)
            case .absent: ""
            }
        }

        /// An integer count (0 when absent or fractional).
        public var integer: Int {
            if case .int(let value) = self { return value }
            return 0
        }
    }

    /// The counter's name: its dotted key path in the JSON report (`cycles.stall.input`).
    /// Counters that only traces carry have no report path (``inReport`` false) but still a name.
    public let name: String
    /// The unit.
    public let unit: Unit
    /// What it counts, in one sentence (docs/report-format.md says the same).
    public let doc: String
    /// Whether the JSON report states it.
    public let inReport: Bool
    /// Its column in the CSV report (format v1 spelling); nil: not a CSV column.
    public let csvColumn: String?
    /// Its name in trace layer-end records (format v1); nil: not traced.
    public let traceName: String?
    /// Its key in sweep result rows, where it is the model's total; nil: not in sweep rows.
    public let sweepKey: String?
    /// Reads the counter.
    public let value: @Sendable (LayerPerformance) -> Value
    /// Adds a layer's value into a sum (``LayerPerformance/total(_:hardware:)``): set for integer
    /// counters stored in a property; nil for ratios, derived and optional values.
    public let summed: (@Sendable (inout LayerPerformance, LayerPerformance) -> Void)?

    /// A counter as given.
    public init(
        _ name: String, _ unit: Unit, _ doc: String, inReport: Bool = true, csv csvColumn: String? = nil,
        trace traceName: String? = nil, sweep sweepKey: String? = nil,
        summed: (@Sendable (inout LayerPerformance, LayerPerformance) -> Void)? = nil,
        value: @escaping @Sendable (LayerPerformance) -> Value
    ) {
        self.name = name
        self.unit = unit
        self.doc = doc
        self.inReport = inReport
        self.csvColumn = csvColumn
        self.traceName = traceName
        self.sweepKey = sweepKey
        self.summed = summed
        self.value = value
    }

    /// An integer counter read through `keyPath`; summed over layers when `keyPath` names a
    /// stored property (a derived one, such as the sum of the three buffers, is not).
    public init(
        _ name: String, _ unit: Unit, _ doc: String, inReport: Bool = true, csv: String? = nil, trace: String? = nil,
        sweep: String? = nil, _ keyPath: KeyPath<LayerPerformance, Int> & Sendable
    ) {
        var summed: (@Sendable (inout LayerPerformance, LayerPerformance) -> Void)?
        if let writable = keyPath as? WritableKeyPath<LayerPerformance, Int> {
            // Key paths are immutable values; the cast only loses the Sendable marker.
            nonisolated(unsafe) let stored = writable
            summed = { sum, layer in sum[keyPath: stored] += layer[keyPath: stored] }
        }
        self.init(name, unit, doc, inReport: inReport, csv: csv, trace: trace, sweep: sweep, summed: summed) {
            .int($0[keyPath: keyPath])
        }
    }

    /// A fractional counter read through `keyPath`.
    public init(
        _ name: String, _ unit: Unit, _ doc: String, inReport: Bool = true, csv: String? = nil, trace: String? = nil,
        sweep: String? = nil, _ keyPath: KeyPath<LayerPerformance, Double> & Sendable
    ) {
        self.init(name, unit, doc, inReport: inReport, csv: csv, trace: trace, sweep: sweep) {
            .double($0[keyPath: keyPath])
        }
    }
}

extension LayerPerformance {
    /// The one table of layer counters, in the JSON report's order.
    public static let counters: [PerformanceCounter] = [
        .init(
            "cycles.total", .cycles, "From the first transfer's issue to the last store's completion.",
            csv: "cycles_total", trace: "total_cycles", sweep: "cycles", \.cycles.total),
        .init(
            "cycles.compute", .cycles, "Cycles in which the array, the requantizer or the vector unit works.",
            csv: "cycles_compute", trace: "compute_cycles", sweep: "compute_cycles", \.cycles.compute),
        .init(
            "cycles.stall.total", .cycles, "Stall cycles, all causes.", csv: "cycles_stall", sweep: "stall_cycles",
            \.cycles.stall.total),
        .init(
            "cycles.stall.input", .cycles, "Stalls waiting for input transfers.",
            csv: "stall_input", trace: "stall_input_cycles", sweep: "stall_input", \.cycles.stall.input),
        .init(
            "cycles.stall.weight", .cycles, "Stalls waiting for weight transfers.",
            csv: "stall_weight", trace: "stall_weight_cycles", sweep: "stall_weight", \.cycles.stall.weight),
        .init(
            "cycles.stall.output", .cycles, "Stalls waiting for output stores.",
            csv: "stall_output", trace: "stall_output_cycles", sweep: "stall_output", \.cycles.stall.output),
        .init(
            "cycles.stall.vector", .cycles, "Stalls of the vector unit waiting for its operands.",
            csv: "stall_vector", trace: "stall_vector_cycles", sweep: "stall_vector", \.cycles.stall.vector),
        .init(
            "cycles.prologue", .cycles, "Exposed DMA time before the first compute step.",
            trace: "prologue_cycles", \.cycles.prologue),
        .init(
            "cycles.epilogue", .cycles, "Exposed DMA time after the last compute step.",
            trace: "epilogue_cycles", \.cycles.epilogue),
        .init(
            "cycles.array", .cycles, "Array cycles within compute (all phases of all folds).",
            trace: "array_cycles", \.cycles.array),
        .init(
            "cycles.array_fill_drain", .cycles,
            "Array cycles within cycles.array spent filling the PEs (preload) or draining them.",
            \.cycles.arrayFillDrain),
        .init(
            "cycles.requantizer", .cycles, "Requantizer cycles within compute.",
            trace: "requantizer_cycles", \.cycles.requantizer),
        .init("cycles.vector", .cycles, "Vector-unit cycles within compute.", trace: "vector_cycles", \.cycles.vector),
        .init(
            "macs", .operations, "Multiply-accumulates of one inference (the report states the graph's own count).",
            inReport: false, trace: "macs", sweep: "macs", \.macs),
        .init(
            "utilization", .ratio, "MACs / (rows · cols · total cycles).", csv: "utilization", sweep: "utilization",
            \.utilization),
        .init(
            "mapping_efficiency", .ratio, "MACs / (rows · cols · Σ folds' stream length).",
            csv: "mapping_efficiency", sweep: "mapping_efficiency", \.mappingEfficiency),
        .init(
            "sram.input.read_bytes", .bytes, "Bytes read from the input buffer.",
            csv: "sram_input_read_bytes", trace: "sram_input_read_bytes", \.sram.input.readBytes),
        .init(
            "sram.input.write_bytes", .bytes, "Bytes written to the input buffer.",
            csv: "sram_input_write_bytes", trace: "sram_input_write_bytes", \.sram.input.writeBytes),
        .init(
            "sram.weight.read_bytes", .bytes, "Bytes read from the weight buffer.",
            csv: "sram_weight_read_bytes", trace: "sram_weight_read_bytes", \.sram.weight.readBytes),
        .init(
            "sram.weight.write_bytes", .bytes, "Bytes written to the weight buffer.",
            csv: "sram_weight_write_bytes", trace: "sram_weight_write_bytes", \.sram.weight.writeBytes),
        .init(
            "sram.output.read_bytes", .bytes, "Bytes read from the output buffer.",
            csv: "sram_output_read_bytes", trace: "sram_output_read_bytes", \.sram.output.readBytes),
        .init(
            "sram.output.write_bytes", .bytes, "Bytes written to the output buffer.",
            csv: "sram_output_write_bytes", trace: "sram_output_write_bytes", \.sram.output.writeBytes),
        .init(
            "sram.read_bytes", .bytes, "Bytes read from the three buffers.", inReport: false, sweep: "sram_read_bytes",
            \.sram.readBytes),
        .init(
            "sram.write_bytes", .bytes, "Bytes written to the three buffers.", inReport: false,
            sweep: "sram_write_bytes", \.sram.writeBytes),
        .init(
            "dram.read_bytes", .bytes, "DRAM bytes read, at the real element widths.",
            csv: "dram_read_bytes", trace: "dram_read_bytes", sweep: "dram_read_bytes", \.dram.readBytes),
        .init(
            "dram.write_bytes", .bytes, "DRAM bytes written.", csv: "dram_write_bytes", trace: "dram_write_bytes",
            sweep: "dram_write_bytes", \.dram.writeBytes),
        .init(
            "dram.bytes", .bytes, "DRAM bytes read and written.", inReport: false, sweep: "dram_bytes", \.dram.bytes),
        .init("dram.input_read_bytes", .bytes, "DRAM bytes of input activations read.", \.dram.inputReadBytes),
        .init("dram.weight_read_bytes", .bytes, "DRAM bytes of weights read.", \.dram.weightReadBytes),
        .init("dram.bias_read_bytes", .bytes, "DRAM bytes of int32 biases read.", \.dram.biasReadBytes),
        .init(
            "dram.partial_sum_read_bytes", .bytes, "DRAM bytes of int32 partial sums read back (spills).",
            \.dram.partialSumReadBytes),
        .init(
            "dram.partial_sum_write_bytes", .bytes, "DRAM bytes of int32 partial sums spilled.",
            \.dram.partialSumWriteBytes),
        .init(
            "requantizer_ops", .operations, "Requantizer operations (one per output element).",
            csv: "requantizer_ops", trace: "requantizer_ops", \.requantizerOps),
        .init(
            "vector_ops", .operations, "Vector-unit element operations.", csv: "vector_ops", trace: "vector_ops",
            \.vectorOps),
        .init(
            "array_folds", .count, "Folds the array runs: a fold is one pass of an array-sized weight block.",
            \.arrayFolds),
        .init(
            "dma_transfers", .count, "DMA transfers of the schedule.", inReport: false, trace: "dma_transfers",
            \.dmaTransfers),
        .init(
            "compute_steps", .count, "Compute steps of the schedule (array tiles and vector chunks).",
            inReport: false, trace: "compute_steps", \.computeSteps),
        .init(
            "latency_us", .microseconds, "Total cycles at the configured clock.", csv: "latency_us",
            sweep: "latency_us",
            \.latencyMicroseconds),
        .init(
            "energy_pj", .picojoules, "Energy from the config's energy table; absent without one.",
            csv: "energy_pj", sweep: "energy_pj"
        ) { $0.energyPicojoules.map(PerformanceCounter.Value.double) ?? .absent },
    ]

    /// The counter with JSON-report name `name`.
    public static func counter(named name: String) -> PerformanceCounter? {
        counters.first { $0.name == name }
    }

    /// The counters as the JSON report nests them: `cycles.stall.input` under `cycles`, `stall`.
    public func reportJSON() -> JSONObject {
        var object = JSONObject()
        for counter in Self.counters where counter.inReport {
            guard let value = counter.value(self).json else { continue }
            Self.insert(value, at: counter.name.split(separator: ".").map(String.init)[...], into: &object)
        }
        return object
    }

    private static func insert(_ value: JSONValue, at path: ArraySlice<String>, into object: inout JSONObject) {
        guard let key = path.first else { return }
        if path.count == 1 {
            object[key] = value
            return
        }
        var child = object[key]?.objectValue ?? JSONObject()
        insert(value, at: path.dropFirst(), into: &child)
        object[key] = .object(child)
    }
}

extension LayerPerformance: Encodable {
    /// Encodes ``reportJSON()``: the JSON report's per-layer and total performance.
    public func encode(to encoder: any Encoder) throws {
        try JSONValue.object(reportJSON()).encode(to: encoder)
    }
}
