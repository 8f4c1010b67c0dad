import Testing

@testable import AccsimModel

/// Expects `graph.validate()` to fail with an error naming `node` and `field`, whose message
/// contains `fragment`. Shared by the validation suites of this target.
func expectInvalid(
    _ graph: Graph, node: String?, field: String?, _ fragment: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    do {
        try graph.validate()
        Issue.record("expected a validation error containing '\(fragment)'", sourceLocation: sourceLocation)
    } catch {
        #expect(error.node == node, sourceLocation: sourceLocation)
        #expect(error.field == field, sourceLocation: sourceLocation)
        #expect(error.message.contains(fragment), "message was: \(error.message)", sourceLocation: sourceLocation)
    }
}
