import AccsimExecution
import AccsimHardware
import AccsimModel

/// An error as the CLI reports it: one message and an exit status.
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

    /// Classifies the library errors accsim knows; nil for anything else.
    init?(classifying error: any Error) {
        switch error {
        case let error as ModelError:
            self.init(error.description, exitCode: Self.badInput)
        case let error as HardwareConfigError:
            self.init(error.description, exitCode: Self.badInput)
        case let error as ExecutionError:
            self.init(error.description, exitCode: error.isBadInput ? Self.badInput : Self.simulationFailure)
        default:
            return nil
        }
    }
}
