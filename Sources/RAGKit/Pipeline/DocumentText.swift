import Store

/// One document's cleaned text as the index holds it, put back together from its passages, so that the
/// offsets every search hit reports (`start`/`end`, Unicode scalars, end exclusive) point at the same
/// characters here.
///
/// The index keeps passages, not whole documents, and it is rebuilt from them rather than by reading and
/// cleaning the source file again: the file may be gone, moved or edited since the ingest (then its
/// offsets would no longer match the hits), and cleaning it again would repeat ingest's slowest work
/// (PDF layout, OCR). Nothing is lost but whitespace: each passage is the exact slice
/// `text[start..<end]` of the cleaned text, consecutive passages overlap or leave a gap, and the chunker
/// drops nothing but the whitespace it trims around sentences and pieces of sentences, so every scalar
/// that is not whitespace lies in some passage, at its offset. Only the whitespace in a gap is a guess: two scalars are "\n\n", the paragraph break
/// `CleanDocument` joins blocks with; one is a line break after CJK punctuation (Chinese puts no space
/// after "；" or "。", so whitespace there ends a line, as between list items) and a space after anything
/// else (between sentences, or where a long sentence was cut at a space, as before "GPU" in Chinese
/// text); wider gaps are spaces. Under the default chunking, passages overlap and gaps are rare.
/// DocumentTextTests holds this against the loaders' own text for every Corpus file and format fixture.
public struct DocumentText: Sendable {
    public var document: StoredDocument
    /// The cleaned text, `length` Unicode scalars.
    public var text: String
    public var length: Int

    /// Joins `chunks` (one document's, in any order) at their offsets.
    public init(document: StoredDocument, chunks: [StoredChunk]) {
        var scalars: [Unicode.Scalar] = []
        for chunk in chunks.sorted(by: { $0.start < $1.start }) {
            let passage = Array(chunk.text.unicodeScalars)
            if chunk.start > scalars.count {
                let gap = chunk.start - scalars.count
                scalars += Self.whitespace(count: gap, after: scalars.last)
            }
            // Where passages overlap they hold the same scalars; only the part past the text so far is new.
            let fresh = max(0, scalars.count - chunk.start)
            if fresh < passage.count { scalars += passage[fresh...] }
        }
        self.document = document
        text = String(String.UnicodeScalarView(scalars))
        length = scalars.count
    }

    /// The likeliest whitespace for a gap of `count` scalars between two passages (see above).
    static func whitespace(count: Int, after last: Unicode.Scalar?) -> [Unicode.Scalar] {
        if count == 2 { return ["\n", "\n"] }
        if count == 1, let last, (0x3000...0x303F).contains(last.value) || (0xFF00...0xFFEF).contains(last.value) {
            // CJK symbols and punctuation, fullwidth forms
            return ["\n"]
        }
        return Array(repeating: " ", count: count)
    }

    /// The text of the document with `id`; nil when the index holds no such document.
    public static func load(documentID id: Int64, from store: PassageStore) throws -> DocumentText? {
        guard let document = try store.document(id: id) else { return nil }
        return DocumentText(document: document, chunks: try store.chunks(ofDocument: id))
    }

    /// The scalars `start..<end` (`end` past the text is taken as its length).
    public func range(start: Int, end: Int?) throws -> (range: Range<Int>, text: String) {
        let upper = min(end ?? length, length)
        guard start >= 0 else { throw DocumentRangeError.negativeStart(start) }
        guard start <= length else { throw DocumentRangeError.startPastEnd(start: start, length: length) }
        guard upper >= start else { throw DocumentRangeError.endBeforeStart(start: start, end: end ?? length) }
        let scalars = text.unicodeScalars
        let from = scalars.index(scalars.startIndex, offsetBy: start), to = scalars.index(from, offsetBy: upper - start)
        return (start..<upper, String(scalars[from..<to]))
    }
}

/// A character range that does not fit the document, in one line.
public enum DocumentRangeError: Error, Equatable, CustomStringConvertible {
    case negativeStart(Int)
    case startPastEnd(start: Int, length: Int)
    case endBeforeStart(start: Int, end: Int)

    public var description: String {
        switch self {
        case .negativeStart(let start): "start \(start) is negative: offsets count characters from 0"
        case .startPastEnd(let start, let length): "start \(start) is past the end of the document (\(length) characters)"
        case .endBeforeStart(let start, let end): "end \(end) is before start \(start)"
        }
    }
}
