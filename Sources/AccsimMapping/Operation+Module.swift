import AccsimModel

/// `Operation` means the graph's operation in every file of this module, including files that also
/// import Foundation (whose `Operation` is an unrelated class and would make the name ambiguous).
typealias Operation = AccsimModel.Operation
