import Retrieval

/// `rag ask --json` output (documented in README.md). Parts a mode does not compute are null, never absent.
public struct AskReport: Encodable {
    public var answer: Answer
    /// Per-token pieces with candidates, kept only with --show-probs.
    public var pieces: [GeneratedPiece]?
    /// The answer's place in a `rag chat` conversation (1 for the first question); absent outside one.
    public var turn: Int?

    public init(answer: Answer, pieces: [GeneratedPiece]?) { self.answer = answer; self.pieces = pieces }

    enum Keys: String, CodingKey {
        case question, mode, language, covered, message, bestSimilarity = "best_similarity"
        case bestPassageSimilarity = "best_passage_similarity"
        case coverageThreshold = "coverage_threshold", sharesTerm = "shares_term", retrieval, generation, turn
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(answer.question, forKey: .question)
        try c.encode(answer.mode.rawValue, forKey: .mode)
        try c.encode(answer.language.rawValue, forKey: .language)
        try c.encode(answer.covered, forKey: .covered)
        try c.encode(answer.notCoveredMessage, forKey: .message)
        try c.encode(answer.bestSimilarity, forKey: .bestSimilarity)
        try c.encode(answer.bestPassageSimilarity, forKey: .bestPassageSimilarity)
        try c.encode(answer.coverageThreshold, forKey: .coverageThreshold)
        try c.encode(answer.sharesTerm, forKey: .sharesTerm)
        try c.encode(RetrievalPart(answer.retrieval), forKey: .retrieval)
        try c.encode(answer.generation.map { GenerationPart($0, pieces: pieces) }, forKey: .generation)
        try c.encodeIfPresent(turn, forKey: .turn)
    }

    public struct RetrievalPart: Encodable {
        var retrieved: RetrievedAnswer
        init(_ retrieved: RetrievedAnswer) { self.retrieved = retrieved }

        enum Keys: String, CodingKey { case hits, answer, quotes, searchedAs = "searched_as" }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(retrieved.hits.map(SearchReport.Hit.init), forKey: .hits)
            try c.encodeIfPresent(retrieved.searchedAs, forKey: .searchedAs)
            try c.encode(retrieved.quotes.map { $0.map(\.text).joined(separator: " ") }, forKey: .answer)
            try c.encode(retrieved.quotes.map { $0.map(Quote.init) }, forKey: .quotes)
        }
    }

    struct Quote: Encodable {
        var text: String, source: String, chunk: Int, similarity: Float
        var page: Int?, pages: [Int]?  // as in search hits: present only for paged documents
        init(_ q: QuotedSentence) {
            text = q.text; source = q.source; chunk = q.chunk; similarity = q.similarity
            let place = PageFields(q.pages); page = place.page; pages = place.pages
        }
    }

    struct GenerationPart: Encodable {
        var generated: GeneratedAnswer
        var pieces: [GeneratedPiece]?
        init(_ generated: GeneratedAnswer, pieces: [GeneratedPiece]?) { self.generated = generated; self.pieces = pieces }

        enum Keys: String, CodingKey {
            case answer, citedAnswer = "cited_answer", citations, invalidCitations = "invalid_citations", saidUnknown = "said_unknown", grounding
            case promptTokens = "prompt_tokens", cachedPromptTokens = "cached_prompt_tokens", generatedTokens = "generated_tokens", passagesInPrompt = "passages_in_prompt"
            case historyTurns = "history_turns"
            case draftedTokens = "drafted_tokens", acceptedDraftTokens = "accepted_draft_tokens"
            case timeToFirstToken = "time_to_first_token_ms", decodeTokensPerSecond = "decode_tokens_per_second"
            case stopReason = "stop_reason", tokens
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(generated.text, forKey: .answer)
            try c.encode(generated.citedText, forKey: .citedAnswer)
            try c.encode(generated.citations.map(CitationEntry.init), forKey: .citations)
            try c.encode(generated.invalidCitations, forKey: .invalidCitations)
            try c.encode(generated.saidUnknown, forKey: .saidUnknown)
            try c.encode(generated.grounding.map(GroundingEntry.init), forKey: .grounding)
            try c.encode(generated.report.promptTokens, forKey: .promptTokens)
            try c.encode(generated.report.cachedPromptTokens, forKey: .cachedPromptTokens)
            try c.encode(generated.report.generatedTokens, forKey: .generatedTokens)
            try c.encode(generated.prompt.passages.count, forKey: .passagesInPrompt)
            try c.encode(generated.prompt.history.count / 2, forKey: .historyTurns)
            try c.encode(generated.report.timeToFirstTokenMs, forKey: .timeToFirstToken)
            try c.encode(generated.report.decodeTokensPerSecond, forKey: .decodeTokensPerSecond)
            try c.encode(generated.report.draftedTokens, forKey: .draftedTokens)
            try c.encode(generated.report.acceptedDraftTokens, forKey: .acceptedDraftTokens)
            try c.encode(generated.report.stopReason, forKey: .stopReason)
            try c.encode(pieces.map { $0.map(TokenEntry.init) }, forKey: .tokens)
        }
    }

    struct CitationEntry: Encodable {
        /// "model" when the model wrote [n], "grounding" when it was attributed afterwards.
        var n: Int, source: String, chunk: Int, by: String
        var page: Int?, pages: [Int]?  // as in search hits: present only for paged documents
        init(_ c: Citation) {
            n = c.n; source = c.source; chunk = c.chunk; by = c.attributed ? "grounding" : "model"
            let place = PageFields(c.pages); page = place.page; pages = place.pages
        }
    }

    struct GroundingEntry: Encodable {
        var sentence: String, cited: [Int], source: String?, chunk: Int?, passage: Int?, similarity: Float, supported: Bool
        /// Figures and names no passage contains; present only when there are some.
        var unbacked: [String]
        init(_ g: GroundedSentence) {
            sentence = g.text; cited = g.cited; source = g.bestSource; chunk = g.bestChunk; passage = g.bestPassage
            similarity = g.similarity; supported = g.isSupported; unbacked = g.unbacked
        }

        enum CodingKeys: String, CodingKey { case sentence, cited, source, chunk, passage, similarity, supported, unbacked }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(sentence, forKey: .sentence); try c.encode(cited, forKey: .cited)
            try c.encode(source, forKey: .source); try c.encode(chunk, forKey: .chunk); try c.encode(passage, forKey: .passage)
            try c.encode(similarity, forKey: .similarity); try c.encode(supported, forKey: .supported)
            if !unbacked.isEmpty { try c.encode(unbacked, forKey: .unbacked) }
        }
    }

    public struct TokenEntry: Encodable {
        struct Candidate: Encodable { var text: String; var probability: Float }
        var text: String, candidates: [Candidate]
        init(_ p: GeneratedPiece) { text = p.text; candidates = p.candidates.map { Candidate(text: $0.text, probability: $0.probability) } }
    }
}
