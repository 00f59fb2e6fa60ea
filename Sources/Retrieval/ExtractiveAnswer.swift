import Store

/// One sentence quoted verbatim from a passage as part of the retrieval-based answer.
public struct QuotedSentence: Equatable, Sendable {
    public var text: String
    public var source: String
    /// The chunk's ordinal within its document.
    public var chunk: Int
    /// Encoder cosine with the question ("query: " vs "passage: " vectors).
    public var similarity: Float
    /// Ranking score: similarity plus the weighted lexical overlap.
    public var score: Float
    /// The pages of the sentence's passage, for paged documents (PDF); nil for the others.
    public var pages: ClosedRange<Int>? = nil
}

/// The retrieval-based answer: the few sentences of the top passages that best answer the question,
/// ranked by the encoder's cosine with the question plus a small weight on shared wording, quoted as they
/// stand in the documents. Nothing is written; everything shown is in the sources.
public struct ExtractiveAnswer: Sendable {
    /// Sentences quoted: enough for a definition and its context, few enough to read at a glance.
    public static let defaultSentenceCount = 3
    /// Weight of `LexicalOverlap` beside the cosine (chosen with `rag eval`; see BENCHMARKS.md).
    public static let defaultLexicalWeight: Float = 0.1

    public var sentenceCount = defaultSentenceCount
    public var lexicalWeight = defaultLexicalWeight

    public init(sentenceCount: Int = defaultSentenceCount, lexicalWeight: Float = defaultLexicalWeight) {
        self.sentenceCount = sentenceCount; self.lexicalWeight = lexicalWeight
    }

    /// The best sentences of `pool` for `question` (whose query vector is `queryVector`), best first.
    public func quote(question: String, queryVector: [Float], from pool: PassageSentences) -> [QuotedSentence] {
        let overlap = LexicalOverlap(question: question)
        let similarities = pool.similarities(to: queryVector)
        let ranked = pool.sentences.indices.map { i -> QuotedSentence in
            let sentence = pool.sentences[i], chunk = pool.chunks[sentence.chunkIndex]
            return QuotedSentence(text: sentence.text, source: chunk.documentPath, chunk: chunk.ordinal,
                                  similarity: similarities[i],
                                  score: similarities[i] + lexicalWeight * overlap.score(sentence.text), pages: chunk.pages)
        }
        // Ties keep document order, so the same inputs always quote the same sentences.
        let order = ranked.indices.sorted { ranked[$0].score > ranked[$1].score || (ranked[$0].score == ranked[$1].score && $0 < $1) }
        return order.prefix(sentenceCount).map { ranked[$0] }
    }
}
