import AccsimExecution
import AccsimHardware
import AccsimMapping
import AccsimModel

/// Maps and times a graph on a config exactly as ``HardwareSimulation`` does — the same operand
/// type check, ``Mapper``, the schedule's results, ``LayerPerformance`` — but without preparing
/// the data path: `HardwareSimulation.init` also builds a reference engine, which unpacks every
/// weight to Int32 (47 MB for ResNet-18), five times the cost of timing a point. A sweep builds a
/// ``HardwareSimulation`` only for the first point of each data key. The tests check that rows
/// and invalid-point messages equal ``HardwareSimulation``'s.
enum SweepTiming {
    /// The schedule and the performance of every layer, or why the point is invalid.
    static func time(_ graph: Graph, on hardware: HardwareConfig) throws(SweepPointError) -> (schedule: Schedule, performance: [LayerPerformance]) {
        for node in graph.nodes {
            switch node.operation {
            case .conv2D, .fullyConnected: try checkOperandTypes(node, graph: graph, hardware: hardware)
            default: continue
            }
        }
        let schedule: Schedule
        do {
            schedule = try Mapper(hardware: hardware).schedule(graph)
        } catch {
            throw SweepPointError(ExecutionError(node: error.layer, error.message).description)
        }
        let performance = zip(schedule.layers, schedule.results()).map {
            LayerPerformance(layer: $0, result: $1, hardware: hardware)
        }
        return (schedule, performance)
    }

    /// The array multiplies `array.input_type` activations by `array.weight_type` weights (the
    /// check and message of ``HardwareSimulation``).
    private static func checkOperandTypes(_ node: Node, graph: Graph, hardware: HardwareConfig) throws(SweepPointError) {
        if let input = graph.tensor(named: node.inputs[0]), input.elementType != hardware.array.inputType {
            throw SweepPointError(ExecutionError(node: node.name, "activations '\(input.name)' are \(input.elementType.rawValue) but the array multiplies \(hardware.array.inputType.rawValue) activations (array.input_type)").description)
        }
        if let weights = graph.tensor(named: node.inputs[1]), weights.elementType != hardware.array.weightType {
            throw SweepPointError(ExecutionError(node: node.name, "weights '\(weights.name)' are \(weights.elementType.rawValue) but the array multiplies \(hardware.array.weightType.rawValue) weights (array.weight_type)").description)
        }
    }
}
