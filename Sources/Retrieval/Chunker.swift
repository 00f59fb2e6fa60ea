import Store

/// How passages are sized: a budget per passage in some unit, and how much of the previous passage's
/// end to repeat at the start of the next (whole sentences only).
public struct ChunkingParameters: Equatable, Sendable {
    /// 400 characters ≈ 250–400 e5 tokens of Chinese: one to three paragraphs, well inside the encoder's
    /// 512-token window (with its "passage: " prefix), and short enough that one passage is about one idea.
    public static let defaultSize = 400
    /// 15%: a sentence cut from its context at a boundary still appears with it in the next passage.
    public static let defaultOverlap = 60

    public var size: Int
    public var overlap: Int
    /// What `size` counts: "characters" (non-whitespace Unicode scalars) or the encoder's tokenizer id.
    public var unit: String

    public init(size: Int = defaultSize, overlap: Int = defaultOverlap, unit: String = "characters") throws {
        guard size >= 16 else { throw ChunkingError.sizeTooSmall(size) }
        guard overlap >= 0, overlap < size else { throw ChunkingError.overlapTooLarge(overlap: overlap, size: size) }
        self.size = size; self.overlap = overlap; self.unit = unit
    }

    /// Stored with each document: a document chunked with other parameters is chunked again on ingest.
    public var signature: String { "\(unit) size=\(size) overlap=\(overlap)" }

    /// Parses a `signature` back (so a later ingest keeps the sizes an index was built with); nil if malformed.
    public init?(signature: String) {
        let fields = signature.split(separator: " ")
        guard fields.count == 3, fields[1].hasPrefix("size="), fields[2].hasPrefix("overlap="),
              let size = Int(fields[1].dropFirst(5)), let overlap = Int(fields[2].dropFirst(8)),
              let parameters = try? ChunkingParameters(size: size, overlap: overlap, unit: String(fields[0])) else { return nil }
        self = parameters
    }
}

/// Invalid chunking options, as the user typed them.
public enum ChunkingError: Error, Equatable, CustomStringConvertible {
    case sizeTooSmall(Int)
    case overlapTooLarge(overlap: Int, size: Int)
    /// Passages longer than the encoder reads would be embedded from their beginning only.
    case sizeAboveWindow(size: Int, limit: Int)

    public var description: String {
        switch self {
        case .sizeAboveWindow(let size, let limit):
            return "--chunk-size \(size) is more than the encoder reads at once (\(limit) tokens): use at most \(limit)"
        case .sizeTooSmall(let size): return "--chunk-size \(size) is too small: use at least 16"
        case .overlapTooLarge(let overlap, let size): return "--overlap \(overlap) must be at least 0 and less than --chunk-size \(size)"
        }
    }
}

/// Splits a cleaned document into passages: sentences (see `SentenceSplitter`) packed greedily up to the
/// size budget, a new passage at every heading and every page, `overlap` worth of trailing sentences repeated, and a
/// sentence cut only when it alone exceeds the budget (then at a comma or space when one is near).
public struct Chunker {
    public let parameters: ChunkingParameters
    public let counter: TokenCounter

    public init(parameters: ChunkingParameters, counter: TokenCounter) {
        self.parameters = parameters; self.counter = counter
    }

    struct Sentence { var range: Range<Int>; var tokens: Int; var isHeading: Bool }

    public func chunks(of document: CleanDocument) -> [NewChunk] {
        let text = Array(document.text.unicodeScalars)
        let sentences = self.sentences(of: text, headingOffsets: Set(document.headings.map(\.offset)))
        let paths = HeadingPaths(document.headings)
        var chunks: [NewChunk] = []
        var current: [Sentence] = [], currentTokens = 0

        // A passage's headings are those in force at its first body sentence (a passage that opens with
        // "# 预训练" then "## 什么是预训练" sits under both).
        func emit(_ range: Range<Int>, bodyStart: Int) {
            let passage = String(String.UnicodeScalarView(text[range]))
            chunks.append(NewChunk(text: passage, start: range.lowerBound, end: range.upperBound,
                                   headingPath: paths.path(at: bodyStart), tokenCount: counter.tokenCount(passage),
                                   pages: document.pageRange(of: range)))
        }
        func emitCurrent() {
            guard let first = current.first, let last = current.last else { return }
            let body = current.first(where: { !$0.isHeading }) ?? last
            emit(first.range.lowerBound..<last.range.upperBound, bodyStart: body.range.lowerBound)
        }

        for sentence in sentences {
            // Passages never span pages: a page's first sentence starts a new passage, with no overlap carried.
            if let first = current.first, document.pageNumber(at: sentence.range.lowerBound) != document.pageNumber(at: first.range.lowerBound) {
                emitCurrent(); current = []; currentTokens = 0
            }
            if sentence.isHeading, current.contains(where: { !$0.isHeading }) {  // headings in a row stay together
                emitCurrent(); current = []; currentTokens = 0
            }
            if sentence.tokens > parameters.size {
                emitCurrent(); current = []; currentTokens = 0
                for piece in pieces(of: sentence.range, in: text) { emit(piece, bodyStart: piece.lowerBound) }
                continue
            }
            if currentTokens + sentence.tokens <= parameters.size {
                current.append(sentence); currentTokens += sentence.tokens
                continue
            }
            emitCurrent()
            var carried = overlapSuffix(of: current)
            var carriedTokens = carried.reduce(0) { $0 + $1.tokens }
            while !carried.isEmpty, carriedTokens + sentence.tokens > parameters.size {
                carriedTokens -= carried.removeFirst().tokens
            }
            current = carried + [sentence]; currentTokens = carriedTokens + sentence.tokens
        }
        emitCurrent()
        return chunks
    }

