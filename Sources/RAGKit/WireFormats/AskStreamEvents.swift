import Retrieval

/// The events of a streamed answer (`POST /v1/ask` with `"stream": true`), in order: `retrieval` once (the
/// passages, the quotes and the coverage verdict, so sources arrive before any generated text), `piece` for
/// each generated piece, then `answer` with the whole `AskReport` (citations and grounding).
public enum AskStreamEvents {
    /// The `retrieval` event: what `rag ask --json` says before its `generation` part.
    public struct Retrieval: Encodable {
        var question: String, mode: AnswerMode, language: QuestionLanguage, covered: Bool, message: String?
        var bestSimilarity: Float, coverageThreshold: Float
        var retrieval: AskReport.RetrievalPart

        public init(question: String, settings: AskSettings, retrieved: RetrievedAnswer, covered: Bool, bestSimilarity: Float) {
            self.question = question; mode = settings.mode; language = QuestionLanguage(of: question)
            self.covered = covered; message = covered ? nil : language.notCoveredMessage
            self.bestSimilarity = bestSimilarity; coverageThreshold = settings.coverage.threshold(for: language)
            retrieval = AskReport.RetrievalPart(retrieved)
        }

        enum CodingKeys: String, CodingKey {
            case question, mode, language, covered, message, bestSimilarity = "best_similarity"
            case coverageThreshold = "coverage_threshold", retrieval
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(question, forKey: .question); try c.encode(mode, forKey: .mode)
            try c.encode(language, forKey: .language); try c.encode(covered, forKey: .covered)
            try c.encode(message, forKey: .message)  // null, not absent, when covered
            try c.encode(bestSimilarity, forKey: .bestSimilarity); try c.encode(coverageThreshold, forKey: .coverageThreshold)
            try c.encode(retrieval, forKey: .retrieval)
        }
    }

    /// The `piece` event: as one entry of `generation.tokens` in `rag ask --json --show-probs`.
    public struct Piece: Encodable {
        var entry: AskReport.TokenEntry
        public init(_ piece: GeneratedPiece) { entry = AskReport.TokenEntry(piece) }
        public func encode(to encoder: Encoder) throws { try entry.encode(to: encoder) }
    }
}
