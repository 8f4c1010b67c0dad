import AccsimImport
import AccsimModel
import AccsimReport
import ArgumentParser

/// `accsim inspect`: what a model file holds, layer by layer.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print a model's layers: ops, shapes, quantization, MACs and parameter bytes."
    )

    @Argument(help: ArgumentHelp("The model file.", valueName: "model.q"))
    var model: String

    func run() throws {
        let graph = try ModelFile.load(model)
        print(ModelInspection(graph: graph, file: model).render(), terminator: "")
    }
}
