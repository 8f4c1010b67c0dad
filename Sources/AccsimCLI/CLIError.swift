import AccsimExecution
import AccsimFiles
import AccsimHardware
import AccsimJSON
import AccsimMapping
import AccsimModel
import AccsimSweep
import AccsimTrace

/// An error as the CLI reports it: one message and an exit status.
///
/// The one place where library errors become exit statuses: ``init(classifying:)`` lists every
/// error type the libraries throw, so commands let them propagate instead of wrapping them.
struct CLIError: Error {
    /// Status for bad input files, arguments or usage.
    static let badInput: Int32 = 2
    /// Status for a failure of the simulation itself.
    static let simulationFailure: Int32 = 1

    var message: String
    var exitCode: Int32

    init(_ message: String, exitCode: Int32 = CLIError.badInput) {
        self.message = message
        self.exitCode = exitCode
    }

    /// Classifies the library errors accsim knows; nil for anything else (argument parsing).
    init?(classifying error: any Error) {
        switch error {
        case let error as CLIError:
            self = error
        case let error as ModelError:
            self.init(error.description, exitCode: Self.badInput)
        case let error as HardwareConfigError:
            self.init(error.description, exitCode: Self.badInput)
        case let error as ExecutionError:
            self.init(error.description, exitCode: error.isBadInput ? Self.badInput : Self.simulationFailure)
        case let error as MappingError:
            self.init(error.description, exitCode: Self.badInput)
        case let error as TraceError:
            self.init(error.description, exitCode: Self.badInput)
        case let error as SweepError:
            // Bad arguments, sweep files or results files: always a problem with the input.
            self.init(error.message, exitCode: Self.badInput)
        case let error as OutputFileError:
            self.init(error.description, exitCode: Self.badInput)
        case let error as JSONError:
            self.init(error.description, exitCode: Self.badInput)
        default:
            return nil
        }
    }
}
