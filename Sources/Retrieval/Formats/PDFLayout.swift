/// One line of a PDF page's text and the box around it, in points from the page's top-left corner.
struct PDFLine: Equatable {
    struct Box: Equatable {
        var left: Double, top: Double, right: Double, bottom: Double
        static let empty = Box(left: 0, top: 0, right: 0, bottom: 0)
        var height: Double { bottom - top }
        var width: Double { right - left }
        func union(_ other: Box) -> Box {
            Box(left: min(left, other.left), top: min(top, other.top), right: max(right, other.right), bottom: max(bottom, other.bottom))
        }
    }
    var text: String
    var box: Box
}

/// An outline (bookmark) entry: its nesting level from 1, its title, its 1-based page.
struct PDFOutlineEntry: Equatable {
    var level: Int
    var title: String
    var page: Int
}

/// Turns PDF pages of lines into blocks: running headers, footers and page numbers (the same line, digits
/// aside, at the top or bottom of most pages) dropped; lines grouped into paragraphs by the gaps between
/// them; lines joined without a space between CJK characters and with English hyphenation undone; outline
/// entries made headings where their title is on their page. Every page's blocks follow a `.page(n)`.
enum PDFLayout {
    static func blocks(pages: [[PDFLine]], outline: [PDFOutlineEntry]) -> [CleanDocument.Block] {
        let cleaned = withoutRunningLines(pages)
        let compounds = hyphenatedPrefixes(in: cleaned)
        var blocks: [CleanDocument.Block] = []
        for (index, lines) in cleaned.enumerated() where !lines.isEmpty {
            let number = index + 1
            blocks.append(.page(number))
            var paragraphs: [CleanDocument.Block] = self.paragraphs(lines).map { .paragraph(join($0.map(\.text), keepingHyphenAfter: compounds)) }
            for entry in outline where entry.page == number { markHeading(entry, in: &paragraphs) }
            blocks += paragraphs
        }
        return blocks
    }

    // MARK: running headers and footers

    /// How many lines at each end of a page may be header or footer.
    static let runningLineDepth = 2

    /// Drops lines that repeat at the top or bottom of at least half the pages (and of two at least),
    /// comparing them with digits masked so "第 3 页" and "第 4 页", or bare page numbers, count as one.
    static func withoutRunningLines(_ pages: [[PDFLine]]) -> [[PDFLine]] {
        let pagesWithText = pages.filter { !$0.isEmpty }.count
        guard pagesWithText >= 2 else { return pages }
        var counts: [String: Int] = [:]
        for lines in pages {
            for key in Set(edgeIndices(lines.count).map { runningKey(lines[$0].text) }) { counts[key, default: 0] += 1 }
        }
        let threshold = max(2, (pagesWithText + 1) / 2)
        let running = Set(counts.filter { $0.value >= threshold }.map(\.key))
        return pages.map { lines in
            let edges = Set(edgeIndices(lines.count))
            return lines.enumerated().filter { !(edges.contains($0.offset) && running.contains(runningKey($0.element.text))) }.map(\.element)
        }
    }

    static func edgeIndices(_ count: Int) -> [Int] {
        Array(Set(Array(0..<min(runningLineDepth, count)) + Array(max(0, count - runningLineDepth)..<count))).sorted()
    }

    static func runningKey(_ text: String) -> String {
        String(text.unicodeScalars.filter { !$0.properties.isWhitespace }.map { ("0"..."9").contains($0) ? "#" : Character($0) })
    }

    // MARK: paragraphs

