import Foundation
import Retrieval

/// `rag eval` on a conversation file: retrieval of the last turns searched each way `FollowUpSearch` offers
/// (the question alone is "without history"), and with generation how often the answers hold the key fact
/// with and without the earlier turns. JSON or a table.
public struct FollowUpEvalReport: Encodable {
    struct Search: Encodable {
        var search: FollowUpSearch
        var isDefault: Bool
        var scores: RetrievalScores
        enum CodingKeys: String, CodingKey { case search, isDefault = "default", scores }
    }

    struct Conversation: Encodable {
        var line: Int, questions: [String], source: [String], firstRank: Int?, ranks: [String: Int?]
        var extractiveContains: Bool?, generatedContains: Bool?, generatedContainsWithoutHistory: Bool?, generatedAnswer: String?
        enum CodingKeys: String, CodingKey {
            case line, questions, source, firstRank = "first_rank", ranks, extractiveContains = "extractive_contains"
            case generatedContains = "generated_contains", generatedContainsWithoutHistory = "generated_contains_without_history"
            case generatedAnswer = "generated_answer"
        }
    }

    struct Containment: Encodable { var questions: Int; var containing: Int }

    var file: String
    var k: Int
    var firstTurns: RetrievalScores
    var lastTurns: [Search]
    var extractive: Containment
    var generated: Containment?
    var generatedWithoutHistory: Containment?
    var conversations: [Conversation]

    enum CodingKeys: String, CodingKey {
        case file, k, firstTurns = "first_turns", lastTurns = "last_turns", extractive, generated
        case generatedWithoutHistory = "generated_without_history", conversations
    }

    public init(file: String, k: Int, outcomes: [FollowUpOutcome], generated: Bool) {
        self.file = file; self.k = k
        firstTurns = RetrievalScores(ranks: outcomes.map(\.firstRank))
        lastTurns = FollowUpSearch.allCases.map { search in
            Search(search: search, isDefault: search == .default, scores: RetrievalScores(ranks: outcomes.map { $0.rank(search) }))
        }
        func containment(_ values: [Bool]) -> Containment { Containment(questions: values.count, containing: values.filter { $0 }.count) }
        extractive = containment(outcomes.compactMap(\.extractiveContains))
        self.generated = generated ? containment(outcomes.compactMap(\.generatedContains)) : nil
        generatedWithoutHistory = generated ? containment(outcomes.compactMap(\.generatedContainsWithoutHistory)) : nil
        conversations = outcomes.map { outcome in
            Conversation(line: outcome.conversation.line, questions: outcome.conversation.turns.map(\.question), source: outcome.last.sources,
                         firstRank: outcome.firstRank,
                         ranks: Dictionary(uniqueKeysWithValues: outcome.rankings.map { ($0.search.rawValue, $0.rank) }),
                         extractiveContains: outcome.extractiveContains, generatedContains: outcome.generatedContains,
                         generatedContainsWithoutHistory: outcome.generatedContainsWithoutHistory, generatedAnswer: outcome.generatedAnswer)
        }
    }

    public var text: String {
        var lines = [RetrievalScores.header("Retrieval (hybrid)")]
        lines.append(firstTurns.row("  first turns"))
        for search in lastTurns {
            let name = search.search == .questionOnly ? "alone, no history" : search.search.rawValue
            lines.append(search.scores.row("  last turns, \(name)\(search.isDefault ? " *" : "")"))
        }
        lines.append("  (* what rag chat and the chat API use)")
        lines.append("")
        lines.append("Last turns' extractive answers (k=\(k)) containing a must_contain string: \(extractive.containing)/\(extractive.questions)")
        if let generated, let generatedWithoutHistory {
            lines.append("Last turns' generated answers containing one: \(generated.containing)/\(generated.questions) after the earlier turns, "
                         + "\(generatedWithoutHistory.containing)/\(generatedWithoutHistory.questions) asked alone")
        } else {
            lines.append("Generated answers: skipped (--retrieval-only)")
        }
        func rank(_ conversation: Conversation, _ search: FollowUpSearch) -> Int? { conversation.ranks[search.rawValue] ?? nil }
        func shown(_ rank: Int?) -> String { rank.map(String.init) ?? ">10" }
        let misses = conversations.filter { (rank($0, .default) ?? 99) > 5 }
        if !misses.isEmpty {
            lines.append("")
            lines.append("Last turns not in the top 5 (rank alone → rank \(FollowUpSearch.default.rawValue), source, question):")
            for miss in misses {
                lines.append("  \(shown(rank(miss, .questionOnly))) → \(shown(rank(miss, .default)))  \(miss.source.joined(separator: ",")): \(miss.questions.last ?? "")")
            }
        }
        return lines.joined(separator: "\n")
    }
}
