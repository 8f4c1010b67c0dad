import AccsimJSON

/// The numbers an HTML report shows, read from a run report's JSON (docs/report-format.md): the
/// report renders what the JSON holds and counts nothing itself. Reading from the JSON, not the
/// Swift value, lets `accsim report run.json` and `accsim run --html` share one path and keeps
/// keys added later (such as a layer's `mapping`) visible without a code change here.
public struct HTMLReportData: Sendable {
    /// One layer (or the totals) on the hardware.
    public struct Layer: Sendable, Hashable {
        public var index: Int?
        public var name: String
        public var op: String
        public var macs: Int
        /// Cycle segments in ``HTMLReportData/segmentNames`` order; they sum to `totalCycles`.
        public var segments: [Int]
        public var totalCycles: Int
        public var utilization: Double
        public var mappingEfficiency: Double
        /// SRAM bytes in ``HTMLReportData/sramColumns`` order.
        public var sram: [Int]
        /// DRAM bytes in ``HTMLReportData/dramColumns`` order.
        public var dram: [Int]
        public var dramReadBytes: Int
        public var dramWriteBytes: Int
        public var latencyMicroseconds: Double
        /// The layer's chosen mapping, when the report has one (`layers[].mapping`).
        public var mapping: JSONValue?

        /// MACs per DRAM byte (nil without DRAM traffic).
        public var arithmeticIntensity: Double? {
            let bytes = dramReadBytes + dramWriteBytes
            return bytes > 0 && macs > 0 ? Double(macs) / Double(bytes) : nil
        }

        /// MACs per cycle achieved (nil without MACs or cycles).
        public var macsPerCycle: Double? {
            totalCycles > 0 && macs > 0 ? Double(macs) / Double(totalCycles) : nil
        }
    }

    /// The stacked cycle segments, in drawing order (`total = prologue + compute + stalls + epilogue`).
    public static let segmentNames = [
        "compute", "stall: input", "stall: weight", "stall: output", "stall: vector", "prologue", "epilogue",
    ]
    /// The SRAM traffic columns (bytes).
    public static let sramColumns = [
        "input read", "input write", "weight read", "weight write", "output read", "output write",
    ]
    /// The DRAM traffic columns (bytes): reads by kind, then writes.
    public static let dramColumns = ["input read", "weight read", "bias read", "partial-sum read", "write"]

    public var modelName: String
    public var modelFile: String
    public var accsimVersion: String
    public var hardwareName: String
    public var hardwareFile: String
    public var configHash: String
    /// The resolved config as the report holds it.
    public var config: JSONValue
    public var rows: Int
    public var cols: Int
    public var dataflow: String
    public var clockMHz: Double
    /// DRAM bandwidth, bytes per cycle.
    public var dramBytesPerCycle: Double
    public var samples: Int
    public var inputSource: String
    public var layers: [Layer]
    public var totals: Layer
    /// `correct/total` when the run had labels.
    public var accuracy: (correct: Int, total: Int)?

    /// Peak MACs per cycle: one per processing element.
    public var peakMACsPerCycle: Double { Double(rows * cols) }

    /// Reads `json`, a run report; `file` names it in errors, which also name the field.
    public init(json: JSONValue, file: String) throws(ReportError) {
        let root = Reader(value: json, path: "", file: file)
        let version = try root.int("schema_version")
        guard version <= RunReport.currentSchemaVersion else {
            throw ReportError(
                "\(file): schema_version \(version) is newer than this accsim reads (\(RunReport.currentSchemaVersion))"
            )
        }
        accsimVersion = try root.string("accsim_version")
        let model = try root.object("model")
        modelName = try model.string("name")
        modelFile = try model.string("file")
        guard json["hardware"] != nil else {
            throw ReportError("\(file): the report has no hardware section (run with --hw): nothing to chart")
        }
        let hardware = try root.object("hardware")
        hardwareName = try hardware.string("name")
        hardwareFile = try hardware.string("file")
        configHash = try hardware.string("config_hash")
        let configReader = try hardware.object("config")
        config = configReader.value
        let array = try configReader.object("array")
        rows = try array.int("rows")
        cols = try array.int("cols")
        dataflow = try array.string("dataflow")
        clockMHz = try configReader.double("clock_mhz")
        dramBytesPerCycle = try configReader.object("dram").double("bandwidth_bytes_per_cycle")
        samples = try root.int("samples")
        inputSource = try root.string("input_source")
        layers = try root.array("layers").map { reader throws(ReportError) in try Self.layer(reader, isTotal: false) }
        totals = try Self.layer(try root.object("totals"), isTotal: true)
        if json["accuracy"] != nil {
            let accuracy = try root.object("accuracy")
            self.accuracy = (try accuracy.int("correct"), try accuracy.int("total"))
        }
    }

