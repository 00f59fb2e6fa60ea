import Store

/// Finds sentence boundaries in Chinese and English: after 。！？；… (and their ASCII forms; a `.` only
/// when whitespace or the end follows, so 3.14 and file.txt stay whole), including any closing quotes
/// or brackets that follow, and at every line break (list items, verse, headings).
enum SentenceSplitter {
    static let terminators: Set<Unicode.Scalar> = ["。", "！", "？", "；", "…", "!", "?", ";", "．", "⋯"]
    static let closers: Set<Unicode.Scalar> = ["”", "’", "\"", "'", "」", "』", "）", ")", "】", "》", "]", "〕"]

    /// Sentence ranges inside `range` of `text`, trimmed of surrounding whitespace, in order, non-empty.
    static func sentences(in text: [Unicode.Scalar], _ range: Range<Int>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = range.lowerBound, i = range.lowerBound
        func cut(at end: Int) {
            if let trimmed = trim(text, start..<end) { result.append(trimmed) }
            start = end
        }
        while i < range.upperBound {
            let c = text[i]
            if c == "\n" {
                cut(at: i); i += 1; start = i
                continue
            }
            let isEnd = terminators.contains(c)
                || (c == "." && (i + 1 == range.upperBound || text[i + 1].properties.isWhitespace
                                 || closers.contains(text[i + 1]) || FullTextTerms.isCJKScalar(text[i + 1])))
            i += 1
            guard isEnd else { continue }
            while i < range.upperBound, terminators.contains(text[i]) || text[i] == "." { i += 1 }
            while i < range.upperBound, closers.contains(text[i]) { i += 1 }
            cut(at: i)
        }
        cut(at: range.upperBound)
        return result
    }

    /// `range` without leading and trailing whitespace, or nil when nothing is left.
    static func trim(_ text: [Unicode.Scalar], _ range: Range<Int>) -> Range<Int>? {
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi, text[lo].properties.isWhitespace { lo += 1 }
        while hi > lo, text[hi - 1].properties.isWhitespace { hi -= 1 }
        return lo < hi ? lo..<hi : nil
    }
}
