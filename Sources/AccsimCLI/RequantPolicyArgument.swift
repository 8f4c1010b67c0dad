import AccsimHardware
import AccsimImport
import AccsimModel
import ArgumentParser
import Foundation

/// `--requant` values: `fixed-point`, `fixed-point:BITS`, `single-shift`.
struct RequantPolicyArgument: ExpressibleByArgument {
    var policy: RequantPolicy

    init?(argument: String) {
        if argument == "single-shift" {
            policy = .singleShift
        } else if argument == "fixed-point" {
            policy = .default
        } else if argument.hasPrefix("fixed-point:"), let bits = Int(argument.dropFirst("fixed-point:".count)),
            (1...32).contains(bits)
        {
            policy = .fixedPoint(bits: bits)
        } else {
            return nil
        }
    }

    static var defaultCompletionKind: CompletionKind { .list(["fixed-point", "fixed-point:16", "single-shift"]) }
}
