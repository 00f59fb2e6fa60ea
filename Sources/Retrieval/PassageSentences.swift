import Store

/// The sentences of a few passages with their encoder vectors ("passage: " side). The extractive answer
/// ranks them against the question; grounding ranks them against each generated sentence. Ingest stores
/// the vectors of every passage's quotable sentences, so usually nothing is embedded here; sentences
/// without a stored vector (an index from before sentence vectors) are embedded in one batch. Overlapping
/// chunks repeat sentences: each distinct sentence is kept once, with its first chunk.
public struct PassageSentences {
    public struct Sentence: Equatable, Sendable {
        public var text: String
        /// Index into the `chunks` the pool was built from.
        public var chunkIndex: Int
    }

    /// Sentences shorter than this many non-space characters (headings, list stubs) say too little to quote.
    public static let minimumLength = 8

    public let chunks: [StoredChunk]
    public let sentences: [Sentence]
    /// sentences.count vectors of the embedder's dimension, L2-normalised.
    public let vectors: [[Float]]

    /// `stored`: sentence vectors by chunk id, as `PassageStore.sentenceVectors(chunkIDs:)` reads them.
    public init(chunks: [StoredChunk], stored: [Int64: [SentenceVector]] = [:], embedder: TextEmbedder) throws {
        var seen: Set<String> = []
        var sentences: [Sentence] = []
        var vectors: [[Float]?] = []
        for (index, chunk) in chunks.enumerated() {
            let storedBySpan = Dictionary((stored[chunk.id] ?? []).map { ($0.start..<$0.end, $0.vector) }, uniquingKeysWith: { a, _ in a })
            for sentence in Self.quotableSentences(of: chunk.text) where seen.insert(sentence.text).inserted {
                sentences.append(Sentence(text: sentence.text, chunkIndex: index))
                vectors.append(storedBySpan[sentence.range])
            }
        }
        let missing = vectors.indices.filter { vectors[$0] == nil }
        if !missing.isEmpty {
            for (index, vector) in zip(missing, try embedder.embedPassages(missing.map { sentences[$0].text })) { vectors[index] = vector }
        }
        self.chunks = chunks
        self.sentences = sentences
        self.vectors = vectors.map { $0 ?? [] }
    }

    /// The sentences of a passage worth quoting and embedding on their own (at least `minimumLength`
    /// characters), with their Unicode-scalar ranges in `text`. Ingest embeds exactly these. A passage of
    /// many short lines (code, a list, a table) keeps only its `maximumPerPassage` longest, in order, so
    /// the sentence vectors of a document stay a small multiple of its passages.
    public static func quotableSentences(of text: String) -> [(range: Range<Int>, text: String)] {
        let scalars = Array(text.unicodeScalars)
        let quotable: [(range: Range<Int>, text: String, length: Int)] = SentenceSplitter.sentences(in: scalars, 0..<scalars.count).compactMap { range in
            let sentence = String(String.UnicodeScalarView(scalars[range]))
            let length = CharacterCounter().tokenCount(sentence)
            return length >= minimumLength ? (range, sentence, length) : nil
        }
        let kept = quotable.count <= maximumPerPassage ? Array(quotable.indices)
            : quotable.indices.sorted { (quotable[$0].length, $1) > (quotable[$1].length, $0) }.prefix(maximumPerPassage).sorted()
        return kept.map { (quotable[$0].range, quotable[$0].text) }
    }

    /// Prose passages of the default size hold 5–20 quotable sentences; this bounds the rest.
    public static let maximumPerPassage = 32

    /// Cosine of `vector` (L2-normalised) with every sentence, in sentence order.
    public func similarities(to vector: [Float]) -> [Float] {
        vectors.map { Self.cosine($0, vector) }
    }

    /// Dot product of two unit vectors: their cosine. Mismatched lengths compare their common prefix.
    static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        var sum: Float = 0
        for i in 0..<min(a.count, b.count) { sum += a[i] * b[i] }
        return sum
    }
}
