/// What one eval question scored.
public struct EvalOutcome: Sendable {
    public var question: EvalQuestion
    /// 1-based rank of the first top-10 hit from an expected source, nil when none is in the top 10.
    public var rank: Int?
    /// The coverage signal: best sentence cosine with the question (see `Answer.bestSimilarity`).
    public var bestSimilarity: Float
    /// Best whole-passage cosine with the question.
    public var bestPassageSimilarity: Float
    /// Whether the answerer would answer (best similarity at or over the coverage threshold).
    public var covered: Bool
    /// Whether the extractive answer contains a `must_contain` string (nil without must_contain).
    public var extractiveContains: Bool?
    /// Whether the generated answer contains one (nil when not generated).
    public var generatedContains: Bool?
    public var generatedAnswer: String?
    /// Grounding similarity of each generated sentence.
    public var groundingSimilarities: [Float]?
    /// Generated sentences the grounding check supports, of `groundingSimilarities.count` (faithfulness).
    public var supportedSentences: Int?
    /// The figures and names of the generated answer that no passage contains (nil when there are none).
    public var unbacked: [String]?
    /// Whether a citation of the generated answer (the model's or an attributed one) names an expected source
    /// (nil when not generated or the question has no source).
    public var citesExpectedSource: Bool?
    /// Whether the model wrote the prompt's "the passages do not say" answer (nil when not generated).
    public var saidUnknown: Bool?
    /// The generation's timing (nil when not generated).
    public var generationReport: GenerationReport?

    /// Whether rag declined to answer: coverage refused the question, or the model said the passages do not say.
    public var refused: Bool { !covered || saidUnknown == true }
}

/// Recall@1/5/10 and MRR@10 over a group of questions.
public struct RetrievalScores: Equatable, Sendable, Encodable {
    public var questions: Int
    public var recallAt1: Double
    public var recallAt5: Double
    public var recallAt10: Double
    public var mrrAt10: Double

    enum CodingKeys: String, CodingKey {
        case questions, recallAt1 = "recall@1", recallAt5 = "recall@5", recallAt10 = "recall@10", mrrAt10 = "mrr@10"
    }

    /// Scores of the ranks (nil: not in the top 10).
    public init(ranks: [Int?]) {
        questions = ranks.count
        let n = Double(max(1, ranks.count))
        func recall(_ depth: Int) -> Double { Double(ranks.filter { ($0 ?? .max) <= depth }.count) / n }
        recallAt1 = recall(1); recallAt5 = recall(5); recallAt10 = recall(10)
        mrrAt10 = ranks.reduce(0) { $0 + ($1.map { $0 <= 10 ? 1 / Double($0) : 0 } ?? 0) } / n
    }
}

/// Runs an eval set against an index: retrieval ranks for every answerable question, the coverage decision
/// for every question, the extractive answer for questions that carry must_contain strings, and with
/// `generate` the generated one for those and for unanswerable questions (does the model decline?).
public struct RetrievalEvaluation {
    public static let depth = 10

    public let answerer: Answerer
    public var settings: AskSettings
    public var searchMode: SearchMode
    public var generate: Bool

    public init(answerer: Answerer, settings: AskSettings, searchMode: SearchMode = .hybrid, generate: Bool) {
        self.answerer = answerer; self.settings = settings; self.searchMode = searchMode; self.generate = generate
    }

    public func evaluate(_ question: EvalQuestion) throws -> EvalOutcome {
        let (hits, bestPassage) = try answerer.retrieve(SearchQuery(question.question), k: Self.depth, mode: searchMode)
        let rank = hits.first { hit in question.sources.contains(hit.chunk.documentPath) }?.rank
        var settings = self.settings
        settings.coverage = CoverageThresholds(uniform: -1, requiresSharedTerm: false)  // score the answers even where coverage would refuse
        settings.mode = generate && (!question.mustContain.isEmpty || question.unanswerable) ? .compare : .retrieve
        let answer = try answerer.answer(question.question, settings: settings)
        var outcome = EvalOutcome(question: question, rank: question.sources.isEmpty ? nil : rank,
                                  bestSimilarity: answer.bestSimilarity, bestPassageSimilarity: bestPassage,
                                  covered: self.settings.coverage.covers(similarity: answer.bestSimilarity, language: answer.language,
                                                                         sharesTerm: answer.sharesTerm))
        if let generation = answer.generation {
            outcome.generatedAnswer = generation.text
            outcome.groundingSimilarities = generation.grounding.map(\.similarity)
            outcome.supportedSentences = generation.grounding.filter(\.isSupported).count
            let unbacked = generation.grounding.flatMap(\.unbacked)
            outcome.unbacked = unbacked.isEmpty ? nil : unbacked
            outcome.saidUnknown = generation.saidUnknown
            outcome.generationReport = generation.report
            if !question.sources.isEmpty {
                outcome.citesExpectedSource = generation.citations.contains { question.sources.contains($0.source) }
            }
            if !question.mustContain.isEmpty { outcome.generatedContains = Self.contains(generation.text, question.mustContain) }
        }
        guard !question.mustContain.isEmpty else { return outcome }
        outcome.extractiveContains = answer.retrieval.quotes.map { quotes in Self.contains(quotes.map(\.text).joined(), question.mustContain) }
        return outcome
    }

    /// Whether `text` contains one of `strings`, ignoring case (a must_contain check).
    static func contains(_ text: String, _ strings: [String]) -> Bool {
        let lowered = text.lowercased()
        return strings.contains { lowered.contains($0.lowercased()) }
    }
}
