/// A document reduced to what we index: its title, its text as paragraphs separated by one blank line,
/// and where its headings are. Chunk offsets point into `text`, counted in Unicode scalars.
public struct CleanDocument: Equatable, Sendable {
    /// A heading and the scalar offset of its paragraph in `text`.
    public struct Heading: Equatable, Sendable {
        public var level: Int
        public var title: String
        public var offset: Int
    }

    /// Where a page of a paged document (PDF) starts: the scalar offset of its first paragraph in `text`.
    public struct Page: Equatable, Sendable {
        public var number: Int
        public var offset: Int
    }

    /// What loaders produce: the document's structure before its text is joined.
    public enum Block: Equatable, Sendable {
        case heading(level: Int, text: String)
        case paragraph(String)
        /// One item of a list, its own paragraph.
        case listItem(String)
        /// One row of a table: its cells, joined with " | " into one paragraph.
        case tableRow([String])
        /// The blocks that follow are on page `n` (1-based), until the next `.page`.
        case page(Int)
    }

    public var title: String
    public var text: String
    public var headings: [Heading]
    /// Empty for documents without pages; else in page order, one per page that holds text.
    public var pages: [Page]

    /// Joins cleaned blocks with blank lines; blocks that clean to nothing are dropped. The title is the
    /// given one, else the first heading, else the first line (shortened), else `fallbackTitle`.
    public init(blocks: [Block], title: String?, fallbackTitle: String) {
        var text = "", headings: [Heading] = [], pages: [Page] = []
        var offset = 0
        var pendingPage: Int?
        for block in blocks {
            let content: String
            switch block {
            case .heading(_, let raw): content = TextCleaner.cleanLine(raw)
            case .paragraph(let raw): content = TextCleaner.cleanParagraph(raw)
            case .listItem(let raw): content = TextCleaner.cleanParagraph(raw)
            case .tableRow(let cells): content = cells.map(TextCleaner.cleanLine).filter { !$0.isEmpty }.joined(separator: " | ")
            case .page(let number): pendingPage = number; continue
            }
            guard !content.isEmpty else { continue }
            if !text.isEmpty { text += "\n\n"; offset += 2 }
            if let number = pendingPage { pages.append(Page(number: number, offset: offset)); pendingPage = nil }
            if case .heading(let level, _) = block { headings.append(Heading(level: level, title: content, offset: offset)) }
            text += content
            offset += content.unicodeScalars.count
        }
        self.text = text
        self.headings = headings
        self.pages = pages
        let cleanedTitle = title.map(TextCleaner.cleanLine) ?? ""
        if !cleanedTitle.isEmpty {
            self.title = cleanedTitle
        } else if let first = headings.first {
            self.title = first.title
        } else if let firstLine = text.split(separator: "\n").first {
            self.title = String(firstLine.prefix(60))
        } else {
            self.title = fallbackTitle
        }
    }
}

/// Whitespace normalisation shared by every loader.
public enum TextCleaner {
    /// Spaces of every width (U+3000 ideographic space, no-break space, tabs, …) become one ASCII space;
    /// zero-width characters and stray control characters disappear; line breaks survive.
    static func normalizeSpaces(_ raw: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for s in raw.unicodeScalars {
            switch s.value {
            case 0x0A:
                pendingSpace = false
                out.append(s)
            case 0x0D:
                continue  // \r\n and lone \r were turned into \n by the caller
            case 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD:
                continue  // zero-width characters, BOM, soft hyphen
            case 0x09, 0x0B, 0x0C, 0x20, 0x3000:
                pendingSpace = true
            default:
                if s.value >= 0x80, s.properties.generalCategory == .spaceSeparator { pendingSpace = true; continue }
                if s.value < 0x20 || (0x7F...0x9F).contains(s.value) { continue }
                if pendingSpace, let last = out.last, last != "\n" { out.append(" ") }
                pendingSpace = false
                out.append(s)
            }
        }
        return String(out)
    }

    /// One paragraph: normalised spaces, each line trimmed, empty lines removed, line breaks kept.
    public static func cleanParagraph(_ raw: String) -> String {
        let unified = raw.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        return normalizeSpaces(unified)
            .split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.trimmingSpaces() }
            .filter { !$0.isEmpty }
            .joined(separator: "\n")
    }

    /// A heading or title: one line.
    public static func cleanLine(_ raw: String) -> String {
        cleanParagraph(raw).replacingOccurrences(of: "\n", with: " ")
    }

    /// A line of nothing but spaces of any width and zero-width characters.
    static func isBlank(_ line: Substring) -> Bool {
        line.unicodeScalars.allSatisfy { s in
            s == " " || s == "\t" || s == "\r" || (s.value >= 0x80 && (s.properties.isWhitespace || [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF].contains(s.value)))
        }
    }

    /// Splits plain text into paragraphs at blank lines (lines holding only spaces count as blank).
    public static func paragraphs(of raw: String) -> [String] {
        let unified = raw.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var paragraphs: [String] = [], current: [Substring] = []
        for line in unified.split(separator: "\n", omittingEmptySubsequences: false) {
            if isBlank(line) {
                if !current.isEmpty { paragraphs.append(current.joined(separator: "\n")); current = [] }
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { paragraphs.append(current.joined(separator: "\n")) }
        return paragraphs
    }
}

extension StringProtocol {
    /// Trims ASCII spaces from both ends (the only spaces left after `normalizeSpaces`).
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while slice.first == " " { slice.removeFirst() }
        while slice.last == " " { slice.removeLast() }
        return String(slice)
    }
}

extension CleanDocument {
    /// The page holding scalar `offset` of `text`, or nil for documents without pages.
    public func pageNumber(at offset: Int) -> Int? {
        guard let first = pages.first else { return nil }
        var lo = 0, hi = pages.count - 1  // the last page starting at or before offset
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if pages[mid].offset <= offset { lo = mid } else { hi = mid - 1 }
        }
        return pages[lo].offset <= offset ? pages[lo].number : first.number
    }

    /// The pages a passage covering `range` of `text` is on, or nil for documents without pages.
    public func pageRange(of range: Range<Int>) -> ClosedRange<Int>? {
        guard let first = pageNumber(at: range.lowerBound), let last = pageNumber(at: max(range.lowerBound, range.upperBound - 1)) else { return nil }
        return first...max(first, last)
    }
}
