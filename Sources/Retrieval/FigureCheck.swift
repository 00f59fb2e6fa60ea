/// Finds the figures (numbers, years, versions, percentages) a generated sentence states that neither the
/// passages nor the question contain. A sentence can sit close in meaning to a passage sentence and still
/// change its number ("1.8 万亿参数" beside "数千亿参数"): the encoder cosine barely moves, so figures are
/// checked as text.
///
/// Only Arabic digits in the answer are checked; the sources also count Chinese numerals (三, 十二, 第一)
/// as the figures they stand for, so "3 个阶段" is backed by "三个阶段".
public struct FigureCheck: Sendable {
    private let known: Set<String>

    /// `sources`: every text the answer may take figures from (the passages and the question).
    public init(sources: [String]) {
        var known: Set<String> = []
        for text in sources {
            known.formUnion(Self.figures(in: text))
            known.formUnion(Self.chineseNumeralValues(in: text).map(String.init))
        }
        self.known = known
    }

    /// The figures of `sentence` found in no source, in order of appearance, each once.
    public func unbacked(in sentence: String) -> [String] {
        var seen: Set<String> = []
        return Self.figures(in: sentence, skippingListMarker: true).filter { !known.contains($0) && seen.insert($0).inserted }
    }

    /// Runs of digits with their inner decimal points ("3.5", "1.2.3"), thousands separators dropped
    /// ("1,000" and "1000" are one figure); full-width digits read as ASCII ones. With `skippingListMarker`,
    /// a leading "1." / "2、" / "3)" numbering the sentence is not a figure.
    static func figures(in text: String, skippingListMarker: Bool = false) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var figures: [String] = []
        var index = 0
        if skippingListMarker, let end = listMarkerEnd(scalars) { index = end }
        while index < scalars.count {
            guard digit(scalars[index]) != nil else { index += 1; continue }
            var figure = ""
            while index < scalars.count {
                if let d = digit(scalars[index]) {
                    figure.append(d); index += 1
                } else if scalars[index] == ".", index + 1 < scalars.count, digit(scalars[index + 1]) != nil {
                    figure.append("."); index += 1
                } else if scalars[index] == ",", isThousandsGroup(scalars, after: index) {
                    index += 1
                } else {
                    break
                }
            }
            figures.append(figure)
        }
        return figures
    }

    /// The values of runs of Chinese numerals: 一 … 九, 十, 百, 千, 万 (亿 left out: a source saying "数千亿"
    /// has no single value to back).
    static func chineseNumeralValues(in text: String) -> [Int] {
        var values: [Int] = []
        var total = 0, section = 0, pending = -1
        func finish() {
            if pending >= 0 || section > 0 || total > 0 { values.append(total + section + max(pending, 0)) }
            total = 0; section = 0; pending = -1
        }
        for character in text {
            if let value = digitValues[character] {
                if pending >= 0 { finish() }  // "三四" is two numbers, not thirty-four
                pending = value
            } else if let unit = unitValues[character] {
                if unit == 10_000 {
                    total = (total + section + max(pending, 0)) * unit; section = 0
                } else {
                    section += (pending < 0 ? 1 : pending) * unit
                }
                pending = -1
            } else {
                finish()
            }
        }
        finish()
        return values
    }

    private static let digitValues: [Character: Int] = ["零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
                                                        "六": 6, "七": 7, "八": 8, "九": 9]
    private static let unitValues: [Character: Int] = ["十": 10, "百": 100, "千": 1000, "万": 10_000]

    private static func digit(_ scalar: Unicode.Scalar) -> Character? {
        switch scalar.value {
        case 0x30...0x39: Character(scalar)
        case 0xFF10...0xFF19: Character(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!)
        default: nil
        }
    }

    /// A comma followed by exactly three digits ("1,000") groups thousands; "1,2,3" lists three figures.
    private static func isThousandsGroup(_ scalars: [Unicode.Scalar], after comma: Int) -> Bool {
        let group = (comma + 1)..<(comma + 4)
        guard group.upperBound <= scalars.count, group.allSatisfy({ digit(scalars[$0]) != nil }) else { return false }
        return group.upperBound == scalars.count || digit(scalars[group.upperBound]) == nil
    }

    /// The index after "12." / "3、" / "4)" (and the spaces after it) at the start of `scalars`, if any.
    private static func listMarkerEnd(_ scalars: [Unicode.Scalar]) -> Int? {
        var index = 0
        while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
        let start = index
        while index < scalars.count, digit(scalars[index]) != nil { index += 1 }
        guard index > start, index < scalars.count, [".", "、", ")", "）"].contains(scalars[index]) else { return nil }
        let after = index + 1
        // "3.5 倍" is a figure, not item 3.
        if after < scalars.count, digit(scalars[after]) != nil { return nil }
        return after
    }
}
