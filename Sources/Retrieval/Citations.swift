/// A passage the generated answer cites, resolved to where it came from.
public struct Citation: Equatable, Sendable {
    /// The number the model wrote, "[n]".
    public var n: Int
    public var source: String
    /// The chunk's ordinal within its document.
    public var chunk: Int
    /// False when the model wrote "[n]" itself; true when `CitationAttribution` added it from grounding.
    public var attributed: Bool
    /// The cited passage's pages, for paged documents (PDF); nil for the others.
    public var pages: ClosedRange<Int>?

    public init(n: Int, source: String, chunk: Int, attributed: Bool = false, pages: ClosedRange<Int>? = nil) {
        self.n = n; self.source = source; self.chunk = chunk; self.attributed = attributed; self.pages = pages
    }
}

/// Finds "[n]" citations in generated text: also "[1, 2]", "[1][2]", "[1-3]" and the full-width forms
/// "［1］" / "【1】" / "，" that Chinese output uses.
public enum CitationParser {
    /// Cited numbers in order of first appearance, each once.
    public static func numbers(in text: String) -> [Int] {
        var result: [Int] = [], seen: Set<Int> = []
        for group in groups(in: text) {
            for n in group.numbers where seen.insert(n).inserted { result.append(n) }
        }
        return result
    }

    /// `text` with every citation group removed (for embedding a sentence by its meaning alone).
    public static func removingCitations(from text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var kept = String.UnicodeScalarView(), position = 0
        for group in groups(in: text) {
            kept.append(contentsOf: scalars[position..<group.range.lowerBound])
            position = group.range.upperBound
        }
        kept.append(contentsOf: scalars[position...])
        return String(kept)
    }

    /// Resolves numbers against the prompt's passages; numbers with no passage come back in `invalid`.
    public static func resolve(_ numbers: [Int], passages: [PromptPassage]) -> (citations: [Citation], invalid: [Int]) {
        var citations: [Citation] = [], invalid: [Int] = []
        for n in numbers {
            if n >= 1, n <= passages.count {
                let chunk = passages[n - 1].chunk
                citations.append(Citation(n: n, source: chunk.documentPath, chunk: chunk.ordinal, pages: chunk.pages))
            } else {
                invalid.append(n)
            }
        }
        return (citations, invalid)
    }

    struct Group { var range: Range<Int>; var numbers: [Int] }

    static let openers: Set<Unicode.Scalar> = ["[", "［", "【"]
    static let closers: Set<Unicode.Scalar> = ["]", "］", "】"]
    static let separators: Set<Unicode.Scalar> = [",", "，", "、", " ", ";", "；"]
    static let dashes: Set<Unicode.Scalar> = ["-", "–", "～", "~"]
    /// A range like [1-3] expands to at most this many numbers (the model's typo should not explode).
    static let maximumRange = 20

    /// Bracket groups holding only numbers, separators and ranges, as scalar ranges of `text`.
    static func groups(in text: String) -> [Group] {
        let s = Array(text.unicodeScalars)
        var result: [Group] = []
        var i = 0
        while i < s.count {
            guard openers.contains(s[i]) else { i += 1; continue }
            var j = i + 1, numbers: [Int] = [], current: Int?, rangeStart: Int?, valid = true
            func finishNumber() {
                guard let value = current else { return }
                if let start = rangeStart, start <= value, value - start < maximumRange {
                    numbers.append(contentsOf: (start + 1)...value)
                } else {
                    numbers.append(value)
                }
                current = nil; rangeStart = nil
            }
            while j < s.count, !closers.contains(s[j]) {
                let c = s[j]
                if c.properties.numericType == .decimal, let value = c.properties.numericValue {
                    let digit = Int(value)
                    current = (current ?? 0) * 10 + digit
                    if current! > 9999 { valid = false; break }
                } else if separators.contains(c) {
                    finishNumber()
                } else if dashes.contains(c), let value = current {
                    numbers.append(value); rangeStart = value; current = nil
                } else {
                    valid = false; break
                }
                j += 1
            }
            guard valid, j < s.count else { i += 1; continue }
            finishNumber()
            if numbers.isEmpty { i = j + 1; continue }
            result.append(Group(range: i..<(j + 1), numbers: numbers))
            i = j + 1
        }
        return result
    }
}
