import AccsimFiles
import AccsimJSON
import AccsimReport
import ArgumentParser
import Foundation

/// `accsim report`: the HTML page of a saved JSON run report.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render a saved JSON run report (accsim run --hw … --report run.json) as one HTML file.",
        discussion: """
            The page is self-contained (inline SVG and CSS, no network): cycles per layer by cause, \
            utilization and mapping efficiency, a roofline of the configured hardware, traffic per \
            buffer, each layer's mapping when the report has one, a sortable table and the resolved \
            config with its hash. `accsim run … --html FILE` writes the same page directly.
            """
    )

    @Argument(help: ArgumentHelp("A JSON run report written with --report or --format json.", valueName: "run.json"))
    var file: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The HTML file to write.", valueName: "report.html"))
    var output: String

    @Flag(name: .long, help: "Overwrite the output file if it exists.")
    var force = false

    func run() throws {
        guard let contents = FileManager.default.contents(atPath: file) else {
            throw CLIError("\(file): cannot read the file", exitCode: CLIError.badInput)
        }
        let json: JSONValue
        do {
            json = try JSONParser().parse(Array(contents))
        } catch {
            throw CLIError("\(file): not JSON: \(error.message)", exitCode: CLIError.badInput)
        }
        let page: String
        do {
            page = try HTMLReport(json: json, file: file).render()
        } catch {
            throw CLIError(error.message, exitCode: CLIError.badInput)
        }
        try OutputFile.write(Array(page.utf8), to: output, overwrite: force)
    }
}
