/// How a vector-unit layer is mapped: its operation class, its total work and how it is chunked
/// to fit the input and output buffers.
public struct VectorLayerPlan: Sendable, Hashable {
    /// Which cycles-per-op entry the layer uses.
    public var opClass: VectorOpClass
    /// Element operations of the whole layer (one sample).
    public var work: Int
    /// `vector_unit.cycles_per_op` of the class.
    public var cyclesPerOp: Int
    /// `vector_unit.lanes`.
    public var lanes: Int
    /// Number of chunks (vector compute steps).
    public var chunks: Int
    /// Input tensors, in operand order.
    public var inputs: [String]
    /// The output tensor.
    public var output: String

    /// A plan as given.
    public init(
        opClass: VectorOpClass, work: Int, cyclesPerOp: Int, lanes: Int, chunks: Int, inputs: [String], output: String
    ) {
        self.opClass = opClass
        self.work = work
        self.cyclesPerOp = cyclesPerOp
        self.lanes = lanes
        self.chunks = chunks
        self.inputs = inputs
        self.output = output
    }

    /// `ceil(work / lanes) · cycles_per_op`: the layer's vector cycles when it runs as one chunk
    /// (each chunk rounds its own work up to whole lane-wide operations).
    public var unchunkedCycles: Int { (work + lanes - 1) / lanes * cyclesPerOp }
}