    private static func layer(_ r: Reader, isTotal: Bool) throws(ReportError) -> Layer {
        let cycles = try r.object("cycles")
        let stall = try cycles.object("stall")
        let sram = try r.object("sram")
        let dram = try r.object("dram")
        var sramBytes: [Int] = []
        for buffer in ["input", "weight", "output"] {
            let b = try sram.object(buffer)
            sramBytes += [try b.int("read_bytes"), try b.int("write_bytes")]
        }
        let segments = [
            try cycles.int("compute"), try stall.int("input"), try stall.int("weight"), try stall.int("output"),
            try stall.int("vector"), try cycles.int("prologue"), try cycles.int("epilogue"),
        ]
        return Layer(
            index: isTotal ? nil : try r.int("index"),
            name: isTotal ? "total" : try r.string("name"),
            op: isTotal ? "" : try r.string("op"),
            macs: try r.int("macs"), segments: segments, totalCycles: try cycles.int("total"),
            utilization: try r.double("utilization"), mappingEfficiency: try r.double("mapping_efficiency"),
            sram: sramBytes,
            dram: [
                try dram.int("input_read_bytes"), try dram.int("weight_read_bytes"), try dram.int("bias_read_bytes"),
                try dram.int("partial_sum_read_bytes"), try dram.int("write_bytes"),
            ],
            dramReadBytes: try dram.int("read_bytes"), dramWriteBytes: try dram.int("write_bytes"),
            latencyMicroseconds: try r.double("latency_us"),
            mapping: r.value["mapping"])
    }
}

/// A run report that cannot be read or rendered; the message names the file and the field.
public struct ReportError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Typed access to a JSON value that names the field path in its errors.
private struct Reader {
    var value: JSONValue
    var path: String
    var file: String

    private func member(_ key: String) throws(ReportError) -> (JSONValue, String) {
        let full = path.isEmpty ? key : path + "." + key
        guard case .object = value else {
            throw ReportError("\(file): \(path.isEmpty ? "the report" : path) is not an object")
        }
        guard let member = value[key] else { throw ReportError("\(file): \(full): missing") }
        return (member, full)
    }

    func int(_ key: String) throws(ReportError) -> Int {
        let (member, full) = try member(key)
        guard let number = member.intValue else {
            throw ReportError("\(file): \(full): expected an integer, found \(member.kindDescription)")
        }
        return Int(number)
    }

    func double(_ key: String) throws(ReportError) -> Double {
        let (member, full) = try member(key)
        guard let number = member.doubleValue else {
            throw ReportError("\(file): \(full): expected a number, found \(member.kindDescription)")
        }
        return number
    }

    func string(_ key: String) throws(ReportError) -> String {
        let (member, full) = try member(key)
        guard let text = member.stringValue else {
            throw ReportError("\(file): \(full): expected a string, found \(member.kindDescription)")
        }
        return text
    }

    func object(_ key: String) throws(ReportError) -> Reader {
        let (member, full) = try member(key)
        guard case .object = member else {
            throw ReportError("\(file): \(full): expected an object, found \(member.kindDescription)")
        }
        return Reader(value: member, path: full, file: file)
    }

    func array(_ key: String) throws(ReportError) -> [Reader] {
        let (member, full) = try member(key)
        guard let elements = member.arrayValue else {
            throw ReportError("\(file): \(full): expected an array, found \(member.kindDescription)")
        }
        return elements.enumerated().map { Reader(value: $1, path: "\(full)[\($0)]", file: file) }
    }
}