    /// Paragraphs are separated by "\n\n" in cleaned text; a paragraph that starts at a heading offset is
    /// the heading, kept whole as one sentence.
    func sentences(of text: [Unicode.Scalar], headingOffsets: Set<Int>) -> [Sentence] {
        var result: [Sentence] = []
        var start = 0
        while start < text.count {
            var end = start
            while end < text.count, !(text[end] == "\n" && end + 1 < text.count && text[end + 1] == "\n") { end += 1 }
            let isHeading = headingOffsets.contains(start)
            let ranges = isHeading ? [start..<end] : SentenceSplitter.sentences(in: text, start..<end)
            for range in ranges {
                // Far longer than any passage: cut into pieces without tokenising the whole of it first.
                let tokens = range.count > parameters.size * Self.scalarsPerTokenBound ? Int.max : count(text, range)
                result.append(Sentence(range: range, tokens: tokens, isHeading: isHeading))
            }
            start = end + 2
        }
        return result
    }

    /// The longest run of trailing sentences whose tokens fit in `overlap`; headings are never repeated.
    func overlapSuffix(of sentences: [Sentence]) -> [Sentence] {
        var suffix: [Sentence] = [], tokens = 0
        for sentence in sentences.reversed() {
            guard !sentence.isHeading, tokens + sentence.tokens <= parameters.overlap else { break }
            suffix.insert(sentence, at: 0); tokens += sentence.tokens
        }
        return suffix
    }

    /// Cuts one over-long sentence into pieces that each fit the budget, preferring to cut after a comma,
    /// enumeration mark, colon or space in the second half of the piece.
    func pieces(of range: Range<Int>, in text: [Unicode.Scalar]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = range.lowerBound
        while start < range.upperBound {
            var end = longestFit(from: start, upTo: range.upperBound, in: text)
            if end < range.upperBound,
               let soft = (start + (end - start) / 2..<end).last(where: { Self.softBreaks.contains(text[$0]) }) {
                end = soft + 1
            }
            if let piece = SentenceSplitter.trim(text, start..<end) { result.append(piece) }
            start = end
        }
        return result
    }

    static let softBreaks: Set<Unicode.Scalar> = ["，", ",", "、", "：", ":", " ", "—"]

    /// No token of either counter covers more scalars than this, so a sentence longer than `size` times it
    /// cannot fit a passage whatever it says (and counting it would tokenise megabytes for nothing).
    static let scalarsPerTokenBound = 16

    /// The largest end with `count(start..<end)` within the budget (at least `start + 1`). The window grows
    /// by doubling from `size` scalars, then is bisected, so a piece costs a few counts of about its own
    /// length, never a count of the rest of the sentence: cutting a long line is linear in its length.
    func longestFit(from start: Int, upTo limit: Int, in text: [Unicode.Scalar]) -> Int {
        var fits = start + 1
        var probe = min(limit, start + parameters.size)
        while count(text, start..<probe) <= parameters.size {
            fits = probe
            if probe == limit { return limit }
            probe = min(limit, start + 2 * (probe - start))
        }
        var hi = probe - 1  // probe does not fit; the answer is in fits...hi
        while fits < hi {
            let mid = (fits + hi + 1) / 2
            if count(text, start..<mid) <= parameters.size { fits = mid } else { hi = mid - 1 }
        }
        return fits
    }

    func count(_ text: [Unicode.Scalar], _ range: Range<Int>) -> Int {
        counter.tokenCount(String(String.UnicodeScalarView(text[range])))
    }
}

/// The headings enclosing each offset of a document, outermost first.
struct HeadingPaths {
    let offsets: [Int]
    let paths: [[String]]

    init(_ headings: [CleanDocument.Heading]) {
        var stack: [CleanDocument.Heading] = [], paths: [[String]] = []
        for heading in headings {
            while let top = stack.last, top.level >= heading.level { stack.removeLast() }
            stack.append(heading)
            paths.append(stack.map(\.title))
        }
        self.offsets = headings.map(\.offset)
        self.paths = paths
    }

    func path(at offset: Int) -> [String] {
        guard let index = offsets.lastIndex(where: { $0 <= offset }) else { return [] }
        return paths[index]
    }
}