    /// Groups a page's lines into paragraphs. A new paragraph starts where the gap above a line is clearly
    /// more than the line spacing, where the text moves up or to another column, where a line is indented
    /// past the one before, or after a line that ends a sentence well short of the column's width.
    static func paragraphs(_ lines: [PDFLine]) -> [[PDFLine]] {
        let measured = lines.filter { $0.box.height > 0 }
        guard let lineHeight = measured.map(\.box.height).median, let width = measured.map(\.box.width).median else {
            return lines.map { [$0] }
        }
        let gaps: [Double] = zip(measured, measured.dropFirst()).map { pair in pair.1.box.top - pair.0.box.bottom }
        // The spacing inside paragraphs: the lower quartile of the gaps, as paragraph gaps are fewer than line gaps.
        let spacing = lowerQuartile(gaps.filter { gap in gap >= 0 && gap < 2 * lineHeight }) ?? 0
        var result: [[PDFLine]] = [], current: [PDFLine] = []
        for line in lines {
            if let previous = current.last, startsParagraph(line, after: previous, lineHeight: lineHeight, spacing: spacing, width: width) {
                result.append(current); current = []
            }
            current.append(line)
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    static func startsParagraph(_ line: PDFLine, after previous: PDFLine, lineHeight: Double, spacing: Double, width: Double) -> Bool {
        guard line.box.height > 0, previous.box.height > 0 else { return false }
        let endsSentence = previous.text.unicodeScalars.last.map { sentenceEnds.contains($0) } ?? false
        let gap: Double = line.box.top - previous.box.bottom
        if gap < -0.5 * lineHeight { return endsSentence }                                  // up to the next column
        let blank: Double = spacing + 0.5 * lineHeight
        if gap > blank { return true }                                                      // a blank line's worth
        let sizeChange: Double = abs(line.box.height - previous.box.height)
        if sizeChange > 0.3 * lineHeight { return true }                                    // another font size: a heading
        let indent: Double = line.box.left - previous.box.left
        if indent > 1.5 * lineHeight, line.box.left < previous.box.right { return true }    // first-line indent
        return endsSentence && previous.box.width < 0.8 * width
    }

    static let sentenceEnds: Set<Unicode.Scalar> = ["。", "！", "？", "：", ".", "!", "?", ":", "；", ";", "”", "」"]

    static func lowerQuartile(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.sorted()[values.count / 4]
    }

    // MARK: joining lines

    /// One paragraph's lines as one line: `exam-` + `ple` → `example`, but `pre-` + `trained` stays
    /// `pre-trained` when the document writes `pre-` inside a line elsewhere (`compounds`, lowercased
    /// words before a hyphen); no space where either side of the break is CJK (Chinese breaks lines between
    /// any two characters); otherwise one space.
    static func join(_ lines: [String], keepingHyphenAfter compounds: Set<String> = []) -> String {
        var out = ""
        for line in lines {
            guard let last = out.unicodeScalars.last, let first = line.unicodeScalars.first else { out += line; continue }
            if last == "-", let word = wordBeforeHyphen(out), first.properties.isAlphabetic {
                if first.properties.isLowercase, !compounds.contains(word.lowercased()) { out.unicodeScalars.removeLast() }
                out += line
            } else if isCJK(last) || isCJK(first) {
                out += line
            } else {
                out += " " + line
            }
        }
        return out
    }

    /// The ASCII letters just before a trailing hyphen (`…the pre-` → `pre`), or nil.
    static func wordBeforeHyphen(_ text: String) -> String? {
        let letters = text.unicodeScalars.dropLast().reversed().prefix { $0.isASCII && $0.properties.isAlphabetic }
        return letters.isEmpty ? nil : String(String.UnicodeScalarView(letters.reversed()))
    }

    /// Words the document hyphenates inside its lines (`pre` from `pre-training`), lowercased: a line-end
    /// hyphen after one of them is part of the word, not hyphenation.
    static func hyphenatedPrefixes(in pages: [[PDFLine]]) -> Set<String> {
        var prefixes = Set<String>()
        for line in pages.joined() {
            let scalars = Array(line.text.unicodeScalars)
            for (i, s) in scalars.enumerated() where s == "-" && i > 0 && i + 1 < scalars.count && scalars[i + 1].properties.isAlphabetic {
                if let word = wordBeforeHyphen(String(String.UnicodeScalarView(scalars[...i]))) { prefixes.insert(word.lowercased()) }
            }
        }
        return prefixes
    }

    /// Han, kana, hangul, and the CJK and full-width punctuation that sits between them.
    static func isCJK(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x2E80...0x2FFF, 0x3000...0x303F, 0x3040...0x30FF, 0x3100...0x31FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xAC00...0xD7AF, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFFEF, 0x20000...0x2FA1F:
            return true
        default:
            return false
        }
    }

    // MARK: outline

    /// Makes `entry` a heading on its page: the paragraph that is its title, or the start of the first
    /// paragraph that begins with it (split off); when the title is nowhere on the page it is inserted
    /// before the page's text, as the outline is the author's own table of contents.
    static func markHeading(_ entry: PDFOutlineEntry, in blocks: inout [CleanDocument.Block]) {
        let title = compact(entry.title)
        guard !title.isEmpty else { return }
        for (index, block) in blocks.enumerated() {
            guard case .paragraph(let text) = block else { continue }
            let body = compact(text)
            if body == title { blocks[index] = .heading(level: entry.level, text: text); return }
            if body.hasPrefix(title), let rest = remainder(of: text, after: title) {
                blocks[index] = .paragraph(rest)
                blocks.insert(.heading(level: entry.level, text: entry.title), at: index)
                return
            }
        }
        let firstParagraph = blocks.firstIndex { if case .paragraph = $0 { return true } else { return false } } ?? blocks.endIndex
        blocks.insert(.heading(level: entry.level, text: entry.title), at: firstParagraph)
    }

    static func compact(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { !$0.properties.isWhitespace }))
    }

    /// `text` after its first characters that spell `compactPrefix` (whitespace ignored), or nil when nothing follows.
    static func remainder(of text: String, after compactPrefix: String) -> String? {
        var wanted = compactPrefix.unicodeScalars.makeIterator(), next = wanted.next()
        var index = text.unicodeScalars.startIndex
        while let expected = next, index < text.unicodeScalars.endIndex {
            let s = text.unicodeScalars[index]
            if !s.properties.isWhitespace {
                guard s == expected else { return nil }
                next = wanted.next()
            }
            index = text.unicodeScalars.index(after: index)
        }
        let rest = String(text.unicodeScalars[index...]).trimmingCharacters(in: .whitespaces)
        return rest.isEmpty ? nil : rest
    }
}
