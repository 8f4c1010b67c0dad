import AccsimReport
import ArgumentParser

/// The report formats `accsim run` can print.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
    case csv

    func render(_ report: RunReport) throws -> String {
        switch self {
        case .table: report.renderTable()
        case .json: try report.renderJSON()
        case .csv: report.renderCSV()
        }
    }
}
