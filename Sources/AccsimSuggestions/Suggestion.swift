// AccsimSuggestions: "did you mean …?" for names a user typed (config keys, bundled hardware
// configs, layer and op names). One edit distance and one rule for what counts as a plausible typo,
// so every error that suggests a name suggests it the same way.

/// The closest of a set of known names to one a user typed.
public enum Suggestion {
    /// The edit distance between `a` and `b`: insertions, deletions, substitutions and swaps of two
    /// adjacent Unicode scalars each cost 1 (the optimal-string-alignment distance, so the typo
    /// `rwos` is 1 from `rows`).
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }

    /// The largest distance accepted as a typo of `name`: a third of its length, at least 1, at
    /// most 3 (`rwos` → `rows` at 1 is accepted; `mean` for `conv` at 4 is not).
    public static func limit(for name: String) -> Int {
        min(3, max(1, name.unicodeScalars.count / 3))
    }

    /// The candidate nearest to `name`, when it is within ``limit(for:)``; ties go to the first in
    /// `candidates`' order. Case is compared as typed, except that a candidate equal to `name`
    /// ignoring case (`8X8` for `8x8`) always wins.
    public static func closest(to name: String, among candidates: some Sequence<String>) -> String? {
        let lowered = name.lowercased()
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate != name {
            let distance = candidate.lowercased() == lowered ? 0 : editDistance(name, candidate)
            if distance <= limit(for: name), distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        return best?.name
    }

    /// ` (did you mean 'X'?)` for the closest candidate, or the empty string: ready to append to a
    /// message.
    public static func didYouMean(_ name: String, among candidates: some Sequence<String>) -> String {
        closest(to: name, among: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }
}
