import AccsimArithmetic
import AccsimChecksum
import AccsimExecution
import AccsimModel

/// What a sweep keeps of a computed output: its checksum and, with labels, the top-1 count.
public struct SweepDataSummary: Sendable, Hashable {
    /// CRC32 (zlib) of every graph output's elements, packed little-endian at their width and
    /// concatenated in graph-output order, as 8 hex digits (for a single-output model, the
    /// `crc32` of `accsim run`'s report).
    public var outputCRC32: String
    /// Number of samples run.
    public var samples: Int
    /// Samples whose argmax equals the label (nil without labels).
    public var correct: Int?

    /// A summary as given.
    public init(outputCRC32: String, samples: Int, correct: Int?) {
        self.outputCRC32 = outputCRC32
        self.samples = samples
        self.correct = correct
    }

    /// The summary of `outputs` (each graph output `[N, …]`) of `graph` against `labels`.
    public init(outputs: [String: IntTensor], graph: Graph, data: SweepInputData) throws(SweepPointError) {
        var bytes: [UInt8] = []
        for name in graph.outputs {
            guard let tensor = outputs[name] else { throw SweepPointError("the run produced no output '\(name)'") }
            bytes += ConstantData(elementType: tensor.elementType, values: tensor.values).bytes
        }
        outputCRC32 = CRC32.hex(CRC32.checksum(bytes))
        samples = data.samples
        if let labels = data.labels {
            guard let primary = outputs[graph.outputs[0]], primary.shape.count == 2 else {
                throw SweepPointError("labels need a model output shaped [N, classes]; '\(graph.outputs[0])' is not")
            }
            correct = Classification.correctCount(predictions: Classification.argmax(primary), labels: labels)
        } else {
            correct = nil
        }
    }
}

/// Why one point is invalid: the message its row carries.
public struct SweepPointError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the point.
    public var message: String

    /// An error with `message`.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
