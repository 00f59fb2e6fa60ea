/// An earlier turn of a conversation: what was asked, what was answered and which passages the answer drew on.
public struct ConversationTurn: Equatable, Sendable {
    /// Earlier turns a conversation keeps: the prompt holds only the latest that fit a third of its budget,
    /// and a follow-up is searched with the last one alone.
    public static let maximumRemembered = 16

    public var question: String
    /// The answer as the user saw it: the generated text, or the quoted sentences.
    public var answer: String
    /// The passages the answer cited (or, for a quoted answer, quoted from), best first; empty when not known
    /// (a conversation sent to the server carries only its texts).
    public var citedChunkIDs: [Int64]

    public init(question: String, answer: String, citedChunkIDs: [Int64] = []) {
        self.question = question; self.answer = answer; self.citedChunkIDs = citedChunkIDs
    }

    /// The turn an answer makes: its generated text and citations when it has them, else its quotes and their
    /// passages, else (not covered) the message it gave and no passage.
    public init(_ answered: Answer) {
        question = answered.question
        let hits = answered.retrieval.hits
        if let generation = answered.generation {
            answer = generation.text
            citedChunkIDs = generation.citations.compactMap { citation in
                generation.prompt.passages.first { $0.number == citation.n }?.chunk.id
            }.uniqued()
        } else if let quotes = answered.retrieval.quotes, !quotes.isEmpty {
            answer = quotes.map(\.text).joined(separator: " ")
            citedChunkIDs = quotes.compactMap { quote in
                hits.first { $0.chunk.documentPath == quote.source && $0.chunk.ordinal == quote.chunk }?.chunk.id
            }.uniqued()
        } else {
            answer = answered.notCoveredMessage ?? ""
            citedChunkIDs = []
        }
    }

    /// The answer as a generator should see it again: without its "[n]" markers, which named the passages of
    /// that turn and would point at the wrong ones in the next prompt.
    public var answerWithoutCitations: String {
        CitationParser.removingCitations(from: answer).trimmingWhitespace
    }
}

/// How a follow-up question ("它和微调有什么区别？") is searched. The small decoder is not asked to rewrite
/// it into a stand-alone question (it restates or drops parts of what it is given); instead the previous
/// turn goes into the search beside it. Chosen with `rag eval eval/corpus-followups.jsonl` (BENCHMARKS.md).
public enum FollowUpSearch: String, CaseIterable, Sendable, Codable {
    /// The question alone, as if the conversation had just begun.
    case questionOnly = "question-only"
    /// The previous question and this one, searched as one query.
    case joined
    /// `joined`, with the passages the previous answer cited as one more ranking.
    case joinedWithCitations = "joined-cited"
    /// The rankings of this question alone and of the joined query, fused by rank.
    case fused
    /// `fused`, with the passages the previous answer cited as one more ranking.
    case fusedWithCitations = "fused-cited"

    public static let `default` = FollowUpSearch.joined

    /// What to search for `question` after `previous` (nil: the first question of a conversation).
    public func query(for question: String, after previous: ConversationTurn?) -> SearchQuery {
        guard let previous, self != .questionOnly else { return SearchQuery(question) }
        let joined = Self.join(previous.question, question)
        switch self {
        case .questionOnly: return SearchQuery(question)
        case .joined: return SearchQuery(joined)
        case .joinedWithCitations: return SearchQuery(joined, prior: previous.citedChunkIDs)
        case .fused: return SearchQuery(question, companions: [joined])
        case .fusedWithCitations: return SearchQuery(question, companions: [joined], prior: previous.citedChunkIDs)
        }
    }

    /// The previous question, then this one, on two lines; the previous one is cut from its start when the two
    /// would be longer than a query may be.
    static func join(_ previous: String, _ question: String) -> String {
        let room = Retriever.maximumQueryLength - question.unicodeScalars.count - 1
        guard room > 0 else { return question }
        let earlier = previous.trimmingWhitespace.unicodeScalars
        let kept = String(String.UnicodeScalarView(earlier.suffix(room)))
        return kept.isEmpty ? question : kept + "\n" + question
    }
}

/// What a search ranks by: a query and, for a follow-up question, further queries and passages whose
/// rankings are fused with the query's by reciprocal rank.
public struct SearchQuery: Equatable, Sendable {
    /// The query the hits are explained against.
    public var text: String
    /// More queries, each ranked as `text` is and fused with it.
    public var companions: [String]
    /// Passages the caller ranks first (the previous answer's citations), best first: one more ranking.
    public var prior: [Int64]

    public init(_ text: String, companions: [String] = [], prior: [Int64] = []) {
        self.text = text; self.companions = companions; self.prior = prior
    }

    /// The query, then its companions: every text whose terms and vector stand for the question.
    public var texts: [String] { [text] + companions }
}

extension Array where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}
