import AccsimSuggestions
import Testing

@Suite struct SuggestionTests {
    @Test func editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        #expect(Suggestion.editDistance("rows", "rows") == 0)
        #expect(Suggestion.editDistance("rwos", "rows") == 1)  // a swap of neighbours is one edit
        #expect(Suggestion.editDistance("ab", "ba") == 1)
        #expect(Suggestion.editDistance("abc", "ca") == 3)  // no substring edited twice
        #expect(Suggestion.editDistance("kitten", "sitting") == 3)
        #expect(Suggestion.editDistance("", "abc") == 3)
        #expect(Suggestion.editDistance("abc", "") == 3)
        #expect(Suggestion.editDistance("conv1", "conv") == 1)
    }

    @Test func limitGrowsWithTheLengthAndIsCapped() {
        #expect(Suggestion.limit(for: "a") == 1)
        #expect(Suggestion.limit(for: "rwos") == 1)
        #expect(Suggestion.limit(for: "rwoss") == 1)
        #expect(Suggestion.limit(for: "dataflow") == 2)
        #expect(Suggestion.limit(for: "bandwidth_bytes_per_cycle") == 3)
    }

    @Test func closestPicksTheNearestPlausibleName() {
        #expect(Suggestion.closest(to: "rwos", among: ["rows", "cols", "dataflow"]) == "rows")
        #expect(Suggestion.closest(to: "rxyz", among: ["rows", "cols", "dataflow"]) == nil)  // 3 > 1
        #expect(Suggestion.closest(to: "rowz", among: ["rows", "cols", "dataflow"]) == "rows")
        #expect(Suggestion.closest(to: "datafow", among: ["rows", "cols", "dataflow"]) == "dataflow")
        #expect(Suggestion.closest(to: "8X8", among: ["16x16-ws", "8x8"]) == "8x8")
        #expect(Suggestion.closest(to: "conv3", among: ["conv1", "conv2"]) == "conv1")  // tie: first
        #expect(Suggestion.closest(to: "zzzzzz", among: ["conv1", "conv2"]) == nil)
        #expect(Suggestion.closest(to: "rows", among: ["rows"]) == nil)  // the name itself is no suggestion
    }

    @Test func didYouMeanRendersTheSuffix() {
        #expect(Suggestion.didYouMean("cosl", among: ["rows", "cols"]) == " (did you mean 'cols'?)")
        #expect(Suggestion.didYouMean("qqqq", among: ["rows", "cols"]) == "")
    }
}
