import AccsimTestSupport
import Foundation
import Testing

@Suite struct ReportCommandTests {
    @Test func runHTMLEqualsTheReportOfTheSavedJSON() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let json = directory.appendingPathComponent("run.json").path
        let direct = directory.appendingPathComponent("direct.html").path
        let fromJSON = directory.appendingPathComponent("from-json.html").path
        let run = try CLI.run(RunCommandTests.example + ["--report", json, "--html", direct])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let report = try CLI.run(["report", json, "-o", fromJSON])
        #expect(report.status == 0, "stderr: \(report.stderr)")
        let a = try String(contentsOfFile: direct, encoding: .utf8)
        let b = try String(contentsOfFile: fromJSON, encoding: .utf8)
        #expect(a == b)
        // The digits model: conv1, pool1, conv2, mean, fc — one bar each; the three layers with
        // MACs on the roofline; 348/360 from the labels.
        #expect(a.components(separatedBy: "<g class=\"layer-bar\">").count - 1 == 5)
        #expect(a.components(separatedBy: "class=\"roofline-point\"").count - 1 == 3)
        #expect(a.contains("<dt>top-1</dt><dd>348/360 = 96.67%</dd>"))
        #expect(a.contains("<dt>cycles per inference</dt><dd>5,812 = 11.62 µs</dd>"))

        // Never over an existing file without --force.
        let again = try CLI.run(["report", json, "-o", fromJSON])
        #expect(again.status == 2)
        #expect(again.stderr.contains("\(fromJSON) exists; pass --force to overwrite it"))
        #expect(try CLI.run(["report", json, "-o", fromJSON, "--force"]).status == 0)
    }

    @Test func badReportsNameTheFileAndField() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let json = directory.appendingPathComponent("run.json").path
        try Data("{\"schema_version\": 1}".utf8).write(to: URL(fileURLWithPath: json))
        let result = try CLI.run(["report", json, "-o", directory.appendingPathComponent("x.html").path])
        #expect(result.status == 2)
        #expect(result.stderr == "accsim: error: \(json): accsim_version: missing\n")
        let noHW = try CLI.run(["Models/digits.q", "--html", directory.appendingPathComponent("y.html").path])
        #expect(noHW.status == 2)
        #expect(noHW.stderr.contains("--html charts the hardware's cycles: it needs --hw"))
    }

    @Test func sweepPlotDrawsAScatterAndAHeatMap() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let results = directory.appendingPathComponent("r.jsonl").path
        let sweep = try CLI.run([
            "sweep", "--hw", "8x8", "Models/digits.q", "--vary", "array.rows=4,8,16", "--vary", "array.cols=0,8,16",
            "--out", results,
        ])
        #expect(sweep.status == 0, "stderr: \(sweep.stderr)")
        let scatter = directory.appendingPathComponent("s.svg").path
        let plot = try CLI.run([
            "sweep", "plot", results, "--x", "latency", "--y", "area", "--color", "array.rows",
            "--svg", scatter,
        ])
        #expect(plot.status == 0, "stderr: \(plot.stderr)")
        let svg = try String(contentsOfFile: scatter, encoding: .utf8)
        // 3 × 3 points, the three with 0 columns invalid and listed.
        #expect(svg.components(separatedBy: "class=\"point").count - 1 == 6)
        #expect(svg.contains("Left out (3):"))
        let heat = directory.appendingPathComponent("h.svg").path
        let map = try CLI.run([
            "sweep", "plot", results, "--x", "array.rows", "--y", "array.cols", "--heatmap", "cycles",
            "--svg", heat,
        ])
        #expect(map.status == 0, "stderr: \(map.stderr)")
        let heatSVG = try String(contentsOfFile: heat, encoding: .utf8)
        #expect(heatSVG.components(separatedBy: "class=\"cell\"").count - 1 == 6)
        #expect(heatSVG.components(separatedBy: "class=\"cell invalid\"").count - 1 == 3)
        let again = try CLI.run(["sweep", "plot", results, "--x", "latency", "--y", "area", "--svg", scatter])
        #expect(again.status == 2)
        #expect(again.stderr.contains("exists; pass --force"))
        let unknown = try CLI.run([
            "sweep", "plot", results, "--x", "latency", "--y", "nope", "--svg", scatter, "--force",
        ])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown plot key 'nope'"))
    }
}
