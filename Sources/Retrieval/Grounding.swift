import Store

/// How well one generated sentence is backed by the passages.
public struct GroundedSentence: Equatable, Sendable {
    /// The sentence as generated, citations included.
    public var text: String
    /// The passages the sentence cites itself ("[n]" numbers).
    public var cited: [Int]
    /// The passage sentence closest in meaning, where it comes from, and the encoder cosine with it.
    public var bestSource: String?
    public var bestChunk: Int?
    /// The prompt's number for that passage, when the passage was in the prompt.
    public var bestPassage: Int?
    public var bestSentence: String?
    public var similarity: Float
    /// False when `similarity` is under the support threshold, or the sentence states a figure or a name no
    /// passage (nor the question) contains: the passages do not say this.
    public var isSupported: Bool
    /// The figures and names of the sentence found in no passage and not in the question ("1.8" in
    /// "1.8 万亿参数", "Altman").
    public var unbacked: [String] = []
}

/// Checks a generated answer against the passages it was written from: each sentence is embedded (by its
/// meaning, citations removed) and compared with every passage sentence; the best match says which
/// passage supports it and how strongly, and a sentence under the threshold is flagged as unsupported, as is
/// one that states a figure or a name found in none of the passages (`FigureCheck`, `NameCheck`).
public struct Grounding: Sendable {
    /// Cosine ("query: " generated sentence vs "passage: " source sentence) under which a generated sentence
    /// counts as unsupported. `Answerer` uses the coverage threshold of the question's language.
    public var supportThreshold: Float

    public init(supportThreshold: Float) { self.supportThreshold = supportThreshold }

    /// Sentences of `answer` to `question` with their support in `pool`; `passageNumbers[i]` is the prompt
    /// number of `pool.chunks[i]` (nil when that chunk was not in the prompt).
    public func ground(answer: String, to question: String, in pool: PassageSentences, passageNumbers: [Int?],
                       embedder: TextEmbedder) throws -> [GroundedSentence] {
        let sources = pool.chunks.map(\.text) + [question]
        let figures = FigureCheck(sources: sources), names = NameCheck(sources: sources)
        var result: [GroundedSentence] = []
        for sentence in PromptBuilder.sentences(of: answer) {
            let meaning = CitationParser.removingCitations(from: sentence).trimmingWhitespace
            var grounded = GroundedSentence(text: sentence, cited: CitationParser.numbers(in: sentence), bestSource: nil,
                                            bestChunk: nil, bestPassage: nil, bestSentence: nil, similarity: 0,
                                            isSupported: false)
            guard CharacterCounter().tokenCount(meaning) > 0 else {
                // A bare "[1]" after the full stop belongs to the sentence before it.
                if var last = result.popLast() {
                    last.text += sentence
                    last.cited += grounded.cited.filter { !last.cited.contains($0) }
                    result.append(last)
                }
                continue
            }
            let similarities = pool.similarities(to: try embedder.embedQuery(meaning))
            if let best = similarities.indices.max(by: { similarities[$0] < similarities[$1] || (similarities[$0] == similarities[$1] && $0 > $1) }) {
                let source = pool.sentences[best], chunk = pool.chunks[source.chunkIndex]
                grounded.bestSource = chunk.documentPath
                grounded.bestChunk = chunk.ordinal
                grounded.bestPassage = source.chunkIndex < passageNumbers.count ? passageNumbers[source.chunkIndex] : nil
                grounded.bestSentence = source.text
                grounded.similarity = similarities[best]
                grounded.isSupported = similarities[best] >= supportThreshold
            }
            grounded.unbacked = figures.unbacked(in: meaning) + names.unbacked(in: meaning)
            if !grounded.unbacked.isEmpty { grounded.isSupported = false }
            result.append(grounded)
        }
        return result
    }
}

extension String {
    var trimmingWhitespace: String {
        let scalars = Array(unicodeScalars)
        guard let range = SentenceSplitter.trim(scalars, 0..<scalars.count) else { return "" }
        return String(String.UnicodeScalarView(scalars[range]))
    }
}
