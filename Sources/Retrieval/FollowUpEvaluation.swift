/// What one conversation of a follow-up eval scored: its last question, searched each way `FollowUpSearch`
/// offers after the earlier turns were answered, and with `generate` its answers with and without the turns.
public struct FollowUpOutcome: Sendable {
    public struct Ranking: Sendable {
        public var search: FollowUpSearch
        /// 1-based rank of the first top-10 passage from an expected source; nil when none is in the top 10.
        public var rank: Int?
    }

    public var conversation: EvalConversation
    /// The first turn's rank, searched alone.
    public var firstRank: Int?
    /// The last turn's rank for every way of searching it, in `FollowUpSearch.allCases` order.
    public var rankings: [Ranking]
    /// Whether the last turn's extractive answer contains a `must_contain` string (nil without must_contain).
    public var extractiveContains: Bool?
    /// Whether its generated answer does, after the earlier turns and (for comparison) without them.
    public var generatedContains: Bool?
    public var generatedContainsWithoutHistory: Bool?
    public var generatedAnswer: String?

    public var last: EvalQuestion { conversation.turns[conversation.turns.count - 1] }

    public func rank(_ search: FollowUpSearch) -> Int? { rankings.first { $0.search == search }?.rank }
}

/// Runs a conversation eval file against an index: the earlier turns are answered as `rag chat` would (their
/// citations or quotes become the history), then the last question is ranked every way and answered.
public struct FollowUpEvaluation {
    public let answerer: Answerer
    public var settings: AskSettings
    public var generate: Bool

    public init(answerer: Answerer, settings: AskSettings, generate: Bool) {
        self.answerer = answerer; self.settings = settings; self.generate = generate
    }

    public func evaluate(_ conversation: EvalConversation) throws -> FollowUpOutcome {
        var settings = self.settings
        settings.coverage = CoverageThresholds(uniform: -1, requiresSharedTerm: false)  // answer every turn, as the eval scores them all
        settings.mode = generate ? .compare : .retrieve
        var turns: [ConversationTurn] = []
        var firstRank: Int?
        for (index, question) in conversation.turns.dropLast().enumerated() {
            settings.conversation = turns
            let answer = try answerer.answer(question.question, settings: settings)
            if index == 0 { firstRank = Self.rank(of: question, in: try searched(question.question, after: nil, .questionOnly)) }
            turns.append(ConversationTurn(answer))
        }
        let last = conversation.turns[conversation.turns.count - 1]
        var outcome = FollowUpOutcome(conversation: conversation, firstRank: firstRank, rankings: try FollowUpSearch.allCases.map {
            FollowUpOutcome.Ranking(search: $0, rank: Self.rank(of: last, in: try searched(last.question, after: turns.last, $0)))
        })
        guard !last.mustContain.isEmpty else { return outcome }
        settings.conversation = turns
        let answer = try answerer.answer(last.question, settings: settings)
        outcome.extractiveContains = answer.retrieval.quotes.map { RetrievalEvaluation.contains($0.map(\.text).joined(), last.mustContain) }
        if let generation = answer.generation {
            outcome.generatedAnswer = generation.text
            outcome.generatedContains = RetrievalEvaluation.contains(generation.text, last.mustContain)
            settings.conversation = []
            let alone = try answerer.answer(last.question, settings: settings)
            outcome.generatedContainsWithoutHistory = alone.generation.map { RetrievalEvaluation.contains($0.text, last.mustContain) }
        }
        return outcome
    }

    func searched(_ question: String, after previous: ConversationTurn?, _ search: FollowUpSearch) throws -> [SearchHit] {
        try answerer.retrieve(search.query(for: question, after: previous), k: RetrievalEvaluation.depth).hits
    }

    static func rank(of question: EvalQuestion, in hits: [SearchHit]) -> Int? {
        hits.first { question.sources.contains($0.chunk.documentPath) }?.rank
    }
}
